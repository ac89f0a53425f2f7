import type { MatcherResult, MatcherState } from 'vitest'
import type { EndpointResult, LoadRun } from '../metrics/summary.js'
import type { DurationInput } from '../spec/duration.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { noResponseShare } from '../metrics/error-budget.js'
import { isEndpointResult, isLoadStep } from '../metrics/summary.js'
import { formatCount, formatLevel, formatMs, formatPercent, formatThroughput } from '../metrics/units.js'
import { recordVerdict, runOf } from '../metrics/verdicts.js'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'

/** From this share of requests without a response, latency figures are marked as describing the survivors only. */
const NO_RESPONSE_NOTE_SHARE = 0.01

/** `GET /users: 9,812 requests, 3 errors (0.0306 %), p50 12.1 ms, p95 31 ms, p99 40.2 ms, 1,962 req/s` */
export function oneLineSummary(result: EndpointResult): string {
  const { latency, totals } = result
  // without a response there is no latency, and '0 µs' would read as a measurement
  const noResponse = noResponseShare(result)
  // percentiles describe only the requests that got a response: say so when many did not
  const survivors = noResponse >= NO_RESPONSE_NOTE_SHARE
    ? ` (only the ${formatPercent(1 - noResponse)} of requests that got a response; ${formatPercent(noResponse)} got none)`
    : ''
  const percentiles = latency.count === 0
    ? 'no responses'
    : `p50 ${formatMs(latency.p50Ms)}, p95 ${formatMs(latency.p95Ms)}, p99 ${formatMs(latency.p99Ms)}${survivors}`
  return `${result.name}: ${formatCount(totals.requests)} requests, ${formatCount(totals.errors.total)} errors (${formatPercent(result.errorRate)}), `
    + `${percentiles}, ${formatThroughput(result.throughputPerSec, result.attemptsPerSec)}${overlapNote(result)}`
}

/** `; shared the machine with 'GET /b' for 3.2 s (load tests at the same time)`, or `''` for a run that had it to itself. */
function overlapNote(result: EndpointResult): string {
  const overlaps = ((runOf(result) ?? result) as Partial<Pick<LoadRun, 'overlaps'>>).overlaps
  if (!overlaps || overlaps.length === 0)
    return ''
  const names = overlaps.map(overlap => `'${overlap.name}' for ${formatMs(overlap.ms)}`).join(', ')
  return `; shared the machine with ${names} (load tests at the same time)`
}

/** The value given to `expect()` must be a run or one of its endpoints. */
export function requireResult(received: unknown, matcher: string): EndpointResult {
  if (isEndpointResult(received))
    return received
  throw new InvalidMatcherArgumentError(`${matcher}() expects the run passed to a loadTest() callback, the result of runLoad(), run.endpoint(name) or run.step(level); got ${describeValue(received)}. Example: expect(run).${matcher}(…)`)
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

/** What one matcher found, before Vitest applies `.not`. */
export interface Finding {
  /** `'toHaveP95Below'` */
  matcher: string
  /** `'p95 latency'` */
  measured: string
  comparison: 'below' | 'above' | 'at least' | 'at most'
  /** The limit with its unit: `'100 ms'`. */
  limit: string
  /** The value with its unit, `'not measured'` when there was nothing to measure. */
  actual: string
  /** The value as the failure message tells it, with any detail: `'5 % (5 of 100: 3 http, …)'`. */
  detail: string
  /** The matcher's own answer; Vitest inverts it for `.not`. */
  pass: boolean
  /** The one check the matcher concerned, if any: `'status is 200'`. */
  check?: string
}

/**
 * The matcher's result for Vitest, with `actual` and `expected` filled in for its diff, and the
 * verdict recorded for the run's reports (`.not` applied: the verdict says whether the assertion held).
 */
export function conclude(state: MatcherState, result: EndpointResult, finding: Finding): MatcherResult {
  // `isNot` is undefined, not false, without .not; matchers pass it on as `pass` when nothing was measured
  const isNot = state.isNot === true
  const pass = finding.pass === true
  const expected = `${{
    'below': '<',
    'above': '>',
    'at least': '≥',
    'at most': '≤',
  }[finding.comparison]} ${finding.limit}`
  const step = isLoadStep(result)
  recordVerdict(result, {
    matcher: finding.matcher,
    measured: finding.measured,
    endpoint: Array.isArray((result as { endpoints?: unknown }).endpoints) || step
      ? null
      : result.name,
    ...(step && {
      // a spike's steps by their phase as well: two of them share a level
      step: `${result.phase === undefined
        ? ''
        : `${result.phase}, `}${formatLevel(result.by, result.level)}`,
    }),
    ...(finding.check !== undefined && { check: finding.check }),
    expected,
    actual: finding.actual,
    isNot,
    pass: isNot
      ? !pass
      : pass,
  })
  return {
    pass,
    message: () => `expected ${finding.measured} of "${result.name}"${isNot ? ' not' : ''} to be ${finding.comparison} ${finding.limit}, but it was ${finding.detail}\n  ${oneLineSummary(result)}`,
    actual: finding.actual,
    expected,
  }
}
