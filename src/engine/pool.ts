import type { WorkerOutcome, WorkerTask } from './messages.js'
import { Piscina } from 'piscina'

/**
 * The built worker beside this file in dist/; from source (this package's own tests) a small
 * entry that loads the TypeScript worker through tsx.
 */
function workerFilename(): string {
  const here = import.meta.url
  return new URL(here.endsWith('.ts')
    ? './worker-dev.mjs'
    : './worker.js', here).href
}

export type LoadPool = Piscina<WorkerTask, WorkerOutcome>

/**
 * A pool of exactly `workers` threads, each running one long task (its share) at a time.
 * Atomics are off: the task is asynchronous and long, not a stream of short calls. `memoryMb` caps
 * each thread's heap (V8's old generation).
 */
export function createPool(workers: number, filename = workerFilename(), memoryMb?: number): LoadPool {
  return new Piscina<WorkerTask, WorkerOutcome>({
    filename,
    // a worker past its heap limit is terminated (ERR_WORKER_OUT_OF_MEMORY) instead of growing without bound
    ...(memoryMb !== undefined && {
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    }),
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    atomics: 'disabled',
  })
}
