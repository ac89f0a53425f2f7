import type { LoadTestSpec } from '../spec/spec.js'
import { createStripe } from './split.js'

/** One worker's part of a load test: fixed before the worker starts. */
export interface WorkerShare {
  workerIndex: number
  workerCount: number
  spec: LoadTestSpec
  /** Global indices of the virtual users this worker runs, e.g. [1, 4, 7] of 10 users over 3 workers. */
  userIndices: number[]
  /**
   * Which worker owns each position of the stripe's cycle: global arrival `i` of an open model
   * belongs to worker `cycle[i % cycle.length]`, so the workers' arrivals interleave.
   */
  cycle: readonly number[]
}

/**
 * Splits a validated spec into one share per worker, by the striped rule (equal weights): the
 * threads of one pool, or of every agent of a distributed run (`workers` in all).
 */
export function planShares(spec: LoadTestSpec, workers = spec.workers): WorkerShare[] {
  const stripe = createStripe(Array.from<number>({ length: workers }).fill(1))
  // the steps stay in the test thread: a search's condition may hold a function, which cannot be
  // cloned into a worker, and workers only need the stepped load they produced
  const { steps: _testThreadOnly, ...workerSpec } = spec
  return Array.from({ length: workers }, (_, workerIndex) => ({
    workerIndex,
    workerCount: workers,
    spec: workerSpec,
    userIndices: stripe.indicesOf(spec.load.users, workerIndex),
    cycle: stripe.cycle,
  }))
}

/** How long the load is planned to run: its duration, or with iterations the most it may take. */
export function plannedDurationMs(spec: LoadTestSpec): number {
  const { load } = spec
  return load.kind === 'closed'
    ? load.durationMs ?? load.maxDurationMs
    : load.durationMs
}
