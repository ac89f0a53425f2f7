import type { TaskMeta } from 'vitest'
import type { LoadRun } from '../metrics/summary.js'
import type { RunReport } from './run-report.js'
import { onTestFinished } from 'vitest'
import { META_KEY, toRunReport } from './run-report.js'
import { formatSummary } from './terminal.js'
import { REPORTER_ENV } from './vitest-reporter.js'

/** Appends a run's report to a test's meta, where `LoadReporter` finds it in Vitest's main process. */
export function attachReport(meta: TaskMeta, report: RunReport): void {
  const slot = meta as Record<string, unknown>
  const reports = Array.isArray(slot[META_KEY])
    ? slot[META_KEY] as RunReport[]
    : []
  // in the order the runs started, whatever order the hooks that attach them run in
  slot[META_KEY] = [...reports, report].sort((a, b) => a.startedAt.localeCompare(b.startedAt))
}

/**
 * Hands a finished run to whoever shows it: the summary is printed now, from the test, unless the
 * `vitestLoad()` plugin's reporter will print it in the main process; the report goes into the
 * meta of the test that is running (`meta` when the caller has it, else the current test's, once
 * it finishes). Outside a test there is no meta to fill, and only the print happens.
 */
export function publishRun(run: LoadRun, meta?: TaskMeta): RunReport {
  const report = toRunReport(run)
  if (process.env[REPORTER_ENV] !== '1')
    console.log(formatSummary(report, { colors: false }))
  if (meta) {
    attachReport(meta, report)
    return report
  }
  try {
    onTestFinished(({ task }) => attachReport(task.meta, report))
  }
  catch {
    // not inside a Vitest test (a plain script): nothing to attach the report to
  }
  return report
}
