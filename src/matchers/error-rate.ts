import type { MatcherResult, MatcherState } from 'vitest'
import { formatCount, formatPercent } from '../metrics/units.js'
import { failureMessage, requireNumber, requireResult } from './message.js'

/** Passes when errors (HTTP, network and timeouts together) are below `ratio` of finished requests. */
export function toHaveErrorRateBelow(this: MatcherState, received: unknown, ratio: number): MatcherResult {
  const result = requireResult(received, 'toHaveErrorRateBelow')
  const limit = requireNumber(ratio, 'toHaveErrorRateBelow', 'a ratio from 0 to 1 (0.01 is 1 %)', n => n >= 0 && n <= 1, 'toHaveErrorRateBelow(0.01)')
  const { errors, requests } = result.totals
  const detail = `${formatPercent(result.errorRate)} (${formatCount(errors.total)} of ${formatCount(requests)}: ${errors.http} http, ${errors.network} network, ${errors.timeout} timeout)`
  return {
    // nothing measured fails with .not too: Vitest inverts `pass`, so it must be `isNot` here
    pass: requests > 0
      ? result.errorRate < limit
      : this.isNot,
    message: failureMessage(this.isNot, 'error rate', result, 'below', formatPercent(limit), requests > 0
      ? detail
      : 'not measured: no request finished'),
    actual: requests > 0
      ? formatPercent(result.errorRate)
      : 'not measured',
    expected: `< ${formatPercent(limit)}`,
  }
}
