import type { ReportTest } from './format-json.js'
import type { RunReport } from './run-report.js'
import type { ReportFormat } from './write-reports.js'
import { closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { relative, sep } from 'node:path'
import { performance } from 'node:perf_hooks'
import { isatty } from 'node:tty'
import { isMainThread } from 'node:worker_threads'
import { ReportStems } from './file-names.js'
import { formatSummary } from './terminal.js'
import { ReportWriter, runStem } from './write-reports.js'

/**
 * Environment variable the plugin sets for tests: where its reporter writes (`InterruptReports`
 * as JSON), so a test process whose Vitest main process is gone writes its runs there itself.
 */
export const REPORTS_ENV = 'VITEST_LOAD_REPORTS'

/** The plugin's resolved report settings, as the test processes receive them. */
export interface InterruptReports {
  /** The Vitest root, absolute: test files are named relative to it. */
  root: string
  /** The folder of the report files, absolute. */
  outputDir: string
  formats: ReportFormat[]
}

/** A load test in progress, as the interrupt sees it. */
export interface InterruptibleRun {
  /** Aborts the run with this reason; the run then hands what it measured to `report` (synchronously). */
  abort: (reason: string) => void
  /** The report of what the run measured until it was aborted, redacted; `undefined` if nothing was. */
  report: () => RunReport | undefined
  /**
   * The report of the run so far, redacted and marked incomplete, for a checkpoint; `undefined`
   * until the load has started. Without it, the run has no checkpoints.
   */
  checkpoint?: () => RunReport | undefined
  /** Settles once the run has stopped and cleaned up (its pool destroyed, its sockets closed). */
  settled: Promise<unknown>
  /** The test file (absolute) and the test's full name, when the run is inside a Vitest test. */
  test?: { file: string, name: string }
}

/** The signals that end a `vitest run`. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
type InterruptSignal = typeof SIGNALS[number]
/** How the process ends when the parent process (Vitest's main process) is gone without a signal to it. */
const PARENT_GONE_SIGNAL: InterruptSignal = 'SIGTERM'
/** The longest the process waits for its runs to clean up before it exits anyway. */
const SETTLE_LIMIT_MS = 1000
/** The first checkpoint of a run comes this long after the call, and the next ones never sooner apart. */
const CHECKPOINT_MIN_INTERVAL_MS = 1000
/** The share of the test process's time checkpoints may take: a checkpoint that took 20 ms waits at least 1 s for the next. */
const CHECKPOINT_TIME_SHARE = 0.02

const runs = new Set<InterruptibleRun>()
/** The checkpoints of the runs that have them. */
const checkpoints = new Map<InterruptibleRun, Checkpoints>()
/** The report file stems this process gave its runs: two runs of one test that share a name get `-2`, `-3`. */
const stems = new ReportStems()
let interrupted = false
/** The controlling terminal, opened while runs are on when fd 2 is not one (a Vitest 4 fork's stderr is a pipe to the main process). */
let terminal: number | undefined
const handlers = new Map<InterruptSignal, () => void>(SIGNALS.map(signal => [
  signal,
  () => interrupt(`interrupted by ${signal}`, signal),
]))

/** True once this process is reporting its runs itself: nothing else should publish them. */
export function isInterrupted(): boolean {
  return interrupted
}

/**
 * Takes part in the interrupt while the run is on: SIGINT, SIGTERM and SIGHUP (and `parentGone`)
 * then abort it, print and write what it measured, and end the process. The signal handlers are
 * there only while at least one run is on (and never again after an interrupt that a listener of
 * the user's or Vitest's kept from ending the process).
 * Only on the main thread of a process: in a worker thread (Vitest's `threads` pool) the process
 * is Vitest's own, signals are not delivered to threads, and Vitest reports as usual.
 *
 * On any thread, a run inside a test with the plugin's JSON or HTML reports on also writes
 * checkpoints (`Checkpoints`): for a process that ends with no chance to report, killed outright.
 *
 * Returns the function that ends the run's part; `keep` says whether the run's checkpoint may stay
 * until its final report replaces it (the run is published), or goes.
 */
export function interruptible(run: InterruptibleRun): (keep: boolean) => void {
  const checkpoint = Checkpoints.start(run)
  if (checkpoint)
    checkpoints.set(run, checkpoint)
  const stopCheckpoints = (keep: boolean): void => {
    checkpoints.delete(run)
    checkpoint?.stop(keep || interrupted)
  }
  // after an interrupt that another listener handled, later runs keep the plain behaviour: a
  // listener that does nothing more must not keep the signal from the process
  if (!isMainThread || interrupted)
    return stopCheckpoints
  if (runs.size === 0) {
    for (const [signal, handler] of handlers)
      process.on(signal, handler)
    terminal = openTerminal()
  }
  runs.add(run)
  return (keep) => {
    stopCheckpoints(keep)
    if (!runs.delete(run) || runs.size > 0)
      return
    for (const [signal, handler] of handlers)
      process.off(signal, handler)
    closeTerminal()
  }
}

/**
 * The checkpoints of one run: while the load is on, the process writes the run so far, marked
 * incomplete, to the JSON and HTML files the plugin's reporter will write the run to. A process
 * that ends without reporting (killed outright: by SIGKILL, or by Vitest 5, which kills its test
 * processes once its main process is gone) thus leaves what the run measured until its last
 * checkpoint. The run's final report overwrites them; a run that is not published removes them.
 * The first comes after `CHECKPOINT_MIN_INTERVAL_MS`, the next ones as often as keeps them within
 * `CHECKPOINT_TIME_SHARE` of the process's time. Each file is written whole or not at all (written
 * aside, then renamed): a kill during a write leaves the previous checkpoint.
 */
class Checkpoints {
  /** Checkpoints for `run`, when it is inside a test and the plugin's JSON or HTML reports are on; else `undefined`. */
  static start(run: InterruptibleRun): Checkpoints | undefined {
    const settings = reportSettings()
    if (!run.checkpoint || !run.test || !settings || !settings.formats.some(format => format === 'json' || format === 'html'))
      return undefined
    return new Checkpoints(run.checkpoint, reportTest(settings.root, run.test), new ReportWriter({
      outputDir: settings.outputDir,
      formats: settings.formats,
    }))
  }

  /** The file stem of the run's reports, given at its first checkpoint. */
  stem: string | undefined
  readonly #report: () => RunReport | undefined
  readonly #test: ReportTest
  readonly #writer: ReportWriter
  #timer: NodeJS.Timeout | undefined
  #files: string[] = []

  private constructor(report: () => RunReport | undefined, test: ReportTest, writer: ReportWriter) {
    this.#report = report
    this.#test = test
    this.#writer = writer
    this.#schedule(CHECKPOINT_MIN_INTERVAL_MS)
  }

  /**
   * No more checkpoints; the files written go unless `keep`. The stem is given back, so stems are
   * numbered only among the runs on at once: a later run of the same name in this process (the
   * next in a loop, or in watch mode) checkpoints over these files, which its reporter rewrites.
   */
  stop(keep: boolean): void {
    this.halt()
    if (this.stem !== undefined)
      stems.release(this.stem)
    if (keep)
      return
    for (const file of this.#files)
      rmSync(file, { force: true })
    this.#files = []
  }

  /** No more checkpoints; the files and the stem stay the run's. */
  halt(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#write(), delayMs)
    // a checkpoint never keeps the process alive
    this.#timer.unref()
  }

  #write(): void {
    const started = performance.now()
    try {
      const report = this.#report()
      // nothing measured yet (the load just started): a checkpoint would only spend the time share
      if (report && report.totals.requests > 0) {
        const entry = { report, test: this.#test }
        this.stem ??= stems.unique(runStem(entry))
        this.#files = this.#writer.writeFiles(entry, this.stem)
      }
    }
    catch {
      // a checkpoint that cannot be written (a read-only folder) is skipped: the final report says why
    }
    this.#schedule(Math.max(CHECKPOINT_MIN_INTERVAL_MS, (performance.now() - started) / CHECKPOINT_TIME_SHARE))
  }
}

/**
 * A process started with an IPC channel to its parent: a Vitest fork (`forks` pool), whose
 * reports go to the main process over that channel. Checked when this module loads, while the
 * channel is still there.
 */
const forked = typeof process.send === 'function'

/**
 * The parent process is gone. In a Vitest fork, nobody is left to report the runs: they are
 * reported as for a signal, and the process ends by SIGTERM. Elsewhere (a script of the user's) the
 * caller's own abort stands and the process is the user's to end.
 */
export function parentGone(reason: string): void {
  if (forked)
    interrupt(reason)
}

/**
 * Aborts every run on, prints each run's summary (marked incomplete with the reason) and writes its
 * reports where the plugin would have, all synchronously, then ends the process by the signal once
 * the runs have cleaned up (at most `SETTLE_LIMIT_MS`). When the user or Vitest has its own
 * listener for the signal, the process is left to it: the runs are still aborted and reported.
 */
function interrupt(reason: string, signal?: InterruptSignal): void {
  if (interrupted || runs.size === 0)
    return
  interrupted = true
  const current = [...runs]
  // no checkpoint may overwrite the reports written here
  for (const run of current)
    checkpoints.get(run)?.halt()
  for (const run of current)
    run.abort(reason)
  const settings = reportSettings()
  const writer = settings && new ReportWriter({
    outputDir: settings.outputDir,
    formats: settings.formats,
    stepSummaryFile: process.env.GITHUB_STEP_SUMMARY || undefined,
  })
  for (const run of current) {
    const report = run.report()
    if (!report)
      continue
    // the files first: under Vitest 5 its watchdog kills this process (SIGKILL) a few
    // milliseconds after the main process has gone, which a Ctrl-C ends at once
    try {
      const entry = {
        report,
        test: run.test && settings
          ? reportTest(settings.root, run.test)
          : null,
      }
      // at the files of the run's checkpoints, which these replace
      writer?.writeRun(entry, checkpoints.get(run)?.stem ?? stems.unique(runStem(entry)))
    }
    catch (error) {
      print(`vitest-load could not write its reports: ${(error as Error).message}\n`)
    }
    print(`\n${formatSummary(report, {
      colors: colors(),
    })}\n`)
  }
  try {
    const written = writer?.finish()
    if (written && written.json.length + written.html.length > 0)
      print(`vitest-load reports written to ${relativePath(settings!.root, settings!.outputDir) || '.'}/ before exiting (${reason})\n`)
  }
  catch (error) {
    print(`vitest-load could not write its reports: ${(error as Error).message}\n`)
  }
  const ending = signal ?? PARENT_GONE_SIGNAL
  // ours is one of them: another listener (the user's, Vitest's) decides how the process ends
  if (process.listenerCount(ending) > 1)
    return
  const limit = setTimeout(end, SETTLE_LIMIT_MS, ending)
  void Promise.allSettled(current.map(run => run.settled)).then(() => {
    clearTimeout(limit)
    end(ending)
  })
}

/**
 * Ends the process by the signal itself, as it would have ended without our listener: its parent
 * sees the signal, and a shell shows 128 + its number (130 for SIGINT, 143 for SIGTERM). Not
 * `process.exit`, which Vitest replaces in its test processes by a function that throws.
 */
function end(signal: InterruptSignal): void {
  closeTerminal()
  for (const [name, handler] of handlers)
    process.off(name, handler)
  process.kill(process.pid, signal)
}

function reportSettings(): InterruptReports | undefined {
  const text = process.env[REPORTS_ENV]
  if (!text)
    return undefined
  try {
    const settings = JSON.parse(text) as InterruptReports
    return typeof settings.outputDir === 'string' && typeof settings.root === 'string' && Array.isArray(settings.formats)
      ? settings
      : undefined
  }
  catch {
    return undefined
  }
}

function relativePath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/')
}

function reportTest(root: string, test: { file: string, name: string }): ReportTest {
  // the test did not end: it was stopped with the process
  return {
    file: relativePath(root, test.file),
    name: test.name,
    state: 'failed',
  }
}

function isTerminal(fd: number): boolean {
  return isatty(fd)
}

/** Colour on a terminal, unless NO_COLOR says otherwise (FORCE_COLOR turns it on anywhere). */
function colors(): boolean {
  if (process.env.NO_COLOR)
    return false
  return Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') || terminal !== undefined || isTerminal(2)
}

/**
 * The controlling terminal, when this process has one and its stderr is not it: the pipe a
 * Vitest 4 fork writes to ends with Vitest's main process, the terminal does not. Opened before
 * any signal, since a terminal whose session leader exits can no longer be opened.
 */
function openTerminal(): number | undefined {
  if (process.platform === 'win32' || isTerminal(2))
    return undefined
  try {
    return openSync('/dev/tty', 'w')
  }
  catch {
    // no controlling terminal (CI): stderr it is
    return undefined
  }
}

function closeTerminal(): void {
  if (terminal === undefined)
    return
  try {
    closeSync(terminal)
  }
  catch {}
  terminal = undefined
}

/** Writes to the terminal or stderr, synchronously; a closed one loses the text, nothing else. */
function print(text: string): void {
  try {
    writeSync(terminal ?? 2, text)
  }
  catch {
    // a broken pipe (the main process is gone): nothing can show it; the report files remain
  }
}
