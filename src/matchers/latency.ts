import type { MatcherResult, MatcherState } from 'vitest'
import type { LatencySummary } from '../metrics/histogram.js'
import type { DurationInput } from '../spec/duration.js'
import { decodeHistogram, percentileMs } from '../metrics/histogram.js'
import { formatMs } from '../metrics/units.js'
import { conclude, requireDurationMs, requireNumber, requireResult } from './message.js'

type LatencyField = Exclude<keyof LatencySummary, 'count'>

function latencyBelow(state: MatcherState, received: unknown, limit: DurationInput, matcher: string, measured: string, read: (latency: LatencySummary, histogram: string) => number): MatcherResult {
  const result = requireResult(received, matcher)
  const limitMs = requireDurationMs(limit, matcher)
  const actualMs = read(result.latency, result.histogram)
  const measuredAny = result.latency.count > 0
  return conclude(state, result, {
    matcher,
    measured,
    comparison: 'below',
    limit: formatMs(limitMs),
    // not '0 µs', which the diff would show as if it were below the limit
    actual: measuredAny
      ? formatMs(actualMs)
      : 'not measured',
    detail: measuredAny
      ? formatMs(actualMs)
      : 'not measured: no request received a response',
    // nothing measured fails with .not too: Vitest inverts `pass`, so it must be `isNot` here
    pass: measuredAny
      ? actualMs < limitMs
      : state.isNot,
  })
}

function field(name: LatencyField, measured: string, matcher: string) {
  return function (this: MatcherState, received: unknown, limit: DurationInput): MatcherResult {
    return latencyBelow(this, received, limit, matcher, measured, latency => latency[name])
  }
}

export const toHaveP50Below = field('p50Ms', 'p50 latency', 'toHaveP50Below')
export const toHaveP90Below = field('p90Ms', 'p90 latency', 'toHaveP90Below')
export const toHaveP95Below = field('p95Ms', 'p95 latency', 'toHaveP95Below')
export const toHaveP99Below = field('p99Ms', 'p99 latency', 'toHaveP99Below')
export const toHaveMeanLatencyBelow = field('meanMs', 'mean latency', 'toHaveMeanLatencyBelow')
export const toHaveMaxLatencyBelow = field('maxMs', 'max latency', 'toHaveMaxLatencyBelow')

/** Any percentile, read from the run's merged histogram: `toHavePercentileBelow(99.9, '250ms')`. */
export function toHavePercentileBelow(this: MatcherState, received: unknown, percentile: number, limit: DurationInput): MatcherResult {
  const p = requireNumber(percentile, 'toHavePercentileBelow', 'a percentile above 0 and at most 100', n => n > 0 && n <= 100, `toHavePercentileBelow(99.9, '250ms')`)
  return latencyBelow(this, received, limit, 'toHavePercentileBelow', `p${p} latency`, (_, histogram) => percentileMs(decodeHistogram(histogram), p))
}
