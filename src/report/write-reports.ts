import type { ReportEntry } from './format-markdown.js'
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { PACKAGE_VERSION } from '../package-version.js'
import { reportFileStem, ReportStems } from './file-names.js'
import { formatHtmlReport } from './format-html.js'
import { formatJsonReport, toJsonReport } from './format-json.js'
import { formatMarkdownSummary } from './format-markdown.js'

/** A kind of report file. */
export type ReportFormat = 'json' | 'html' | 'markdown'

export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'markdown']

/** Where the reports of one Vitest run went. */
export interface WrittenReports {
  json: string[]
  html: string[]
  /** `summary.md` in the output folder, when Markdown is on and a load test ran. */
  markdown?: string
  /** `$GITHUB_STEP_SUMMARY`, when it is set, Markdown is on and a load test ran. */
  stepSummary?: string
}

export interface ReportWriterOptions {
  /** Absolute path of the folder the files go to; created when the first file is written. */
  outputDir: string
  formats: readonly ReportFormat[]
  /** `$GITHUB_STEP_SUMMARY`: the Markdown summary is appended to this file too. */
  stepSummaryFile?: string
}

/**
 * Writes the report files of one Vitest run: a JSON and an HTML file per run as each test ends
 * (so a run cut short keeps what finished), and the Markdown summary of them all at the end.
 * File names come from the test file and the test name, the same on every run; two runs that would
 * share a name within one Vitest run get `-2`, `-3`.
 */
export class ReportWriter {
  readonly #options: ReportWriterOptions
  readonly #version = PACKAGE_VERSION
  #entries: ReportEntry[] = []
  #stems = new ReportStems()
  #written: WrittenReports = { json: [], html: [] }

  constructor(options: ReportWriterOptions) {
    this.#options = options
  }

  /** Starts over, for the next run in watch mode. */
  reset(): void {
    this.#entries = []
    this.#stems = new ReportStems()
    this.#written = { json: [], html: [] }
  }

  get outputDir(): string {
    return this.#options.outputDir
  }

  get generator(): string {
    return `vitest-load ${this.#version}`
  }

  /**
   * Writes the JSON and HTML files of one run, as the formats ask; keeps it for the Markdown
   * summary. `stem` names the files when the run already has its name (a checkpointed run).
   */
  writeRun(entry: ReportEntry, stem?: string): void {
    this.#entries.push(entry)
    const files = this.writeFiles(entry, stem ?? this.#stems.unique(runStem(entry)))
    this.#written.json.push(...files.filter(file => file.endsWith('.json')))
    this.#written.html.push(...files.filter(file => file.endsWith('.html')))
  }

  /** Writes the JSON and HTML files of one run at `stem`, as the formats ask; returns their paths. Not kept for the summary. */
  writeFiles(entry: ReportEntry, stem: string): string[] {
    const { formats, outputDir } = this.#options
    if (!formats.includes('json') && !formats.includes('html'))
      return []
    const files: string[] = []
    mkdirSync(outputDir, { recursive: true })
    if (formats.includes('json')) {
      const file = join(outputDir, `${stem}.json`)
      writeWhole(file, formatJsonReport(toJsonReport(entry.report, entry.test, this.#version)))
      files.push(file)
    }
    if (formats.includes('html')) {
      const file = join(outputDir, `${stem}.html`)
      writeWhole(file, formatHtmlReport(entry.report, { test: entry.test, generator: this.generator }))
      files.push(file)
    }
    return files
  }

  /** Writes the Markdown summary of every run so far, and says where each file went. */
  finish(): WrittenReports {
    const { formats, outputDir, stepSummaryFile } = this.#options
    if (formats.includes('markdown') && this.#entries.length > 0) {
      const markdown = formatMarkdownSummary(this.#entries)
      mkdirSync(outputDir, { recursive: true })
      const file = join(outputDir, 'summary.md')
      writeFileSync(file, markdown)
      this.#written.markdown = file
      if (stepSummaryFile) {
        // GitHub collects the job summary from what each step appends to this file
        appendFileSync(stepSummaryFile, `${markdown}\n`)
        this.#written.stepSummary = stepSummaryFile
      }
    }
    return this.#written
  }
}

/**
 * Writes `file` whole or not at all: aside first, then renamed over it. A process killed during
 * the write (a checkpoint's, see src/report/interrupt.ts) leaves the previous file intact.
 */
function writeWhole(file: string, text: string): void {
  const aside = `${file}.${process.pid}-${threadId}.tmp`
  try {
    writeFileSync(aside, text)
    renameSync(aside, file)
  }
  catch (error) {
    rmSync(aside, { force: true })
    throw error
  }
}

/** The file stem of a run's reports, before it is made unique: from its test, else its name. */
export function runStem(entry: Pick<ReportEntry, 'test' | 'report'>): string {
  return reportFileStem(entry.test?.file ?? null, entry.test?.name ?? null, entry.report.name)
}
