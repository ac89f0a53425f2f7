// A long run made fast: a few latency histograms built and encoded once, then reused as the
// snapshots of every worker, endpoint and second, fed through the real RunAggregator. The caller
// gets the run and, beside it, what was fed, to check the merged timeline against.
import type { EndpointCounters } from '../../src/metrics/counters.js'
import type { Histogram } from '../../src/metrics/histogram.js'
import type { RunDescription } from '../../src/metrics/merge.js'
import type { LoadRun } from '../../src/metrics/summary.js'
import { createCounters } from '../../src/metrics/counters.js'
import { createLatencyHistogram, decodeHistogram, encodeHistogram } from '../../src/metrics/histogram.js'
import { RunAggregator } from '../../src/metrics/merge.js'
import { createRandom } from './record-run.js'

/** Latencies spread from about 0.3 ms to 60 ms (log-normal around 4 ms), as many services answer. */
function buildHistograms(count: number, samples: number): Histogram[] {
  const random = createRandom(12)
  return Array.from({ length: count }, () => {
    const histogram = createLatencyHistogram()
    for (let index = 0; index < samples; index++) {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
      histogram.recordValue(Math.max(1, Math.round(4000 * Math.exp(0.9 * normal))))
    }
    return histogram
  })
}

const HISTOGRAMS = buildHistograms(8, 200)
const ENCODED = HISTOGRAMS.map(encodeHistogram)

export interface SyntheticRunOptions {
  seconds: number
  endpoints: number
  /** @default 1 */
  workers?: number
  /** The aggregator's internal limit. @default MAX_TIMELINE_POINTS */
  timelinePoints?: number
  /** Seconds for which no worker sends anything. @default none */
  silent?: (second: number) => boolean
  /** Endpoints a worker reports in a second. @default every one */
  endpointsIn?: (second: number) => number[]
}

/** What was fed for one second of one endpoint (all workers). */
export interface FedSecond {
  histograms: number[]
  requests: number
  errors: number
}

export interface SyntheticRun {
  run: LoadRun
  /** `fed[second].get(endpoint)`: which of `HISTOGRAMS` went in, and the counts. */
  fed: Array<Map<string, FedSecond>>
  /** The active users each second reported, all workers together. */
  users: number[]
  /** The most points the timeline held at any time during the run. */
  mostPoints: number
  /** The decoded histograms the snapshots were encoded from. */
  histograms: readonly Histogram[]
}

export function endpointName(index: number): string {
  return `GET /e${String(index).padStart(2, '0')}`
}

function countersOf(second: number, endpoint: number, worker: number): EndpointCounters {
  const counters = createCounters()
  const httpErrors = (second + endpoint + worker) % 3
  counters.requests = 200 + httpErrors
  counters.ok = 200
  counters.httpErrors = httpErrors
  counters.statusCodes['200'] = 200
  if (httpErrors > 0)
    counters.statusCodes['500'] = httpErrors
  counters.bytesSent = 100 * counters.requests
  counters.bytesReceived = 1000 * counters.requests
  return counters
}

export function syntheticRun(options: SyntheticRunOptions, description: Partial<RunDescription> = {}): SyntheticRun {
  const { seconds, endpoints, workers = 1, silent = () => false } = options
  const endpointsIn = options.endpointsIn ?? (() => Array.from({ length: endpoints }, (_, index) => index))
  const aggregator = new RunAggregator(workers, undefined, { timelinePoints: options.timelinePoints })
  const fed: SyntheticRun['fed'] = []
  const users: number[] = []
  let mostPoints = 0
  for (let second = 0; second < seconds; second++) {
    const bySecond = new Map<string, FedSecond>()
    fed.push(bySecond)
    users.push(silent(second)
      ? 0
      : workers * (1 + (second * 7) % 11))
    if (silent(second))
      continue
    for (let worker = 0; worker < workers; worker++) {
      const snapshotEndpoints = endpointsIn(second).map((endpoint) => {
        const pick = (second * 5 + endpoint * 3 + worker) % ENCODED.length
        const counters = countersOf(second, endpoint, worker)
        const name = endpointName(endpoint)
        const entry = bySecond.get(name) ?? { histograms: [], requests: 0, errors: 0 }
        entry.histograms.push(pick)
        entry.requests += counters.requests
        entry.errors += counters.httpErrors
        bySecond.set(name, entry)
        return { name, counters, histogram: ENCODED[pick]! }
      })
      aggregator.add({
        workerIndex: worker,
        interval: second,
        activeUsers: 1 + (second * 7) % 11,
        droppedArrivals: second % 2,
        loop: { utilization: 0.3, delayP99Ms: 1, delayMaxMs: 2 },
        endpoints: snapshotEndpoints,
      })
      mostPoints = Math.max(mostPoints, aggregator.timelinePoints)
    }
  }
  for (let worker = 0; worker < workers; worker++)
    aggregator.finishWorker(worker)
  const run = aggregator.finish({
    name: 'soak',
    target: 'http://127.0.0.1:3000',
    model: `${workers} users for ${seconds} s`,
    modelKind: 'closed',
    users: workers,
    workers,
    startedAt: '2025-01-01T00:00:00.000Z',
    // the last second is cut short, as a real run's is
    durationMs: seconds * 1000 - 400,
    ...description,
  })
  return {
    run,
    fed,
    users,
    mostPoints,
    histograms: HISTOGRAMS,
  }
}

/** The exact merge of what was fed for `name` (or every endpoint, `null`) over seconds `from`…`to − 1`. */
export function fedHistogram(synthetic: SyntheticRun, name: string | null, from: number, to: number): Histogram {
  const merged = createLatencyHistogram()
  for (let second = from; second < Math.min(to, synthetic.fed.length); second++) {
    for (const [endpoint, entry] of synthetic.fed[second]!) {
      if (name === null || endpoint === name) {
        for (const pick of entry.histograms)
          merged.add(synthetic.histograms[pick]!)
      }
    }
  }
  return merged
}

/** A timeline point's histogram, decoded; an empty one when the point has none. */
export function pointHistogram(encoded: string | undefined): Histogram {
  return encoded === undefined
    ? createLatencyHistogram()
    : decodeHistogram(encoded)
}
