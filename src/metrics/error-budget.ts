import type { EndpointResult, TimelinePoint } from './summary.js'
import type { MatcherVerdict } from './verdicts.js'
import { formatCount, formatMs, formatPercent } from './units.js'
import { recordVerdict, verdictsOf } from './verdicts.js'

/** The matchers that judge errors themselves: a test that calls one of them sets its own error rule. */
const ERROR_MATCHERS = new Set(['toHaveErrorRateBelow', 'toHaveCheckPassRateAbove'])

/** The verdict's matcher name in the reports. */
export const ERROR_BUDGET_VERDICT = 'errorBudget'

/** The points after a warm-up: what the budget judges, as the run's totals do. */
function judged(timeline: readonly TimelinePoint[]): TimelinePoint[] {
  return timeline.filter(point => !point.warmup)
}

/**
 * The timeline second (0, 1, 2…) in which the last successful response arrived, when every later
 * second had failed requests and none succeeded: the target stopped answering during that second.
 * `null` when it answered to the end, or never answered at all. The warm-up is left out.
 */
export function stoppedAnsweringSecond(all: readonly TimelinePoint[]): number | null {
  const timeline = judged(all)
  let lastSuccess = -1
  for (const point of timeline) {
    if (point.requests - point.errors > 0)
      lastSuccess = point.second
  }
  if (lastSuccess < 0)
    return null
  const after = timeline.filter(point => point.second > lastSuccess)
  // requests kept failing after it, rather than the run simply ending
  const failedAfter = after.reduce((sum, point) => sum + point.errors, 0)
  return failedAfter > 0
    ? lastSuccess
    : null
}

/**
 * The time of the seconds in which requests failed and none succeeded, and of all seconds: a target
 * that is down counts here even when its users, backing off, make few attempts. The warm-up is
 * left out, as from the run's totals.
 */
export function silentTime(timeline: readonly TimelinePoint[]): { silentMs: number, totalMs: number } {
  let silentMs = 0
  let totalMs = 0
  for (const point of judged(timeline)) {
    totalMs += point.durationMs
    if (point.errors > 0 && point.errors === point.requests)
      silentMs += point.durationMs
  }
  return { silentMs, totalMs }
}

/** Requests that got no response at all (refused or reset connections, timeouts), as a share of all. */
export function noResponseShare(result: EndpointResult): number {
  const { requests, errors } = result.totals
  return requests === 0
    ? 0
    : (errors.network + errors.timeout) / requests
}

/** `'21,345 × ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>'`, the most frequent first, three at most. */
function topMessages(messages: Readonly<Record<string, number>>): string {
  const sorted = Object.entries(messages).sort(([, a], [, b]) => b - a)
  const shown = sorted.slice(0, 3).map(([message, count]) => `${formatCount(count)} × ${message}`)
  return sorted.length > 3
    ? `${shown.join(', ')}, …`
    : shown.join(', ')
}

/** `'404 × 300, 500 × 100'`: the statuses of the failed responses (every status when nothing succeeded). */
function errorStatuses(result: EndpointResult): string {
  const { ok, statusCodes } = result.totals
  const entries = Object.entries(statusCodes)
    // without a success, every status was an error; otherwise only what is not 2xx/3xx is shown
    .filter(([status]) => ok === 0 || Number(status) < 200 || Number(status) >= 400)
    .sort(([, a], [, b]) => b - a)
  return entries.map(([status, count]) => `${status} × ${formatCount(count)}`).join(', ')
}

/**
 * What went wrong in words, for the error budget's failure and the summaries:
 * `'the target stopped answering between 1 s and 2 s: 79 % of requests got no response (21,345 of 27,012: 21,345 × ECONNREFUSED …)'`,
 * `'100 % of responses were 404 (500 of 500)'`.
 */
export function describeErrors(result: EndpointResult): string {
  const { requests, ok, errors } = result.totals
  const parts: string[] = []
  const noResponse = errors.network + errors.timeout
  if (noResponse > 0) {
    const stopped = stoppedAnsweringSecond(result.timeline)
    // a point may span more than a second (a long run's older seconds merged): its own width
    const width = result.timeline.find(point => point.second === stopped)?.durationMs ?? 1000
    const prefix = stopped === null
      ? ''
      : `the target stopped answering between ${stopped} s and ${stopped + Math.max(1, Math.round(width / 1000))} s: `
    const messages = topMessages(result.totals.errorMessages)
    parts.push(`${prefix}${formatPercent(noResponse / requests)} of requests got no response (${formatCount(noResponse)} of ${formatCount(requests)}${messages
      ? `: ${messages}`
      : ''})`)
  }
  if (errors.http > 0) {
    const responses = ok + errors.http
    const statuses = errorStatuses(result)
    const single = ok === 0 && Object.keys(result.totals.statusCodes).length === 1
    parts.push(single
      ? `${formatPercent(errors.http / responses)} of responses were ${Object.keys(result.totals.statusCodes)[0]} (${formatCount(errors.http)} of ${formatCount(responses)})`
      : `${formatPercent(errors.http / responses)} of responses had a status the test does not expect (${formatCount(errors.http)} of ${formatCount(responses)}${statuses
        ? `: ${statuses}`
        : ''})`)
  }
  return parts.join('; ')
}

/** Whether a matcher that judges errors (`toHaveErrorRateBelow`, `toHaveCheckPassRateAbove`) ran on the run or one of its endpoints. */
export function errorsJudged(verdicts: readonly MatcherVerdict[]): boolean {
  return verdicts.some(verdict => ERROR_MATCHERS.has(verdict.matcher))
}

/** What the error budget concluded about a run. */
export interface ErrorBudgetOutcome {
  /** The verdict for the reports; `null` when the budget did not apply (turned off, or errors asserted by the test). */
  verdict: MatcherVerdict | null
  /** The failure message when the run spent more than its budget; `null` when it held or did not apply. */
  failure: string | null
}

/**
 * Checks a finished run against its error budget (a ratio, or `false` for none), once its assertions
 * are over: when they judged errors themselves the budget stands aside. Pure: see `applyErrorBudget`.
 */
export function checkErrorBudget(run: EndpointResult, budget: number | false, verdicts: readonly MatcherVerdict[]): ErrorBudgetOutcome {
  if (budget === false || errorsJudged(verdicts))
    return { verdict: null, failure: null }
  const { requests, errors } = run.totals
  const { silentMs, totalMs } = silentTime(run.timeline)
  const silentShare = totalMs > 0
    ? silentMs / totalMs
    : 0
  const rateSpent = run.errorRate > budget
  // users back off from a dead target, so its few attempts alone could keep the rate low
  const timeSpent = silentShare > budget
  const pass = !rateSpent && !timeSpent
  const budgetText = formatPercent(budget)
  const verdict: MatcherVerdict = {
    matcher: ERROR_BUDGET_VERDICT,
    measured: 'error rate',
    endpoint: null,
    expected: `≤ ${budgetText}`,
    actual: requests === 0
      ? 'not measured'
      : timeSpent && !rateSpent
        ? `${formatPercent(run.errorRate)}, no success in ${formatPercent(silentShare)} of the time`
        : formatPercent(run.errorRate),
    isNot: false,
    pass,
  }
  if (pass)
    return { verdict, failure: null }
  const reasons = [
    ...(rateSpent
      ? [`Its error rate ${formatPercent(run.errorRate)} is above the error budget of ${budgetText}.`]
      : []),
    ...(timeSpent
      ? [`No request succeeded in ${formatMs(silentMs)} of its ${formatMs(totalMs)} (${formatPercent(silentShare)} of the time), above the error budget of ${budgetText}.`]
      : []),
    ...(errors.network + errors.timeout > 0
      ? ['The latency figures describe only the requests that got a response.']
      : []),
  ]
  const failure = `Load test "${run.name}": ${describeErrors(run)}. ${reasons.join(' ')} `
    + `Assert on errors with expect(run).toHaveErrorRateBelow(…) or set errorBudget (now ${budgetText}; false turns it off).`
  return { verdict, failure }
}

/** `checkErrorBudget` on the verdicts recorded so far, recording its own verdict on the run; returns the failure message or `null`. */
export function applyErrorBudget(run: EndpointResult, budget: number | false): string | null {
  const { verdict, failure } = checkErrorBudget(run, budget, verdictsOf(run))
  if (verdict)
    recordVerdict(run, verdict)
  return failure
}
