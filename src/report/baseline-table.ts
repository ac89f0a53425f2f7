import type { BaselineComparison, BaselineRowVerdict } from '../baseline/compare.js'
import type { BaselineEnvironment } from '../baseline/environment.js'
import type { MatcherVerdict } from '../metrics/verdicts.js'
import { MAX_RUNS, MIN_RUNS } from '../baseline/compare.js'
import { describeMachine } from '../baseline/environment.js'
import { formatPercent } from '../metrics/units.js'

/** The columns of a baseline comparison table, as every format shows it. */
export const BASELINE_COLUMNS = [
  'metric',
  'baseline',
  'now',
  'change',
  'tolerance',
  'detectable',
  'verdict',
] as const

/** The comparisons among a run's verdicts that have rows to show (a recorded or missing baseline has none). */
export function comparisonsOf(verdicts: readonly MatcherVerdict[] | undefined): { verdict: MatcherVerdict, comparison: BaselineComparison }[] {
  return (verdicts ?? []).flatMap(verdict => verdict.baseline && verdict.baseline.rows.length > 0
    ? [
        { verdict, comparison: verdict.baseline },
      ]
    : [])
}

/** One line above a table: what was compared with what. `'GET /users · recorded 2026-11-20 · test/__baselines__/x.json'`, `'GET /users · after against run "GET /users · before"'` */
export function comparisonTitle(comparison: BaselineComparison): string {
  if (comparison.against !== undefined)
    return `${comparison.name} against ${comparison.against}`
  return `${comparison.name} · recorded ${comparison.recorded ?? 'on an unknown day'} · ${comparison.file}`
}

/** `'baseline'` → `'Baseline'`: a heading's first letter up. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** What a table compares with, as its heading names it: a stored baseline, or another run (`toMatchRun`). */
export function comparisonHeading(comparison: BaselineComparison): 'baseline' | 'comparison' {
  return comparison.against === undefined
    ? 'baseline'
    : 'comparison'
}

/** The columns of one comparison's table: `before` in place of `baseline` for another run. */
export function comparisonColumns(comparison: BaselineComparison): string[] {
  return BASELINE_COLUMNS.map(column => column === 'baseline' && comparison.against !== undefined
    ? 'before'
    : column)
}

/**
 * The cells of each row, in `BASELINE_COLUMNS` order, and the verdict that colours it. A run that
 * was not comparable shows each verdict as `not judged (…)`, coloured as inconclusive: it failed
 * nothing.
 */
export function comparisonCells(comparison: BaselineComparison): { cells: string[], verdict: BaselineRowVerdict }[] {
  const judged = comparison.status !== 'not comparable'
  return comparison.rows.map(row => ({
    cells: [
      row.label,
      row.text.baseline,
      row.text.now,
      row.text.change,
      row.text.tolerance,
      // a report written before detectable changes were shown has none
      row.text.detectable ?? '—',
      judged
        ? row.verdict
        : `not judged (${row.verdict})`,
    ],
    verdict: judged
      ? row.verdict
      : 'inconclusive',
  }))
}

function describeEnvironment(environment: BaselineEnvironment): string {
  return `${describeMachine(environment)}${environment.othersBusy === null
    ? ''
    : `, other processes ${formatPercent(environment.othersBusy)} of the CPU`}`
}

/**
 * The lines under a table's title, in every format: why the run was not compared, and where each
 * side was measured (a report written before environments were kept has neither).
 */
export function comparisonNotes(comparison: BaselineComparison): string[] {
  const notes: string[] = []
  if (comparison.notComparable !== undefined && comparison.notComparable.length > 0)
    notes.push(`Not comparable: ${comparison.notComparable.join('; ')}. The verdicts below are shown, not applied.`)
  if (comparison.against !== undefined && comparison.runs === undefined) {
    notes.push('Two runs: the intervals see the spread within each run, not the drift between them (a neighbour, caches); '
      + 'runAB() alternates slices of load between two targets so that drift touches both alike.')
  }
  if (comparison.against === undefined && comparison.runs !== undefined && comparison.runs < MIN_RUNS && comparison.status === 'compared') {
    notes.push(`The baseline holds ${comparison.runs} of the ${MIN_RUNS} runs needed to know the spread between runs: no change is called a regression yet. `
      + `Run the test again on the machine that records (each run that passes is added, up to ${MAX_RUNS}) and commit the file.`)
  }
  if (comparison.environment) {
    const { baseline, now } = comparison.environment
    notes.push(`This run: ${describeEnvironment(now)}. Baseline: ${baseline
      ? describeEnvironment(baseline)
      : 'not recorded (a baseline of an earlier version)'}.`)
  }
  return notes
}
