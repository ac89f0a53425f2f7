// eslint-disable-next-line antfu/no-import-dist -- the benches measure the build, as users run it
import { toMatchRun } from '../../dist/matchers/run.js'
// eslint-disable-next-line antfu/no-import-dist
import { verdictsOf } from '../../dist/metrics/verdicts.js'

/**
 * Calls toMatchRun as Vitest does, `now` against `before` (runs, or the slices of runAB); returns
 * whether it passed and its rows.
 */
export function matchRun(now, before) {
  const result = toMatchRun.call({ isNot: false, currentTestName: 'bench' }, now, before)
  const on = Array.isArray(now)
    ? now.at(-1)
    : now
  const { baseline } = verdictsOf(on).at(-1)
  return { pass: result.pass, rows: baseline.rows }
}
