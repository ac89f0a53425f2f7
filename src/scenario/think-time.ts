import type { DurationInput } from '../spec/duration.js'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'

/**
 * A pause between a user's iterations, made by `between()`, `constant()` or `pacing()`. Plain data,
 * so it reads the same in any worker, whichever copy of this module made it.
 */
export type ThinkTime
  = | { readonly kind: 'constant', readonly ms: number }
    | { readonly kind: 'between', readonly minMs: number, readonly maxMs: number }
    | { readonly kind: 'pacing', readonly ms: number }

function durationArgument(value: DurationInput, call: string, example: string): number {
  const ms = parseDurationMs(value)
  if (ms === undefined)
    throw new TypeError(`${call} must be given a duration such as '2s', '500ms' or 1500 (ms), got ${describeValue(value)}. Example: ${example}`)
  return ms
}

/**
 * The same pause after every iteration.
 * @example thinkTime: constant('2s')
 */
export function constant(duration: DurationInput): ThinkTime {
  return Object.freeze({
    kind: 'constant',
    ms: durationArgument(duration, 'constant(duration)', `constant('2s')`),
  })
}

/**
 * A pause drawn uniformly between `min` and `max` after every iteration, from each user's own
 * seeded random sequence (the same in every run).
 * @example thinkTime: between('1s', '5s')
 */
export function between(min: DurationInput, max: DurationInput): ThinkTime {
  const minMs = durationArgument(min, 'between(min, max): min', `between('1s', '5s')`)
  const maxMs = durationArgument(max, 'between(min, max): max', `between('1s', '5s')`)
  if (maxMs < minMs)
    throw new RangeError(`between(min, max) needs min ≤ max, got ${minMs} ms and ${maxMs} ms. Example: between('1s', '5s')`)
  return Object.freeze({ kind: 'between', minMs, maxMs })
}

/**
 * Iterations start every `interval` as far as possible (k6's and Locust's pacing): the pause is
 * what is left of the interval after the iteration; none when the iteration took longer.
 * @example thinkTime: pacing('5s')
 */
export function pacing(interval: DurationInput): ThinkTime {
  const ms = durationArgument(interval, 'pacing(interval)', `pacing('5s')`)
  if (ms <= 0)
    throw new RangeError(`pacing(interval) needs an interval above 0, got ${describeValue(interval)}. Example: pacing('5s')`)
  return Object.freeze({ kind: 'pacing', ms })
}

/** Whether `value` is a think time made by one of the helpers (checked by shape, not identity). */
export function isThinkTime(value: unknown): value is ThinkTime {
  if (typeof value !== 'object' || value === null)
    return false
  const { kind, ms, minMs, maxMs } = value as Record<string, unknown>
  const isMs = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n >= 0
  return kind === 'between'
    ? isMs(minMs) && isMs(maxMs) && (minMs as number) <= (maxMs as number)
    : (kind === 'constant' || kind === 'pacing') && isMs(ms)
}

/** How long to pause after an iteration that took `iterationMs`; `random()` is in [0, 1). */
export function thinkTimeMs(thinkTime: ThinkTime, iterationMs: number, random: () => number): number {
  switch (thinkTime.kind) {
    case 'constant':
      return thinkTime.ms
    case 'between':
      return thinkTime.minMs + random() * (thinkTime.maxMs - thinkTime.minMs)
    case 'pacing':
      return Math.max(0, thinkTime.ms - iterationMs)
  }
}
