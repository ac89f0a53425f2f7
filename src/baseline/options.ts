import type { BaselineMetric, BaselineTolerances } from './compare.js'
import type { EnvironmentStrictness } from './environment.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { describeValue } from '../spec/describe-value.js'
import { BASELINE_METRICS, DEFAULT_TOLERANCES } from './compare.js'
import { DEFAULT_STRICTNESS } from './environment.js'

/**
 * Options of `toMatchBaseline`: per-metric tolerances (`{ p95: '+10%', throughput: '-5%' }`, or
 * `false` to leave a metric out) and the name of the baseline.
 */
export interface BaselineOptions extends BaselineTolerances {
  /**
   * The name the baseline is stored under in the baseline file.
   * @default the test's full name; with the run's or endpoint's name after ` > ` when the matcher
   * is not on the run of a `loadTest` (an endpoint, or a `runLoad()` inside your own test)
   */
  name?: string
  /**
   * How alike the machine must be to the baseline's for a comparison: `'strict'` (the same CPU
   * model and count, OS, Node major, and other processes' CPU share within 25 points), `'lenient'`
   * (the same CPU count and OS, other processes within 50 points) or `false` (any). A run that is
   * not comparable is reported so, with the figures, and passes: it is never a regression.
   * @default 'strict'
   */
  environment?: EnvironmentStrictness
}

/** The options with every tolerance resolved to a number (or `false`). */
export interface ResolvedBaselineOptions {
  name: string | undefined
  tolerances: Record<BaselineMetric, number | false>
  environment: EnvironmentStrictness
}

/** Which sign a tolerance may carry: the direction in which the metric gets worse. */
const WORSE_SIGN: Record<BaselineMetric, '+' | '-'> = {
  p50: '+',
  p95: '+',
  p99: '+',
  throughput: '-',
  errorRate: '+',
}

const EXAMPLE = `expect(run).toMatchBaseline({ p95: '+10%', throughput: '-5%', errorRate: '+1%', p99: false })`

function parseTolerance(metric: BaselineMetric, value: unknown): number | false | string {
  const sign = WORSE_SIGN[metric]
  const what = metric === 'errorRate'
    ? `an allowed rise of the error rate in percentage points, '+1%' or 0.01`
    : sign === '+'
      ? `an allowed increase, '+10%' or 0.1`
      : `an allowed decrease, '-5%' or 0.05`
  const problem = `${metric}: expected ${what}, or false to leave it out; got ${describeValue(value)}`
  if (value === false)
    return false
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0
      ? value
      : problem
  }
  if (typeof value !== 'string')
    return problem
  const match = /^\s*(?:([+\-−])\s*)?(\d+(?:\.\d+)?)\s*%\s*$/.exec(value)
  if (!match)
    return problem
  const given = match[1] === '−'
    ? '-'
    : match[1]
  if (given !== undefined && given !== sign) {
    return `${problem} (a ${metric} tolerance says how much worse it may get: ${sign === '+'
      ? 'up'
      : 'down'}, '${sign}${match[2]}%')`
  }
  return Number(match[2]) / 100
}

/** Reads the tolerances among `options` into `tolerances`, and what else it finds through `other` (which returns `false` for a key it does not know). */
function readTolerances(options: object, tolerances: Record<BaselineMetric, number | false>, problems: string[], other: (key: string, value: unknown) => boolean, otherKeys: readonly string[]): void {
  for (const [key, value] of Object.entries(options)) {
    if (other(key, value))
      continue
    if (!(BASELINE_METRICS as readonly string[]).includes(key)) {
      problems.push(`${key}: not an option; the options are ${[
        ...BASELINE_METRICS,
        ...otherKeys,
      ].join(', ')}`)
      continue
    }
    if (value === undefined)
      continue
    const parsed = parseTolerance(key as BaselineMetric, value)
    if (typeof parsed === 'string')
      problems.push(parsed)
    else
      tolerances[key as BaselineMetric] = parsed
  }
}

function problemsError(call: string, problems: readonly string[], example: string): InvalidMatcherArgumentError {
  return new InvalidMatcherArgumentError(`${call} has ${problems.length === 1
    ? 'a problem'
    : `${problems.length} problems`}:\n${problems.map(problem => `  - ${problem}`).join('\n')}\nExample: ${example}`)
}

/** Checks `toMatchBaseline`'s options, every problem at once; throws `InvalidMatcherArgumentError`. */
export function resolveBaselineOptions(options: unknown): ResolvedBaselineOptions {
  const tolerances: Record<BaselineMetric, number | false> = { ...DEFAULT_TOLERANCES }
  let environment: EnvironmentStrictness = DEFAULT_STRICTNESS
  if (options === undefined)
    return { name: undefined, tolerances, environment }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new InvalidMatcherArgumentError(`toMatchBaseline(options) expects an object of tolerances, got ${describeValue(options)}. Example: ${EXAMPLE}`)
  const problems: string[] = []
  let name: string | undefined
  readTolerances(options, tolerances, problems, (key, value) => {
    if (key === 'name') {
      if (typeof value === 'string' && value.trim() !== '')
        name = value
      else if (value !== undefined)
        problems.push(`name: expected a non-empty string, got ${describeValue(value)}`)
      return true
    }
    if (key === 'environment') {
      if (value === 'strict' || value === 'lenient' || value === false)
        environment = value
      else if (value !== undefined)
        problems.push(`environment: expected 'strict', 'lenient' or false, got ${describeValue(value)}`)
      return true
    }
    return false
  }, ['name', 'environment'])
  if (problems.length > 0)
    throw problemsError('toMatchBaseline(options)', problems, EXAMPLE)
  return { name, tolerances, environment }
}

const RUN_EXAMPLE = `expect(after).toMatchRun(before, { p95: '+10%', throughput: '-5%', p99: false })`

/** Checks `toMatchRun`'s tolerances (those of `toMatchBaseline`, with the same defaults), every problem at once. */
export function resolveRunTolerances(tolerances: unknown): Record<BaselineMetric, number | false> {
  const resolved: Record<BaselineMetric, number | false> = { ...DEFAULT_TOLERANCES }
  if (tolerances === undefined)
    return resolved
  if (typeof tolerances !== 'object' || tolerances === null || Array.isArray(tolerances))
    throw new InvalidMatcherArgumentError(`toMatchRun(before, tolerances) expects an object of tolerances, got ${describeValue(tolerances)}. Example: ${RUN_EXAMPLE}`)
  const problems: string[] = []
  readTolerances(tolerances, resolved, problems, () => false, [])
  if (problems.length > 0)
    throw problemsError('toMatchRun(before, tolerances)', problems, RUN_EXAMPLE)
  return resolved
}
