import type { EndpointResult } from '../metrics/summary.js'
import type { DurationInput } from '../spec/duration.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { isEndpointResult } from '../metrics/summary.js'
import { formatCount, formatMs, formatPercent, formatRate } from '../metrics/units.js'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'

/** `GET /users: 9,812 requests, 3 errors (0.0306 %), p50 12.1 ms, p95 31 ms, p99 40.2 ms, 1,962 req/s` */
export function oneLineSummary(result: EndpointResult): string {
  const { latency, totals } = result
  // without a response there is no latency, and '0 µs' would read as a measurement
  const percentiles = latency.count === 0
    ? 'no responses'
    : `p50 ${formatMs(latency.p50Ms)}, p95 ${formatMs(latency.p95Ms)}, p99 ${formatMs(latency.p99Ms)}`
  return `${result.name}: ${formatCount(totals.requests)} requests, ${formatCount(totals.errors.total)} errors (${formatPercent(result.errorRate)}), `
    + `${percentiles}, ${formatRate(result.throughputPerSec)}`
}

/** The value given to `expect()` must be a run or one of its endpoints. */
export function requireResult(received: unknown, matcher: string): EndpointResult {
  if (isEndpointResult(received))
    return received
  throw new InvalidMatcherArgumentError(`${matcher}() expects the run passed to a loadTest() callback, the result of runLoad(), or run.endpoint(name); got ${describeValue(received)}. Example: expect(run).${matcher}(…)`)
}

/** A latency limit: `'250ms'`, `'1.5s'` or a number of milliseconds. */
export function requireDurationMs(limit: DurationInput, matcher: string): number {
  const ms = parseDurationMs(limit)
  if (ms === undefined)
    throw new InvalidMatcherArgumentError(`${matcher}(limit) expects a duration such as '250ms', '1.5s' or 250 (ms), got ${describeValue(limit)}. Example: expect(run).${matcher}('100ms')`)
  return ms
}

export function requireNumber(value: unknown, matcher: string, what: string, valid: (n: number) => boolean, example: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && valid(value))
    return value
  throw new InvalidMatcherArgumentError(`${matcher}() expects ${what}, got ${describeValue(value)}. Example: expect(run).${example}`)
}

/** `expected p95 latency of "GET /users" to be below 50 ms, but it was 72.3 ms` and the run's line under it. */
export function failureMessage(isNot: boolean, measured: string, result: EndpointResult, comparison: string, limit: string, actual: string): () => string {
  return () => `expected ${measured} of "${result.name}"${isNot ? ' not' : ''} to be ${comparison} ${limit}, but it was ${actual}\n  ${oneLineSummary(result)}`
}
