import type { TaskMeta } from 'vitest'
import type { RunObserver, RunOptions } from './engine/controller.js'
import type { RunOverlap } from './metrics/overlap.js'
import type { LoadRun } from './metrics/summary.js'
import type { PublishContext } from './report/publish.js'
import type { RunReport } from './report/run-report.js'
import type { LoadTestSpec } from './spec/spec.js'
import type { LoadTestOptions } from './spec/types.js'
import { randomUUID } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { expect } from 'vitest'
import { openRemoteFleet } from './distributed/coordinator.js'
import { distributedSettingsFromEnv } from './distributed/settings.js'
import { runSpec } from './engine/controller.js'
import { checkOpenFileLimit } from './engine/file-limit.js'
import { watchParent } from './engine/parent-watch.js'
import { carrySecrets, secretValuesOfRun } from './engine/secrets.js'
import { InvalidOptionsError } from './errors.js'
import { probeTarget } from './http/probe.js'
import { withOverlaps } from './metrics/merge.js'
import { OverlapTracker } from './metrics/overlap.js'
import { checkPrometheus } from './observe/prometheus.js'
import { observeProgress } from './progress/observer.js'
import { interruptible, isInterrupted, parentGone } from './report/interrupt.js'
import { partialRunOf, publishRun } from './report/publish.js'
import { toRunReport } from './report/run-report.js'
import { describeRequest, redactText, secretValuesOf } from './spec/redact.js'
import { validateOptions } from './spec/validate.js'

/** Settings of one `runLoad()` call that are not part of the load itself. */
export interface RunLoadSettings {
  /** Names the run in results and messages. @default the request's endpoint name, e.g. 'GET /users' */
  name?: string
  /** Stops the run early: requests in flight are cancelled, the pool destroyed, and the promise rejects. */
  signal?: AbortSignal
}

/** Validates options into a spec: every problem at once, before anything touches the network. */
export function resolveSpec(name: string | undefined, options: unknown): LoadTestSpec {
  const spec = validateOptions(name ?? 'runLoad()', options, availableParallelism(), { named: name !== undefined })
  return name === undefined
    ? { ...spec, name: spec.request.name }
    : spec
}

/**
 * The load tests of this test file (its module graph) in progress, to mark those that run at the
 * same time (`describe.concurrent`, `runLoad()` calls at once). Its id tells the plugin's reporter,
 * which sees the runs of every test file, to name only the runs of other files to these.
 */
const runsInProgress = new OverlapTracker()
const RUNS_IN_PROGRESS_ID = randomUUID()

/** The file of the test running now, absolute; `undefined` outside a Vitest test. */
function currentTestFile(): string | undefined {
  try {
    return expect.getState().testPath ?? undefined
  }
  catch {
    return undefined
  }
}

/** The file (absolute) and full name of the test running now; `undefined` outside a Vitest test. */
function currentTest(): { file: string, name: string } | undefined {
  try {
    const { testPath, currentTestName } = expect.getState()
    return testPath && currentTestName
      ? { file: testPath, name: currentTestName }
      : undefined
  }
  catch {
    return undefined
  }
}

/**
 * Checks the target takes connections, then runs the load, with its live progress (ended however
 * the run ends), and marks the run with the load tests that ran at the same time. Used by
 * `runLoad` and `loadTest`; `onAbort` as in `RunOptions`; `toReport` (the publisher's `report`)
 * describes the run so far, redacted, for a process that reports its runs itself when interrupted.
 */
export async function runValidatedSpec(spec: LoadTestSpec, signal?: AbortSignal, onAbort?: RunOptions['onAbort'], toReport?: (run: LoadRun) => RunReport): Promise<LoadRun> {
  // distributed, the agents send the load: each checks the target and its own limits
  const distributed = spec.distributed === false
    ? undefined
    : distributedSettingsFromEnv()
  if (!distributed) {
    // a socket per user must fit under the open-file limit (ulimit -n): else an error, and no load
    checkOpenFileLimit(spec)
    await probeTarget(spec.request.origin)
  }
  // the metrics the run is to watch must be there before the load, as the target must
  if (spec.observe?.prometheus) {
    await checkPrometheus(spec.observe.prometheus).catch((error: unknown) => {
      throw new InvalidOptionsError(spec.name, [`observe.prometheus: ${(error as Error).message}`])
    })
  }
  // the name other runs, their reports and the display see: without this run's secret values
  const name = redactText(spec.name, secretValuesOf(spec.request))
  const progress = observeProgress({ ...spec, name }, {
    testFile: currentTestFile(),
    overlapGroup: RUNS_IN_PROGRESS_ID,
  })
  // from the common start of the load (not the pool's start-up) to the end of the run
  let tracked: number | undefined
  const observer: RunObserver = {
    started(startAtEpochMs) {
      tracked = runsInProgress.start({ name }, startAtEpochMs)
      progress.started(startAtEpochMs)
    },
    interval: interval => progress.interval(interval),
  }
  // Vitest's main process killed (SIGTERM, SIGINT, SIGHUP) leaves its test process orphaned:
  // the run is aborted as by the test's signal, so no load outlives the process that asked for it
  const orphaned = new AbortController()
  // and a signal to the test process (Ctrl-C in `vitest run` reaches the whole process group), or
  // the parent gone, with no main process left to report: the process reports the run itself
  let runSoFar: LoadRun | undefined
  // while the load is on: the run so far, for checkpoints a process killed outright leaves behind
  let measured: ((incomplete: string) => LoadRun) | undefined
  const report = (run: LoadRun): RunReport => toReport
    ? toReport(run)
    : toRunReport(run, { secretValues: secretValuesOfRun(run) ?? secretValuesOf(spec.request) })
  let settle = (): void => {}
  const stopInterrupt = interruptible({
    abort: reason => orphaned.abort(reason),
    report: () => runSoFar && report(runSoFar),
    checkpoint: () => measured && report(measured(`Load test "${name}" did not finish: its test process ended during the run, and this is what the run had measured at its last checkpoint (a process killed outright writes nothing more, as when Vitest 5 ends its test processes after its main process).`)),
    settled: new Promise<void>(resolve => settle = resolve),
    test: currentTest(),
  })
  const stopWatching = watchParent((reason) => {
    const why = `the process that started this test process is gone: ${reason}`
    // reported by this process (a fork); in a worker thread, aborted only, as before
    parentGone(why)
    orphaned.abort(why)
  })
  let overlaps: RunOverlap[] = []
  let run: LoadRun
  // whether the run will be published (finished, or failed with what it measured): else its checkpoint goes
  let published = false
  try {
    run = await runSpec(spec, {
      signal: signal
        ? AbortSignal.any([signal, orphaned.signal])
        : orphaned.signal,
      observer,
      onAbort: (soFar) => {
        runSoFar = soFar
        // interrupted, there is no main process to hand it to: the interrupt prints and writes it
        if (!isInterrupted())
          onAbort?.(soFar)
      },
      onLoadStarted: soFar => measured = soFar,
      ...(distributed && {
        openFleet: async (toRun, signal) => openRemoteFleet(toRun, distributed, signal),
      }),
    })
    published = true
  }
  catch (error) {
    published = partialRunOf(error) !== undefined
    throw error
  }
  finally {
    measured = undefined
    stopWatching()
    stopInterrupt(published)
    if (tracked !== undefined)
      overlaps = runsInProgress.end(tracked, Date.now())
    overlaps.push(...await progress.close())
    settle()
  }
  return carrySecrets(run, withOverlaps(run, overlaps))
}

/**
 * Runs one load test and resolves with its result, for use inside your own `test()`.
 * Options are checked before any load is sent; an unreachable target rejects without load.
 * The summary is printed (or, with the `vitestLoad()` plugin, handed to its reporter) as for `loadTest`.
 * @example
 * test('GET /users holds up', async () => {
 *   const run = await runLoad({ target, request: { path: '/users' }, load: { users: 10, duration: '5s' } })
 *   expect(run).toHaveP95Below('50ms')
 * })
 */
export async function runLoad(options: LoadTestOptions, settings: RunLoadSettings = {}): Promise<LoadRun> {
  const spec = resolveSpec(settings.name, options)
  const publisher = createPublisher(spec)
  const run = await runValidatedSpec(spec, settings.signal, publisher.partial, publisher.report).catch((error: unknown) => {
    publisher.partial(partialRunOf(error))
    throw error
  })
  // published when the test finishes, with the verdicts of the matchers run on it until then, and
  // the error budget checked then (unless those matchers judged errors)
  publisher.finished(run, { errorBudget: spec.errorBudget })
  return run
}

/**
 * Hands the runs of one load test to the reports (`publishRun`), described once: the request with
 * its secrets redacted, and every secret value to remove (the options' and those the workers
 * learned). `finished` publishes the run that went to its end; `partial` the first run that stopped
 * early (a crash, the deadline, an abort) with what it measured. An abort hands its run over in
 * the abort event itself, since Vitest, cancelling a test (Ctrl-C in watch mode), reports it at
 * once without waiting for the load to stop; the error thrown later carries a fuller one.
 */
export function createPublisher(spec: LoadTestSpec, meta?: TaskMeta): {
  finished: (run: LoadRun, settings?: Pick<PublishContext, 'errorBudget'>) => void
  partial: (run: LoadRun | undefined) => void
  report: (run: LoadRun) => RunReport
} {
  // a scenario's requests are its own: there is no one request to show
  const request = spec.scenario
    ? undefined
    : describeRequest(spec.request)
  let published = false
  const secretValues = (run: LoadRun): readonly string[] => secretValuesOfRun(run) ?? secretValuesOf(spec.request)
  const publish = (run: LoadRun, settings?: Pick<PublishContext, 'errorBudget'>): void => {
    published = true
    publishRun(run, {
      meta,
      request,
      secretValues: secretValues(run),
      ...settings,
    })
  }
  return {
    finished: publish,
    // a run that stopped early fails its test already: no error budget to check
    partial: (run) => {
      // interrupted, the process printed and wrote the run itself (src/report/interrupt.ts)
      if (run && !published && !isInterrupted())
        publish(run)
    },
    // the same report publishRun builds, for the interrupt to print and write: redacted
    report: run => toRunReport(run, {
      request,
      secretValues: secretValues(run),
    }),
  }
}
