import type { MatcherResult, MatcherState } from 'vitest'
import type { CheckResult } from '../metrics/custom.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { formatCount, formatPercent } from '../metrics/units.js'
import { describeValue } from '../spec/describe-value.js'
import { conclude, requireNumber, requireResult } from './message.js'

const MATCHER = 'toHaveCheckPassRateAbove'

/**
 * Passes when the checks of a scenario (`ctx.check()`) passed more than `ratio` of the time: all
 * checks together, or the one named `check`. An unknown name throws, listing the known ones.
 * @example expect(run).toHaveCheckPassRateAbove(0.99, 'status is 200')
 */
export function toHaveCheckPassRateAbove(this: MatcherState, received: unknown, ratio: number, check?: string): MatcherResult {
  const result = requireResult(received, MATCHER)
  const limit = requireNumber(ratio, MATCHER, 'a ratio from 0 to 1 (0.99 is 99 %)', n => n >= 0 && n <= 1, `${MATCHER}(0.99)`)
  const checks = (result as { checks?: unknown }).checks
  if (!Array.isArray(checks))
    throw new InvalidMatcherArgumentError(`${MATCHER}() expects a run, whose checks it reads, got the endpoint '${result.name}': checks belong to the whole run. Example: expect(run).${MATCHER}(0.99, 'status is 200')`)
  const known = checks as readonly CheckResult[]
  let passes = 0
  let fails = 0
  if (check === undefined) {
    for (const item of known) {
      passes += item.passes
      fails += item.fails
    }
  }
  else {
    if (typeof check !== 'string')
      throw new InvalidMatcherArgumentError(`${MATCHER}(ratio, check) expects the name of a check as its second argument, got ${describeValue(check)}. Example: expect(run).${MATCHER}(0.99, 'status is 200')`)
    const found = known.find(item => item.name === check)
    if (!found) {
      const names = known.map(item => `'${item.name}'`).join(', ') || 'none (no ctx.check() ran)'
      throw new InvalidMatcherArgumentError(`${MATCHER}(): load test "${result.name}" has no check named '${check}'. Known checks: ${names}`)
    }
    passes = found.passes
    fails = found.fails
  }
  const total = passes + fails
  const measuredAny = total > 0
  const passRate = measuredAny
    ? passes / total
    : 0
  return conclude(this, result, {
    matcher: MATCHER,
    measured: check === undefined
      ? 'check pass rate'
      : `pass rate of check '${check}'`,
    comparison: 'above',
    limit: formatPercent(limit),
    actual: measuredAny
      ? formatPercent(passRate)
      : 'not measured',
    detail: measuredAny
      ? `${formatPercent(passRate)} (${formatCount(passes)} of ${formatCount(total)} passed, ${formatCount(fails)} failed)`
      : 'not measured: no check ran (ctx.check() in a scenario module)',
    // nothing measured fails with .not too: Vitest inverts `pass`, so it must be `isNot` here
    pass: measuredAny
      ? passRate > limit
      : this.isNot,
    ...(check !== undefined && { check }),
  })
}
