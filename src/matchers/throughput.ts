import type { MatcherResult, MatcherState } from 'vitest'
import { formatRate } from '../metrics/units.js'
import { failureMessage, requireNumber, requireResult } from './message.js'

/** Passes when finished requests per second, over the measured time, are above `perSec`. */
export function toHaveThroughputAbove(this: MatcherState, received: unknown, perSec: number): MatcherResult {
  const result = requireResult(received, 'toHaveThroughputAbove')
  const limit = requireNumber(perSec, 'toHaveThroughputAbove', 'a number of requests per second, 0 or more', n => n >= 0, 'toHaveThroughputAbove(1000)')
  return {
    pass: result.throughputPerSec > limit,
    message: failureMessage(this.isNot, 'throughput', result, 'above', formatRate(limit), formatRate(result.throughputPerSec)),
    actual: formatRate(result.throughputPerSec),
    expected: `> ${formatRate(limit)}`,
  }
}
