import type { Reporter, TestCase, Vitest } from 'vitest/node'
import chalk from 'chalk'
import { isRunReport, META_KEY } from './run-report.js'
import { formatSummary } from './terminal.js'

/** Environment variable the plugin sets so tests leave printing the summary to this reporter. */
export const REPORTER_ENV = 'VITEST_LOAD_REPORTER'

/**
 * Prints each load test's summary in the Vitest main process, from the run report the test put
 * in its task meta, coloured when the terminal takes colour. Added by `vitest-load/config`.
 */
export class LoadReporter implements Reporter {
  #vitest: Vitest | undefined

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
  }

  onTestCaseResult(testCase: TestCase): void {
    const reports: unknown = (testCase.meta() as Record<string, unknown>)[META_KEY]
    if (!Array.isArray(reports) || !this.#vitest)
      return
    for (const report of reports.filter(isRunReport)) {
      // chalk's own detection: a TTY, FORCE_COLOR and NO_COLOR, as every other coloured tool does
      this.#vitest.logger.log(`\n${formatSummary(report, { colors: chalk.level > 0 })}\n`)
    }
  }
}
