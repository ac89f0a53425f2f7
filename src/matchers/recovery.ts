import type { MatcherResult, MatcherState } from 'vitest'
import type { LoadRun } from '../metrics/summary.js'
import type { DurationInput } from '../spec/duration.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { assessRecovery, DEFAULT_RECOVERY_TOLERANCE, describeRecovery } from '../metrics/recovery.js'
import { describeValue } from '../spec/describe-value.js'
import { conclude, requireDurationMs, requireResult } from './message.js'

/** What `toRecoverWithin` may be told besides the time. */
export interface RecoveryOptions {
  /**
   * How far above its p95 before the peak each second after it may be, and still count as back:
   * `'+50%'` or a ratio (`0.5`). Never less than 5 ms above it.
   * @default '+50%'
   */
  latency?: `+${number}%` | number
}

const EXAMPLE = `toRecoverWithin('5s')`

function toleranceOf(options: RecoveryOptions | undefined): number {
  const latency = options?.latency ?? DEFAULT_RECOVERY_TOLERANCE
  const ratio = typeof latency === 'number'
    ? latency
    : /^\+\d+(?:\.\d+)?%$/.test(latency)
      ? Number(latency.slice(1, -1)) / 100
      : Number.NaN
  if (!(ratio >= 0) || !Number.isFinite(ratio))
    throw new InvalidMatcherArgumentError(`toRecoverWithin() expects options.latency as '+50%' or a ratio 0 or more, got ${describeValue(latency)}. Example: expect(run).toRecoverWithin('5s', { latency: '+20%' })`)
  return ratio
}

/**
 * On a spike (`load.spike`): passes when, within `limit` of the peak's end, the target came back
 * and stayed back: each second from then on had a p95 within the tolerance of its p95 before the
 * peak (`+50%` by default, 5 ms at least) and no errors. Whole seconds.
 * @example expect(run).toRecoverWithin('5s')
 */
export function toRecoverWithin(this: MatcherState, received: unknown, limit: DurationInput, options?: RecoveryOptions): MatcherResult {
  const matcher = 'toRecoverWithin'
  const result = requireResult(received, matcher)
  const limitMs = requireDurationMs(limit, matcher)
  const recovery = assessRecovery((result as Partial<LoadRun>).steps, toleranceOf(options))
  if (!recovery) {
    throw new InvalidMatcherArgumentError(`${matcher}() needs the run of a spike that went to its end, with its phases before, at and after the peak; "${result.name}" has none. `
      + `Example: load: { spike: { users: 5, peak: 50, before: '5s', during: '5s', after: '10s' } }, then expect(run).${EXAMPLE}`)
  }
  const took = recovery.recoveredAfterMs
  return conclude(this, result, {
    matcher,
    measured: 'recovery time after the peak',
    comparison: 'at most',
    limit: `${limitMs / 1000} s`,
    actual: took === null
      ? 'not back'
      : `${took / 1000} s`,
    detail: describeRecovery(recovery),
    pass: took !== null && took <= limitMs,
  })
}
