import type { MatcherResult, MatcherState } from 'vitest'
import { formatCount, formatPercent } from '../metrics/units.js'
import { conclude, requireNumber, requireResult } from './message.js'

/** Passes when errors (HTTP, network and timeouts together) are below `ratio` of finished requests. */
export function toHaveErrorRateBelow(this: MatcherState, received: unknown, ratio: number): MatcherResult {
  const result = requireResult(received, 'toHaveErrorRateBelow')
  const limit = requireNumber(ratio, 'toHaveErrorRateBelow', 'a ratio from 0 to 1 (0.01 is 1 %)', n => n >= 0 && n <= 1, 'toHaveErrorRateBelow(0.01)')
  const { errors, requests } = result.totals
  const measuredAny = requests > 0
  return conclude(this, result, {
    matcher: 'toHaveErrorRateBelow',
    measured: 'error rate',
    comparison: 'below',
    limit: formatPercent(limit),
    actual: measuredAny
      ? formatPercent(result.errorRate)
      : 'not measured',
    detail: measuredAny
      ? `${formatPercent(result.errorRate)} (${formatCount(errors.total)} of ${formatCount(requests)}: ${errors.http} http, ${errors.network} network, ${errors.timeout} timeout)`
      : 'not measured: no request finished',
    // nothing measured fails with .not too: Vitest inverts `pass`, so it must be `isNot` here
    pass: measuredAny
      ? result.errorRate < limit
      : this.isNot,
  })
}
