import type { LoadStep } from './summary.js'
import { formatMs, formatPercent } from './units.js'

/** By default the seconds after a peak must come back within this share above the p95 before it. */
export const DEFAULT_RECOVERY_TOLERANCE = 0.5
/** …and never need to come closer than this: a 2 ms service is not unrecovered at 3.1 ms. */
export const RECOVERY_SLACK_MS = 5

/** Whether, and when, a target came back after a spike's peak. */
export interface RecoveryAssessment {
  /** The p95 over the seconds before the peak: the level to come back to. */
  beforeP95Ms: number
  /** What each second after the peak must stay under: `beforeP95Ms` plus the tolerance (5 ms at least). */
  limitP95Ms: number
  /** The share above `beforeP95Ms` allowed, `0.5` for 50 %. */
  tolerance: number
  /**
   * From the end of the peak to the first second after which every second stayed under the limit
   * with no errors, in whole seconds; `null` when that never happened before the run ended.
   */
  recoveredAfterMs: number | null
  /** How long the phase after the peak lasted. */
  afterMs: number
  /** The last second after the peak, as evidence: its p95 and errors. */
  last: { p95Ms: number, errors: number, requests: number } | null
}

/**
 * The recovery of a spike (`load.spike`): the seconds of its `after` step, judged against its
 * `before` step. A second is back when it had responses, its p95 is under the limit and it had no
 * errors; the target recovered at the first second from which every later one is back.
 * `undefined` for a run without a spike, or one that stopped before its `after` phase ended.
 */
export function assessRecovery(steps: readonly LoadStep[] | undefined, tolerance = DEFAULT_RECOVERY_TOLERANCE): RecoveryAssessment | undefined {
  const before = steps?.find(step => step.phase === 'before')
  const after = steps?.find(step => step.phase === 'after')
  if (!before || !after)
    return undefined
  const beforeP95Ms = before.latency.p95Ms
  const limitP95Ms = Math.max(beforeP95Ms * (1 + tolerance), beforeP95Ms + RECOVERY_SLACK_MS)
  const seconds = after.timeline
  const back = seconds.map(point => point.requests > point.errors && point.errors === 0 && point.p95Ms <= limitP95Ms)
  // the first second from which every later one is back
  let from = seconds.length
  while (from > 0 && back[from - 1])
    from--
  const last = seconds.at(-1)
  return {
    beforeP95Ms,
    limitP95Ms,
    tolerance,
    recoveredAfterMs: from < seconds.length
      ? (seconds[from]!.second - after.startSecond) * 1000
      : null,
    afterMs: after.durationMs,
    last: last
      ? { p95Ms: last.p95Ms, errors: last.errors, requests: last.requests }
      : null,
  }
}

/**
 * `back 2 s after the peak (p95 under 18 ms, 12 ms before it +50 %, and no errors)`, or `not back
 * within the 10 s after the peak: its last second had p95 180 ms and 3 errors (the limit: p95 under 18 ms, no errors)`.
 */
export function describeRecovery(recovery: RecoveryAssessment): string {
  const limit = `p95 under ${formatMs(recovery.limitP95Ms)}, ${formatMs(recovery.beforeP95Ms)} before it +${formatPercent(recovery.tolerance)}${recovery.limitP95Ms > recovery.beforeP95Ms * (1 + recovery.tolerance) + 1e-9
    ? ` (${RECOVERY_SLACK_MS} ms at least)`
    : ''}, and no errors`
  if (recovery.recoveredAfterMs !== null)
    return `back ${wholeSeconds(recovery.recoveredAfterMs)} after the peak (${limit})`
  const last = recovery.last
  const evidence = last
    ? `: its last second had ${last.requests > last.errors
      ? `p95 ${formatMs(last.p95Ms)}`
      : 'no response'} and ${last.errors} ${last.errors === 1
      ? 'error'
      : 'errors'}`
    : ''
  return `not back within the ${wholeSeconds(recovery.afterMs)} after the peak${evidence} (the limit: ${limit})`
}

/** `0 s`, `2 s`: recovery counts whole seconds. */
function wholeSeconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`
}
