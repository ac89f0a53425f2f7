import type { Reporter, TestCase, Vitest } from 'vitest/node'
import type { ReportTest } from './format-json.js'
import type { RunReport } from './run-report.js'
import type { ReportFormat } from './write-reports.js'
import { basename, isAbsolute, relative, resolve, sep } from 'node:path'
import chalk from 'chalk'
import { isRunReport, META_KEY } from './run-report.js'
import { formatSummary } from './terminal.js'
import { REPORT_FORMATS, ReportWriter } from './write-reports.js'

/** Environment variable the plugin sets so tests leave printing the summary to this reporter. */
export const REPORTER_ENV = 'VITEST_LOAD_REPORTER'

/** Where `LoadReporter` writes, and what. */
export interface LoadReporterOptions {
  /**
   * The folder for report files, relative to the Vitest root (or absolute).
   * @default '.vitest-load'
   */
  outputDir?: string
  /**
   * Which report files to write: a JSON and an HTML file per run, and one Markdown summary of the
   * whole test run (`summary.md`, also appended to `$GITHUB_STEP_SUMMARY` when that is set).
   * `[]` writes none; the terminal summary is printed either way.
   * @default ['json', 'html', 'markdown']
   */
  formats?: readonly ReportFormat[]
}

export const DEFAULT_OUTPUT_DIR = '.vitest-load'

/** `path` relative to `root`, with `/` on every system: `'test/users.load.test.ts'`. */
function relativePath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}

/**
 * Prints each load test's summary in the Vitest main process, from the run reports the test put
 * in its task meta (coloured when the terminal takes colour), and writes the report files.
 * Added by `vitest-load/config`; add it yourself to a reporter list as `new LoadReporter()`.
 */
export class LoadReporter implements Reporter {
  readonly #options: LoadReporterOptions
  #vitest: Vitest | undefined
  #writer: ReportWriter | undefined

  constructor(options: LoadReporterOptions = {}) {
    this.#options = options
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    const root = vitest.config.root
    const outputDir = this.#options.outputDir ?? DEFAULT_OUTPUT_DIR
    this.#writer = new ReportWriter({
      outputDir: isAbsolute(outputDir)
        ? outputDir
        : resolve(root, outputDir),
      formats: this.#options.formats ?? REPORT_FORMATS,
      stepSummaryFile: process.env.GITHUB_STEP_SUMMARY || undefined,
    })
  }

  onTestRunStart(): void {
    this.#writer?.reset()
  }

  onTestCaseResult(testCase: TestCase): void {
    const reports: unknown = (testCase.meta() as Record<string, unknown>)[META_KEY]
    if (!Array.isArray(reports) || !this.#vitest)
      return
    const test: ReportTest = {
      file: relativePath(this.#vitest.config.root, testCase.module.moduleId),
      name: testCase.fullName,
      state: testCase.result().state,
    }
    for (const report of reports.filter(isRunReport)) {
      // chalk's own detection: a TTY, FORCE_COLOR and NO_COLOR, as every other coloured tool does
      this.#vitest.logger.log(`\n${formatSummary(report, { colors: chalk.level > 0 })}\n`)
      this.#write(() => this.#writer?.writeRun({
        report: { ...report, verdicts: report.verdicts ?? [] } satisfies RunReport,
        test,
      }))
    }
  }

  onTestRunEnd(): void {
    const written = this.#write(() => this.#writer?.finish())
    if (!written || !this.#vitest)
      return
    const root = this.#vitest.config.root
    const files = [
      written.json.length > 0
        ? `${written.json.length} JSON`
        : '',
      written.html.length > 0
        ? `${written.html.length} HTML`
        : '',
      written.markdown
        ? basename(written.markdown)
        : '',
    ].filter(Boolean)
    if (files.length > 0) {
      const folder = relativePath(root, this.#writer!.outputDir) || '.'
      this.#vitest.logger.log(`${chalk.dim('vitest-load reports')} ${files.join(' · ')} ${chalk.dim(`in ${folder}/`)}${written.stepSummary
        ? chalk.dim(' · Markdown appended to $GITHUB_STEP_SUMMARY')
        : ''}`)
    }
  }

  /** A report that cannot be written (a read-only folder) is said in the output; it does not fail the tests. */
  #write<T>(write: () => T): T | undefined {
    try {
      return write()
    }
    catch (error) {
      this.#vitest?.logger.error(`vitest-load could not write its reports: ${(error as Error).message}`)
      return undefined
    }
  }
}
