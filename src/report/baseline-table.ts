import type { BaselineComparison, BaselineRowVerdict } from '../baseline/compare.js'
import type { MatcherVerdict } from '../metrics/verdicts.js'

/** The columns of a baseline comparison table, as every format shows it. */
export const BASELINE_COLUMNS = [
  'metric',
  'baseline',
  'now',
  'change',
  'tolerance',
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

/** One line above a table: what was compared with what. `'GET /users · recorded 2026-11-20 · test/__baselines__/x.json'` */
export function comparisonTitle(comparison: BaselineComparison): string {
  return `${comparison.name} · recorded ${comparison.recorded ?? 'on an unknown day'} · ${comparison.file}`
}

/** The cells of each row, in `BASELINE_COLUMNS` order. */
export function comparisonCells(comparison: BaselineComparison): { cells: string[], verdict: BaselineRowVerdict }[] {
  return comparison.rows.map(row => ({
    cells: [
      row.label,
      row.text.baseline,
      row.text.now,
      row.text.change,
      row.text.tolerance,
      row.verdict,
    ],
    verdict: row.verdict,
  }))
}
