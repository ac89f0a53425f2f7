import type { LoadRun } from './metrics/summary.js'
import type { RunLoadSettings } from './run-load.js'
import type { LoadTestSpec } from './spec/spec.js'
import type { LoadTestOptions } from './spec/types.js'
import { availableParallelism } from 'node:os'
import { MIN_PAIRS } from './baseline/compare.js'
import { InvalidOptionsError } from './errors.js'
import { runLoad } from './run-load.js'
import { describeValue } from './spec/describe-value.js'
import { validateOptions } from './spec/validate.js'

/** The two targets of an A/B comparison: the old build and the new, v1 and v2 of an endpoint. */
export interface ABTargets {
  /** The reference, e.g. the build of the main branch: `'http://127.0.0.1:3001'`. */
  a: string
  /** The one judged against it: `expect(b).toMatchRun(a)`. */
  b: string
}

/** Settings of one `runAB()` call beside the load itself. */
export interface RunABSettings extends RunLoadSettings {
  /**
   * Slices of load each target gets, in pairs: a then b, b then a, a then b… (the order turns each
   * pair, so a drift that grows over time touches both alike). Each slice is one run of `load`.
   * @default 6
   */
  pairs?: number
}

/** The slices of an A/B comparison, in pairs: `a[i]` ran next to `b[i]`. */
export interface ABRuns {
  /** The slices against target `a`, one run each, named `'GET /items · a 1/6'`… */
  a: LoadRun[]
  b: LoadRun[]
  /** The order the slices ran in: `['a', 'b', 'b', 'a', 'a', 'b', …]`. */
  order: ('a' | 'b')[]
}

const DEFAULT_PAIRS = 6
const MAX_PAIRS = 100
const EXAMPLE = `runAB({ a: 'http://127.0.0.1:3001', b: 'http://127.0.0.1:3002' }, { request: { path: '/items' }, load: { users: 4, duration: '3s' } }, { pairs: 6 })`

function checkTargets(targets: unknown, problems: string[]): targets is ABTargets {
  if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) {
    problems.push(`targets: expected { a, b }, the two targets' URLs, got ${describeValue(targets)}. Example: ${EXAMPLE}`)
    return false
  }
  const { a, b } = targets as Partial<Record<'a' | 'b', unknown>>
  for (const [side, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (typeof value !== 'string' || value.trim() === '')
      problems.push(`targets.${side}: expected a URL such as 'http://127.0.0.1:3001', got ${describeValue(value)}`)
  }
  const extra = Object.keys(targets).filter(key => key !== 'a' && key !== 'b')
  if (extra.length > 0) {
    problems.push(`targets: ${extra.join(', ')} ${extra.length === 1
      ? 'is'
      : 'are'} not a target; an A/B comparison takes two, a and b`)
  }
  if (typeof a === 'string' && a === b)
    problems.push(`targets: a and b are the same URL (${a}); an A/B comparison needs two targets. Example: ${EXAMPLE}`)
  return problems.length === 0
}

/**
 * Runs the same load against two targets in alternating slices, `pairs` slices each, so that what
 * drifts while they run (a neighbour taking the CPU, caches, a throttled core) touches both alike:
 * `expect(b).toMatchRun(a)` then weighs slice i of `b` against slice i of `a`, and drift cancels.
 * `load` is one slice (`{ users: 4, duration: '3s' }`); each slice is a run of its own in the
 * reports. Options are checked for both targets before any load is sent.
 * @example
 * test('the new build is no slower', async () => {
 *   const { a, b } = await runAB({ a: OLD, b: NEW }, { request: { path: '/items' }, load: { users: 4, duration: '3s' } })
 *   expect(b).toMatchRun(a, { p95: '+10%' })
 * })
 */
export async function runAB(targets: ABTargets, options: Omit<LoadTestOptions, 'target'>, settings: RunABSettings = {}): Promise<ABRuns> {
  const { pairs = DEFAULT_PAIRS, ...runSettings } = settings
  const label = settings.name ?? 'runAB()'
  const problems: string[] = []
  if (!Number.isInteger(pairs) || pairs < MIN_PAIRS || pairs > MAX_PAIRS)
    problems.push(`pairs: expected a whole number from ${MIN_PAIRS} to ${MAX_PAIRS} (slices each target gets; ${MIN_PAIRS} or more for an interval), got ${describeValue(pairs)}. Example: { pairs: 6 }`)
  if (typeof options === 'object' && options !== null && 'target' in options)
    problems.push(`options.target: runAB takes its two targets in its first argument, { a, b }; leave target out of the options`)
  const both = checkTargets(targets, problems)
  // every problem of the options at once, for both targets, before any load: those only one
  // target has (its URL) are named by its side
  const specs: Partial<Record<'a' | 'b', LoadTestSpec>> = {}
  if (both) {
    const problemsOf = (side: 'a' | 'b'): readonly string[] => {
      try {
        specs[side] = validateOptions(label, { ...options, target: targets[side] }, availableParallelism(), { named: settings.name !== undefined })
        return []
      }
      catch (error) {
        if (error instanceof InvalidOptionsError)
          return error.problems
        throw error
      }
    }
    const [ofA, ofB] = [
      problemsOf('a'),
      problemsOf('b'),
    ]
    problems.push(
      ...ofA.map(problem => ofB.includes(problem)
        ? problem
        : `(target a) ${problem}`),
      ...ofB.filter(problem => !ofA.includes(problem)).map(problem => `(target b) ${problem}`),
    )
  }
  // the load is the same for both: either side's spec says what it is
  const spec = specs.a ?? specs.b
  if (spec) {
    if (spec.steps)
      problems.push(`load.${spec.steps.until ? 'breakingPoint: a breaking-point search' : 'steps: a step test'} does not slice; give each slice a fixed load, e.g. { users: 4, duration: '3s' }`)
    else if (spec.load.kind === 'closed' && spec.load.durationMs === null)
      problems.push('load.iterations: slices are compared second by second; give each slice a duration, e.g. { users: 4, duration: \'3s\' }')
  }
  if (problems.length > 0)
    throw new InvalidOptionsError(label, problems)
  const name = settings.name ?? spec!.request.name
  const runs: ABRuns = { a: [], b: [], order: [] }
  for (let pair = 0; pair < pairs; pair++) {
    const order = pair % 2 === 0
      ? (['a', 'b'] as const)
      : (['b', 'a'] as const)
    for (const side of order) {
      runSettings.signal?.throwIfAborted()
      const run = await runLoad({ ...options, target: targets[side] } as LoadTestOptions, {
        ...runSettings,
        name: `${name} · ${side} ${pair + 1}/${pairs}`,
      })
      runs[side].push(run)
      runs.order.push(side)
    }
  }
  return runs
}
