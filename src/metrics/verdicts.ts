import type { BaselineComparison } from '../baseline/compare.js'
import type { EndpointResult } from './summary.js'

/**
 * What one matcher concluded about a run or one of its endpoints, as the reports show it:
 * `expect(run.endpoint('GET /users')).not.toHaveP95Below('100ms')`, measured 31 ms, failed.
 */
export interface MatcherVerdict {
  /** The matcher's name, e.g. `'toHaveP95Below'`. */
  matcher: string
  /** What it measured, in words: `'p95 latency'`, `'error rate'`, `'throughput'`. */
  measured: string
  /** The endpoint it ran on (`run.endpoint(name)`), or `null` for the whole run (or a step). */
  endpoint: string | null
  /** The step it ran on (`run.step(50)`), as `'50 users'`, `'200 req/s'` or, in a spike, `'peak, 50 users'`; absent otherwise. */
  step?: string
  /** The one check it concerned: `toHaveCheckPassRateAbove(0.99, 'status is 200')`. Absent otherwise. */
  check?: string
  /** The limit with its comparison and unit, e.g. `'< 100 ms'`, `'> 190 req/s'`, `'< 1 %'`. */
  expected: string
  /** The measured value with its unit, e.g. `'31 ms'`, or `'not measured'`. */
  actual: string
  /** Called as `expect(…).not.…`. */
  isNot: boolean
  /** Whether the assertion held, `.not` taken into account. */
  pass: boolean
  /** `toMatchBaseline` only: the comparison with the stored baseline, metric by metric. */
  baseline?: BaselineComparison
}

/**
 * Verdicts by the result objects they concern: a run and each of its endpoints and steps share one
 * list, so `expect(run.endpoint('GET /a'))` lands in the run's report. Weak keys: nothing outlives its run.
 */
const registry = new WeakMap<object, MatcherVerdict[]>()
/** The run each tracked result belongs to (a run belongs to itself). */
const owners = new WeakMap<object, EndpointResult>()

function isRun(result: EndpointResult): result is EndpointResult & { endpoints: EndpointResult[] } {
  return Array.isArray((result as { endpoints?: unknown }).endpoints)
}

/**
 * The live list of verdicts of `run`: matchers called on the run or on any of its endpoints from
 * now on (and any before) append to it. Call it before the assertions run.
 */
export function trackVerdicts(run: EndpointResult & { endpoints: readonly EndpointResult[], steps?: readonly EndpointResult[] }): MatcherVerdict[] {
  let verdicts = registry.get(run)
  if (!verdicts) {
    verdicts = []
    registry.set(run, verdicts)
  }
  owners.set(run, run)
  for (const endpoint of [
    ...run.endpoints,
    ...run.steps ?? [],
  ]) {
    owners.set(endpoint, run)
    // an endpoint whose verdicts were recorded before its run was tracked brings them along
    const earlier = registry.get(endpoint)
    if (earlier && earlier !== verdicts)
      verdicts.push(...earlier)
    registry.set(endpoint, verdicts)
  }
  return verdicts
}

/** Appends a verdict to the list of the run `result` belongs to (`result` is the run itself or one of its endpoints or steps). */
export function recordVerdict(result: EndpointResult, verdict: MatcherVerdict): void {
  const verdicts = registry.get(result) ?? (isRun(result)
    ? trackVerdicts(result)
    : [])
  if (!registry.has(result))
    registry.set(result, verdicts)
  verdicts.push(verdict)
}

/** The verdicts recorded so far on `result`'s run, in the order the matchers ran. */
export function verdictsOf(result: EndpointResult): readonly MatcherVerdict[] {
  return registry.get(result) ?? []
}

/** The run `result` belongs to: itself for a run, its run for an endpoint or a step; `undefined` for a result never tracked. */
export function runOf(result: EndpointResult): (EndpointResult & { model?: string }) | undefined {
  if (isRun(result))
    return result
  return owners.get(result)
}
