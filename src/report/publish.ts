import type { TaskMeta } from 'vitest'
import type { LoadRun } from '../metrics/summary.js'
import type { RequestDescription } from '../spec/redact.js'
import type { RunReport } from './run-report.js'
import { onTestFinished } from 'vitest'
import { ErrorBudgetExceededError, LoadTestError } from '../errors.js'
import { applyErrorBudget } from '../metrics/error-budget.js'
import { isEndpointResult } from '../metrics/summary.js'
import { trackVerdicts } from '../metrics/verdicts.js'
import { redactText } from '../spec/redact.js'
import { META_KEY, toRunReport } from './run-report.js'
import { formatSummary } from './terminal.js'
import { REPORTER_ENV } from './vitest-reporter.js'

/** What `publishRun` needs besides the run. */
export interface PublishContext {
  /** The meta of the test the run belongs to; without it, the current test's, once it finishes. */
  meta?: TaskMeta
  /** The request sent, secrets already redacted. */
  request?: RequestDescription
  /** Secret values to remove from every text of the report. */
  secretValues?: readonly string[]
  /**
   * `runLoad()` only: the run's error budget, checked when the test finishes (after every matcher
   * on the run); the test fails when it is spent. `loadTest` checks it itself after its assertions.
   */
  errorBudget?: number | false
}

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
 * Hands a finished run to whoever shows it. The report is built when the assertions are over, so
 * it carries the verdicts of the matchers that ran on the run:
 * - with `meta` (loadTest, after its assertions callback): at once;
 * - without (runLoad inside a user's test): when the current test finishes, with every verdict
 *   recorded until then;
 * - outside a test (a plain script): at once, printed only, since there is no meta to fill.
 * The summary is printed from the test unless the `vitestLoad()` plugin's reporter prints it in the
 * main process.
 */
export function publishRun(run: LoadRun, context: PublishContext = {}): void {
  const verdicts = trackVerdicts(run)
  const publish = (meta: TaskMeta | undefined): void => {
    const report = toRunReport(run, { request: context.request, verdicts, secretValues: context.secretValues })
    if (process.env[REPORTER_ENV] !== '1')
      console.log(formatSummary(report, { colors: false }))
    if (meta)
      attachReport(meta, report)
  }
  if (context.meta) {
    publish(context.meta)
    return
  }
  try {
    onTestFinished(({ task }) => {
      const failure = context.errorBudget === undefined
        ? null
        : applyErrorBudget(run, context.errorBudget)
      publish(task.meta)
      // beside a failed assertion, a second error of the test: the cause it may not show
      if (failure !== null)
        throw new ErrorBudgetExceededError(redactText(failure, context.secretValues ?? []))
    })
  }
  catch {
    // not inside a Vitest test (a plain script): nothing to attach the report to
    publish(undefined)
  }
}

/**
 * The run a failed run's error carries (`WorkerCrashedError`, `LoadTimeoutError`,
 * `LoadAbortedError` after the start): what was measured until it stopped, marked `incomplete`.
 */
export function partialRunOf(error: unknown): LoadRun | undefined {
  const run: unknown = error instanceof LoadTestError
    ? (error as { run?: unknown }).run
    : undefined
  return isEndpointResult(run)
    ? run as LoadRun
    : undefined
}
