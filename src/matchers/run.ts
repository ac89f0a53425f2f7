import type { MatcherResult, MatcherState } from 'vitest'
import type { BaselineComparison, BaselineRow } from '../baseline/compare.js'
import type { BaselineFigures } from '../baseline/sample.js'
import type { EndpointResult } from '../metrics/summary.js'
import { comparePairs, compareRuns, measuredIntervals, MIN_PAIRS } from '../baseline/compare.js'
import { resolveRunTolerances } from '../baseline/options.js'
import { baselineWarmupSeconds, sampleOf } from '../baseline/sample.js'
import { MIN_INTERVALS } from '../baseline/statistics.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { recordVerdict, runOf } from '../metrics/verdicts.js'
import { describeValue } from '../spec/describe-value.js'
import { describeRows, listChanges } from './baseline.js'
import { oneLineSummary, requireResult } from './message.js'

const EXAMPLE = `expect(after).toMatchRun(before, { p95: '+10%' }), or with runAB(): expect(b).toMatchRun(a)`

/** The load model of a result's run, in words: two runs compare only under the same load. */
function loadOf(result: EndpointResult): string {
  return runOf(result)?.model ?? 'unknown load'
}

/** `'GET /items · a'` for the slices `'GET /items · a 1/6'`, `'GET /items · a 2/6'`… */
function sideName(slices: readonly EndpointResult[]): string {
  return slices[0]!.name.replace(/ \d+\/\d+$/, '')
}

/** Either one result, or slices of an A/B comparison (`runAB`): an array of results. */
function requireSide(value: unknown, role: 'received' | 'before'): EndpointResult | EndpointResult[] {
  if (!Array.isArray(value)) {
    if (role === 'before' && (value === undefined || value === null))
      throw new InvalidMatcherArgumentError(`toMatchRun(before) expects the run to compare with, got ${describeValue(value)}. Example: ${EXAMPLE}`)
    return requireResult(value, 'toMatchRun')
  }
  return value.map(one => requireResult(one, 'toMatchRun'))
}

interface Outcome {
  pass: boolean
  rows: BaselineRow[]
  against: string
  message: string
  /** The result the verdict is recorded on, for the reports: the run, or the last slice. */
  on: EndpointResult
}

/**
 * Compares a run with another of the same test, by the statistics of `toMatchBaseline`, with its
 * tolerances: fails when a latency percentile, the throughput or the error rate got worse beyond its
 * tolerance with 95 % confidence. Two runs: the shift between their per-second figures decides
 * (it cannot see drift between them). Slices of `runAB()`: slice i of each side are paired, and the
 * mean of their differences decides, so drift that touched both cancels.
 */
export function toMatchRun(this: MatcherState, received: unknown, before: unknown, tolerances?: unknown): MatcherResult {
  if (this.isNot)
    throw new InvalidMatcherArgumentError(`toMatchRun() has no .not form: a run either matches the other within the tolerances or regressed. Example: ${EXAMPLE}`)
  const now = requireSide(received, 'received')
  const then = requireSide(before, 'before')
  const resolved = resolveRunTolerances(tolerances)
  const outcome = Array.isArray(now) || Array.isArray(then)
    ? comparePairsOf(now, then, resolved)
    : compareTwo(now, then, resolved)
  const comparison: BaselineComparison = {
    name: Array.isArray(now)
      ? sideName(now)
      : now.name,
    file: '',
    status: 'compared',
    recorded: null,
    rows: outcome.rows,
    against: outcome.against,
    ...(Array.isArray(now) && { runs: now.length }),
  }
  const regressed = outcome.rows.filter(row => row.verdict === 'regressed')
  recordVerdict(outcome.on, {
    matcher: 'toMatchRun',
    measured: `change from ${outcome.against}`,
    endpoint: runOf(outcome.on) === outcome.on
      ? null
      : outcome.on.name,
    expected: 'no significant regression beyond tolerance',
    actual: outcome.rows.length === 0
      ? 'not compared'
      : regressed.length > 0
        ? listChanges(regressed)
        : 'within tolerance',
    isNot: false,
    pass: outcome.pass,
    baseline: comparison,
  })
  return {
    pass: outcome.pass,
    message: () => `${outcome.message}\n  ${oneLineSummary(outcome.on)}`,
  }
}

/** `'1 interval'`, `'3 intervals'` */
function intervalCount(count: number): string {
  return `${count} interval${count === 1
    ? ''
    : 's'}`
}

function verdictMessage(what: string, against: string, rows: BaselineRow[]): string {
  const regressed = rows.filter(row => row.verdict === 'regressed')
  return regressed.length === 0
    ? `expected ${what} to match ${against}, and it did:\n${describeRows(rows)}`
    : `expected ${what} to match ${against}, but it regressed: ${listChanges(regressed)}\n${describeRows(rows)}`
}

function compareTwo(now: EndpointResult, then: EndpointResult, tolerances: ReturnType<typeof resolveRunTolerances>): Outcome {
  const against = `run "${then.name}"`
  const what = `"${now.name}"`
  if (now === then)
    throw new InvalidMatcherArgumentError(`toMatchRun(before) was given the run it is called on; compare two runs. Example: ${EXAMPLE}`)
  const [load, loadBefore] = [
    loadOf(now),
    loadOf(then),
  ]
  if (load !== loadBefore) {
    return {
      pass: false,
      rows: [],
      against,
      on: now,
      message: `expected ${what} to match ${against}, but they ran different loads (${load}; before: ${loadBefore}), whose figures do not compare. Run both with the same load.`,
    }
  }
  const samples = [
    sampleOf(then, load),
    sampleOf(now, load),
  ] as const
  const short = [then, now].find((result, i) => measuredIntervals(samples[i]!) < MIN_INTERVALS)
  if (short) {
    return {
      pass: false,
      rows: [],
      against,
      on: now,
      message: `expected ${what} to match ${against}, but "${short.name}" has ${intervalCount(measuredIntervals(samples[short === then
        ? 0
        : 1]!))} with responses after its warm-up (${baselineWarmupSeconds(short.timeline)} s, left out), `
        + `and a comparison needs at least ${MIN_INTERVALS} on each side to test a change for significance. Run the load for ${MIN_INTERVALS} s or more after the warm-up, e.g. load: { users: 10, duration: '10s' }`,
    }
  }
  const rows = compareRuns(samples[0], samples[1], tolerances)
  return {
    pass: !rows.some(row => row.verdict === 'regressed'),
    rows,
    against,
    on: now,
    message: verdictMessage(what, against, rows),
  }
}

function comparePairsOf(now: EndpointResult | EndpointResult[], then: EndpointResult | EndpointResult[], tolerances: ReturnType<typeof resolveRunTolerances>): Outcome {
  if (!Array.isArray(now) || !Array.isArray(then) || now.length !== then.length || now.length < MIN_PAIRS) {
    throw new InvalidMatcherArgumentError(`toMatchRun() compares one run with one run, or the slices of runAB() with as many slices of the other side (${MIN_PAIRS} or more); got ${Array.isArray(now)
      ? `${now.length} slices`
      : 'a run'} and ${Array.isArray(then)
      ? `${then.length} slices`
      : 'a run'}. Example: ${EXAMPLE}`)
  }
  const against = `${then.length} slices of "${sideName(then)}", in pairs`
  const what = `the slices of "${sideName(now)}"`
  const on = now.at(-1)!
  const loads = new Set([
    ...now,
    ...then,
  ].map(loadOf))
  if (loads.size > 1) {
    return {
      pass: false,
      rows: [],
      against,
      on,
      message: `expected ${what} to match ${against}, but the slices ran different loads (${[...loads].join('; ')}), whose figures do not compare.`,
    }
  }
  const [load] = loads
  const figures = (side: readonly EndpointResult[]): BaselineFigures[] => side.map(result => sampleOf(result, load!).summary)
  const rows = comparePairs(figures(then), figures(now), tolerances)
  return {
    pass: !rows.some(row => row.verdict === 'regressed'),
    rows,
    against,
    on,
    message: verdictMessage(what, against, rows),
  }
}
