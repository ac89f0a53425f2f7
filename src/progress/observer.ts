import type { RunObserver } from '../engine/controller.js'
import type { ClosedInterval } from '../metrics/merge.js'
import type { RunOverlap } from '../metrics/overlap.js'
import type { LoadTestSpec } from '../spec/spec.js'
import type { ProgressState } from './format.js'
import { relative, sep } from 'node:path'
import { REPORTER_ENV } from '../report/vitest-reporter.js'
import { PROGRESS_SOCKET_ENV, ProgressClient } from './channel.js'
import { formatProgressLine } from './format.js'
import { PeerRuns } from './peers.js'
import { LineThrottle } from './throttle.js'
import { progressStart, RunProgress } from './tracker.js'

/** Watches one run for the live progress; `close()` when the run is over, however it ended. */
export interface ProgressObserver extends RunObserver {
  /**
   * Ends the run's progress. Resolves with the load tests of other test processes that ran at the
   * same time: as the plugin's reporter saw them, or without it as found on this machine (Linux,
   * `PeerRuns`); `[]` otherwise.
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
  const local: ProgressObserver = env[REPORTER_ENV] === '1'
    ? {
        started() {},
        interval() {},
        close: async () => [],
      }
    : new PlainProgress(spec, environment.now ?? Date.now, environment.log ?? console.log)
  // no reporter to see the runs of other test files: look for them on this machine (Linux)
  return environment.overlapGroup !== undefined && PeerRuns.available()
    ? new PeerWatch(local, spec.name, environment)
    : local
}

/**
 * Without the plugin's reporter: finds the load tests of other test processes running at the
 * same time (`PeerRuns`), from the load's start to its end, scanning once a second.
 */
class PeerWatch implements ProgressObserver {
  readonly #inner: ProgressObserver
  readonly #name: string
  readonly #identity: Pick<ProgressEnvironment, 'testFile' | 'overlapGroup'>
  #peers: PeerRuns | undefined

  constructor(inner: ProgressObserver, name: string, identity: Pick<ProgressEnvironment, 'testFile' | 'overlapGroup'>) {
    this.#inner = inner
    this.#name = name
    this.#identity = identity
  }

  started(startAtEpochMs: number): void {
    const { testFile, overlapGroup } = this.#identity
    this.#peers = new PeerRuns({
      name: this.#name,
      // as the reports name test files: relative to the root (the working directory of Vitest's processes)
      ...(testFile !== undefined && {
        file: relative(process.cwd(), testFile).split(sep).join('/'),
      }),
      group: overlapGroup ?? '',
      startMs: startAtEpochMs,
    })
    this.#peers.scan()
    this.#inner.started(startAtEpochMs)
  }

  interval(interval: ClosedInterval): void {
    this.#peers?.scan()
    this.#inner.interval(interval)
  }

  async close(): Promise<RunOverlap[]> {
    const local = await this.#inner.close()
    return [
      ...local,
      ...await this.#peers?.finish() ?? [],
    ]
  }
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
