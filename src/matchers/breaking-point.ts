import type { MatcherResult, MatcherState } from 'vitest'
import type { BreakingPointResult, LoadRun, LoadStep } from '../metrics/summary.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { formatLevel, stepFigures } from '../metrics/units.js'
import { describeValue } from '../spec/describe-value.js'
import { conclude, requireNumber, requireResult } from './message.js'

/** `30 users (p95 142 ms > 100 ms)` for a broken step, `20 users (mean 60 ms, p95 80 ms, 0 % errors, 310 req/s)` for a good one. */
function describeStep(by: BreakingPointResult['by'], step: LoadStep): string {
  const figures = step.tripped.length > 0
    ? step.tripped.join(', ')
    : stepFigures(step)
  return `${formatLevel(by, step.level)} (${figures})`
}

function sustains(state: MatcherState, received: unknown, level: number, by: BreakingPointResult['by'], matcher: string, example: string): MatcherResult {
  const result = requireResult(received, matcher)
  const limit = requireNumber(level, matcher, by === 'users'
    ? 'a number of users above 0'
    : 'a number of requests per second above 0', n => n > 0, example)
  const search = (result as Partial<LoadRun>).breakingPoint
  if (!search || search.by !== by) {
    throw new InvalidMatcherArgumentError(`${matcher}() needs the run of a breaking-point search that steps ${by}, `
      + `got ${search
        ? `one that steps ${search.by}`
        : `a run without one (load.breakingPoint), ${describeValue(result.name)}`}. `
        + `Example: load: { breakingPoint: { ${by}: { start: 10, step: 10, max: 200 }, stepDuration: '10s', until: { p95Above: '100ms' } } }`)
  }
  const sustained = search.lastGood?.level ?? 0
  const broke = search.brokeAt
    ? `it broke at ${describeStep(by, search.brokeAt)}`
    : `every step held, up to the last`
  const lastGood = search.lastGood
    ? `; last good step: ${describeStep(by, search.lastGood)}`
    : '; no step held'
  return conclude(state, result, {
    matcher,
    measured: by === 'users'
      ? 'the users sustained'
      : 'the rate sustained',
    comparison: 'at least',
    limit: formatLevel(by, limit),
    actual: formatLevel(by, sustained),
    detail: `${formatLevel(by, sustained)}: ${broke}${lastGood}`,
    pass: sustained >= limit,
  })
}

/**
 * Passes when a breaking-point search that steps users held at `users` or more: its last good step
 * (the one before the condition tripped, or the last one) had at least that many users.
 * @example expect(run).toSustainUsers(40)
 */
export function toSustainUsers(this: MatcherState, received: unknown, users: number): MatcherResult {
  return sustains(this, received, users, 'users', 'toSustainUsers', 'toSustainUsers(40)')
}

/** As `toSustainUsers`, for a search that steps the arrival rate. @example expect(run).toSustainRate(500) */
export function toSustainRate(this: MatcherState, received: unknown, perSec: number): MatcherResult {
  return sustains(this, received, perSec, 'rate', 'toSustainRate', 'toSustainRate(500)')
}
