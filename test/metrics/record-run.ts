// Builds real LoadRun values for unit tests: samples go through EndpointRecorder snapshots and the
// RunAggregator, exactly as the workers and the controller use them, minus threads and network.
import type { RunDescription } from '../../src/metrics/merge.js'
import type { ErrorKind } from '../../src/metrics/recorder.js'
import type { IntervalSnapshot } from '../../src/metrics/snapshot.js'
import type { LoadRun } from '../../src/metrics/summary.js'
import type { StepsSpec } from '../../src/spec/spec.js'
import { StepWatcher } from '../../src/engine/steps.js'
import { RunAggregator } from '../../src/metrics/merge.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'
import { CustomRecorders } from '../../src/scenario/custom-recorders.js'

/** mulberry32: a seeded PRNG in [0, 1), so "random" tests see the same numbers on every run. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Fisher–Yates with a seeded PRNG: a new array, the same order for the same seed. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items]
  for (let index = result.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1))
    ;[result[index], result[other]] = [result[other]!, result[index]!]
  }
  return result
}

/** One finished request: a response with `latencyMs`, or an `error` without a response. */
export interface Sample {
  /** @default 'GET /x' */
  endpoint?: string
  /** @default 0 */
  worker?: number
  /** The interval (second of the run) it finished in. @default 0 */
  second?: number
  /** @default 10 */
  latencyMs?: number
  /** @default 200 */
  status?: number
  /** @default 2xx and 3xx */
  ok?: boolean
  error?: { kind: ErrorKind, message: string }
  /** @default 100 */
  bytesSent?: number
  /** @default 1000 */
  bytesReceived?: number
}

/** `count` responses of `GET /x` taking 1, 2, … `count` ms (times `stepMs`). */
export function responses(count: number, stepMs = 1, sample: Omit<Sample, 'latencyMs'> = {}): Sample[] {
  return Array.from({ length: count }, (_, index) => ({ ...sample, latencyMs: (index + 1) * stepMs }))
}

export interface RecordRunOptions extends Partial<RunDescription> {
  /** Virtual users each worker reports for each second. @default 1 */
  activeUsers?: (worker: number, second: number) => number
  /**
   * Records checks and custom metrics for a worker and second, into that worker's `CustomRecorders`
   * (as `ctx.check()` and `ctx.metrics` do), sent in the same snapshot. @default none
   */
  custom?: (recorders: CustomRecorders, worker: number, second: number) => void
  /** The aggregator's warm-up, in seconds. @default 0 */
  warmupSeconds?: number
  /** A step test or search, measured from the closed seconds as the controller does. @default none */
  stepsSpec?: StepsSpec
}

/**
 * Records `samples` per worker and second into `EndpointRecorder`s, takes one snapshot per worker and
 * second, and merges them with a `RunAggregator`. The duration defaults to the seconds covered.
 */
export function recordRun(samples: readonly Sample[], options: RecordRunOptions = {}): LoadRun {
  const { activeUsers = () => 1, custom, warmupSeconds, stepsSpec, ...description } = options
  const workers = description.workers ?? Math.max(0, ...samples.map(sample => sample.worker ?? 0)) + 1
  const seconds = Math.max(0, ...samples.map(sample => sample.second ?? 0)) + 1
  const endpointNames = [
    ...new Set(samples.map(sample => sample.endpoint ?? 'GET /x')),
  ]
  const watcher = stepsSpec && new StepWatcher(stepsSpec, description.name ?? 'GET /x', () => {}, warmupSeconds)
  const aggregator = new RunAggregator(workers, watcher && (interval => watcher.onInterval(interval)), { warmupSeconds })
  for (let worker = 0; worker < workers; worker++) {
    const recorders = new Map(endpointNames.map(name => [
      name,
      new EndpointRecorder(name),
    ]))
    const customRecorders = new CustomRecorders()
    for (let second = 0; second < seconds; second++) {
      custom?.(customRecorders, worker, second)
      for (const sample of samples) {
        if ((sample.worker ?? 0) === worker && (sample.second ?? 0) === second)
          recordSample(recorders.get(sample.endpoint ?? 'GET /x')!, sample)
      }
      const snapshot: IntervalSnapshot = {
        workerIndex: worker,
        interval: second,
        activeUsers: activeUsers(worker, second),
        droppedArrivals: 0,
        loop: { utilization: 0.5, delayP99Ms: 1, delayMaxMs: 2 },
        endpoints: [
          ...recorders.values(),
        ].map(recorder => recorder.takeSnapshot()),
        ...(custom && customRecorders.takeSnapshot()),
      }
      aggregator.add(snapshot)
    }
    aggregator.finishWorker(worker)
  }
  return aggregator.finish({
    name: 'GET /x',
    target: 'http://127.0.0.1:3000',
    model: `${workers} ${workers === 1
      ? 'user'
      : 'users'} for ${seconds} s`,
    modelKind: 'closed',
    users: workers,
    workers,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: seconds * 1000,
    ...(watcher && {
      steps: watcher.steps(),
      breakingPoint: watcher.result(),
    }),
    ...description,
  })
}

function recordSample(recorder: EndpointRecorder, sample: Sample): void {
  const bytesSent = sample.bytesSent ?? 100
  const bytesReceived = sample.bytesReceived ?? 1000
  if (sample.error) {
    recorder.recordError(sample.error.kind, sample.error.message, bytesSent, bytesReceived)
    return
  }
  const status = sample.status ?? 200
  const ok = sample.ok ?? (status >= 200 && status < 400)
  const latencyUs = Math.round((sample.latencyMs ?? 10) * 1000)
  recorder.recordResponse(status, ok, latencyUs, latencyUs, bytesSent, bytesReceived)
}
