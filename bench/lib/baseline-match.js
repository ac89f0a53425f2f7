// eslint-disable-next-line antfu/no-import-dist -- the benches measure the build, as users run it
import { toMatchBaseline } from '../../dist/matchers/baseline.js'
// eslint-disable-next-line antfu/no-import-dist
import { verdictsOf } from '../../dist/metrics/verdicts.js'

/**
 * Calls toMatchBaseline as Vitest does in a test named 'bench' of `testPath`, with the snapshot
 * update state `mode` ('new' records a missing baseline, 'none' is CI); returns whether it passed,
 * the baseline's status and its rows.
 */
export function matchBaseline(testPath, run, mode) {
  const state = {
    isNot: false,
    testPath,
    currentTestName: 'bench',
    snapshotState: { snapshotUpdateState: mode },
  }
  const result = toMatchBaseline.call(state, run)
  const { baseline } = verdictsOf(run).at(-1)
  return { pass: result.pass, status: baseline.status, rows: baseline.rows }
}
