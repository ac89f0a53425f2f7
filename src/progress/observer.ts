import type { RunObserver } from '../engine/controller.js'
import type { ClosedInterval } from '../metrics/merge.js'
import type { RunOverlap } from '../metrics/overlap.js'
import type { LoadTestSpec } from '../spec/spec.js'
import type { ProgressState } from './format.js'
import { REPORTER_ENV } from '../report/vitest-reporter.js'
import { PROGRESS_SOCKET_ENV, ProgressClient } from './channel.js'
import { formatProgressLine } from './format.js'
import { LineThrottle } from './throttle.js'
import { progressStart, RunProgress } from './tracker.js'

/** Watches one run for the live progress; `close()` when the run is over, however it ended. */
export interface ProgressObserver extends RunObserver {
  /**
   * Ends the run's progress. Resolves with the load tests of other test processes that ran at the
   * same time, as the plugin's reporter saw them; `[]` without it.
   */
  close: () => Promise<RunOverlap[]>
}

/** What `observeProgress` reads and where it prints; tests pass their own. */
export interface ProgressEnvironment {
  env?: NodeJS.ProcessEnv
  /** @default Date.now */
  now?: () => number
  /** @default console.log */
  log?: (line: string) => void
  /** The test file the run is in (absolute), named to the runs that overlap it in other files. */
  testFile?: string
  /** The id of the test side's own overlap tracker: the reporter names only runs of other trackers. */
  overlapGroup?: string
}

/**
 * The live progress of one run, as the test process can give it:
 * - with the plugin's reporter listening (`VITEST_LOAD_PROGRESS_SOCKET`): sent to it, to draw in
 *   Vitest's main process;
 * - with the plugin but `progress: false`: none;
 * - without the plugin: a plain line from the test at most every 10 s (Vitest shows it as the
 *   test's output), so a run shorter than 10 s prints nothing.
 */
export function observeProgress(spec: LoadTestSpec, environment: ProgressEnvironment = {}): ProgressObserver {
  const env = environment.env ?? process.env
  const socketPath = env[PROGRESS_SOCKET_ENV]
  if (socketPath)
    return new ReporterProgress(spec, socketPath, environment)
  if (env[REPORTER_ENV] === '1') {
    return {
      started() {},
      interval() {},
      close: async () => [],
    }
  }
  return new PlainProgress(spec, environment.now ?? Date.now, environment.log ?? console.log)
}

/** Sends the run's start, then its figures each second, to the reporter in Vitest's main process. */
class ReporterProgress implements ProgressObserver {
  readonly #spec: LoadTestSpec
  readonly #socketPath: string
  readonly #identity: Pick<ProgressEnvironment, 'testFile' | 'overlapGroup'>
  readonly #progress = new RunProgress()
  #client: ProgressClient | undefined

  constructor(spec: LoadTestSpec, socketPath: string, identity: Pick<ProgressEnvironment, 'testFile' | 'overlapGroup'>) {
    this.#spec = spec
    this.#socketPath = socketPath
    this.#identity = identity
  }

  started(startAtEpochMs: number): void {
    this.#client = new ProgressClient(this.#socketPath)
    this.#client.send({
      type: 'start',
      ...progressStart(this.#spec, startAtEpochMs),
      ...(this.#identity.overlapGroup !== undefined && { group: this.#identity.overlapGroup }),
      ...(this.#identity.testFile !== undefined && { file: this.#identity.testFile }),
    })
  }

  interval(interval: ClosedInterval): void {
    this.#client?.send({
      type: 'update',
      ...this.#progress.add(interval),
    })
  }

  async close(): Promise<RunOverlap[]> {
    return await this.#client?.finish() ?? []
  }
}

/** Prints a plain line from the test process, at most every 10 s; owns no timer or handle. */
class PlainProgress implements ProgressObserver {
  readonly #spec: LoadTestSpec
  readonly #now: () => number
  readonly #log: (line: string) => void
  readonly #progress = new RunProgress()
  #state: ProgressState | undefined
  #throttle: LineThrottle | undefined

  constructor(spec: LoadTestSpec, now: () => number, log: (line: string) => void) {
    this.#spec = spec
    this.#now = now
    this.#log = log
  }

  started(startAtEpochMs: number): void {
    this.#state = {
      start: progressStart(this.#spec, startAtEpochMs),
      figures: undefined,
    }
    this.#throttle = new LineThrottle(startAtEpochMs)
  }

  interval(interval: ClosedInterval): void {
    if (!this.#state || !this.#throttle)
      return
    this.#state.figures = this.#progress.add(interval)
    const now = this.#now()
    if (this.#throttle.due(now))
      this.#log(formatProgressLine(this.#state, now))
  }

  async close(): Promise<RunOverlap[]> {
    return []
  }
}
