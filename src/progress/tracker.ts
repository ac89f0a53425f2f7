import type { Histogram } from '../metrics/histogram.js'
import type { ClosedInterval } from '../metrics/merge.js'
import type { LoadTestSpec } from '../spec/spec.js'
import type { ProgressFigures, ProgressStart } from './messages.js'
import { errorCount } from '../metrics/counters.js'
import { createLatencyHistogram, percentileMs } from '../metrics/histogram.js'
import { plannedDurationMs } from '../plan/plan.js'

/** What the display says of a run before its first second closes. */
export function progressStart(spec: LoadTestSpec, startAtEpochMs: number): ProgressStart {
  return {
    name: spec.name,
    plannedMs: plannedDurationMs(spec),
    plannedIsLimit: spec.load.kind === 'closed' && spec.load.durationMs === null,
    startAtEpochMs,
  }
}

/**
 * Adds up a run's closed seconds for the progress display: counters, and one running histogram
 * for the p95 so far (a bucket-by-bucket add once a second, nothing per request). Percentiles of
 * seconds are never averaged.
 */
export class RunProgress {
  readonly #latencyUs: Histogram = createLatencyHistogram()
  #requests = 0
  #errors = 0

  add(interval: ClosedInterval): ProgressFigures {
    this.#latencyUs.add(interval.histogram)
    this.#requests += interval.counters.requests
    this.#errors += errorCount(interval.counters)
    return {
      second: interval.second,
      activeUsers: interval.activeUsers,
      // successes, as the run's throughputPerSec: refused connects of a dead target are no throughput
      requestsPerSec: interval.counters.ok,
      requests: this.#requests,
      errors: this.#errors,
      p95Ms: percentileMs(this.#latencyUs, 95),
    }
  }
}
