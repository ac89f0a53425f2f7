import type { MatcherResult, MatcherState } from 'vitest'
import { formatRate } from '../metrics/units.js'
import { conclude, requireNumber, requireResult } from './message.js'

/** Passes when finished requests per second, over the measured time, are above `perSec`. */
export function toHaveThroughputAbove(this: MatcherState, received: unknown, perSec: number): MatcherResult {
  const result = requireResult(received, 'toHaveThroughputAbove')
  const limit = requireNumber(perSec, 'toHaveThroughputAbove', 'a number of requests per second, 0 or more', n => n >= 0, 'toHaveThroughputAbove(1000)')
  return conclude(this, result, {
    matcher: 'toHaveThroughputAbove',
    measured: 'throughput',
    comparison: 'above',
    limit: formatRate(limit),
    actual: formatRate(result.throughputPerSec),
    detail: formatRate(result.throughputPerSec),
    pass: result.throughputPerSec > limit,
  })
}
