import type { ClosedInterval, RunDescription } from '../metrics/merge.js'
import type { LoadRun } from '../metrics/summary.js'
import type { LoadTestSpec } from '../spec/spec.js'
import type { Fleet } from './fleet.js'
import type { ControlMessage, WorkerMessage, WorkerOutcome } from './messages.js'
import { MAX_DEFAULT_WARMUP_SECONDS } from '../baseline/sample.js'
import { DistributedRunError, LoadAbortedError, LoadTimeoutError, WorkerCrashedError, WorkerOutOfMemoryError } from '../errors.js'
import { RunAggregator } from '../metrics/merge.js'
import { TargetObserver } from '../observe/observer.js'
import { describeLoad, describeSteps } from '../plan/describe.js'
import { plannedDurationMs, planShares } from '../plan/plan.js'
import { secretValuesOf } from '../spec/redact.js'
import { SecretValues } from '../spec/secret-values.js'
import { DEFAULT_WORKER_MEMORY_MB } from '../spec/validate.js'
import { MachineCpuMonitor } from './cpu-monitor.js'
import { createLocalFleet } from './local-fleet.js'
import { fromScenarioErrorMessage } from './scenario-error.js'
import { rememberSecrets, scrubError, scrubSnapshot } from './secrets.js'
import { StepClock, StepWatcher } from './steps.js'

/** Workers must be ready (threads up, modules loaded, connections prepared) within this. */
export const STARTUP_TIMEOUT_MS = 30_000
/** After a stop, requests in flight are aborted; this long is left for workers to wind down. */
const STOP_GRACE_MS = 5_000

/** Watches a run as it goes (the live progress): told of the start, then of each closed second. */
export interface RunObserver {
  /** Every worker is ready and has the common start time. */
  started: (startAtEpochMs: number) => void
  /** A second has closed (every worker sent it, or finished before it), in order; the histogram is only lent. */
  interval: (interval: ClosedInterval) => void
}

export interface RunOptions {
  /** Aborts the run: requests in flight are cancelled and the pool destroyed. */
  signal?: AbortSignal
  /** Told of the start and of each closed second; what it throws is ignored, since it only watches. */
  observer?: RunObserver
  /** Another worker entry, for tests of how the controller meets a worker that throws or exits. */
  workerFilename?: string
  /**
   * Where the workers run: by default a local Piscina pool of `spec.workers` threads; a distributed
   * run's agents (src/distributed) otherwise. Opened once the run may start, closed at its end.
   */
  openFleet?: (spec: LoadTestSpec, signal: AbortSignal | undefined) => Promise<Fleet>
  /** The most points the timeline keeps, for tests that see seconds merge in a short run. @default MAX_TIMELINE_POINTS */
  timelinePoints?: number
  /**
   * Called synchronously when `signal` aborts a run that has started, with what was measured so
   * far (the closed seconds), marked incomplete: for a caller that must hand the run on before the
   * signal's other listeners end the test (Vitest reports a cancelled test at once). The error the
   * run then throws carries the fuller run, with the workers' last snapshots.
   */
  onAbort?: (runSoFar: LoadRun) => void
  /**
   * Called once the load has started, with a function that describes the run so far (the closed
   * seconds and the one open), marked incomplete with the text it is given: for checkpoints of a
   * run in progress. Building it changes nothing in the run.
   */
  onLoadStarted?: (runSoFar: (incomplete: string) => LoadRun) => void
}

/** The longest a run of `spec` may take after the start before it is stopped as timed out. */
export function runDeadlineMs(spec: LoadTestSpec): number {
  const { load, request } = spec
  if (load.kind === 'closed' && load.durationMs === null)
    return load.maxDurationMs
  // after the last arrival or iteration, requests in flight may take their timeout (or, when
  // users ramp, their graceful stop, if shorter) to finish
  const drainMs = spec.scenario
    ? scenarioDrainMs(spec)
    : load.kind === 'ramping-users'
      ? Math.min(load.gracefulStopMs, request.timeoutMs)
      : request.timeoutMs
  return plannedDurationMs(spec) + drainMs + STOP_GRACE_MS
}

/**
 * A scenario's iteration still running when the load ends finishes (it may send several requests
 * and sleep), then `onStop` runs: allowed this long, or a ramp's graceful stop or the request
 * timeout if longer.
 */
export const SCENARIO_DRAIN_MS = 30_000

function scenarioDrainMs({ load, request }: LoadTestSpec): number {
  return Math.max(SCENARIO_DRAIN_MS, request.timeoutMs, load.kind === 'ramping-users'
    ? load.gracefulStopMs
    : 0)
}

/** Everything a test needs to allow for one run: start-up, the run and its wind-down. */
export function totalBudgetMs(spec: LoadTestSpec): number {
  return STARTUP_TIMEOUT_MS + runDeadlineMs(spec) + STOP_GRACE_MS
}

/**
 * Runs a validated spec on a fresh fleet of workers (a Piscina pool, or agents) and merges what
 * they measured. Steps:
 * 1. plan one share per worker and start one task each, with a way back for its snapshots;
 * 2. wait until every worker is ready, then send all of them the same start time;
 * 3. merge snapshots as they arrive; stop everyone on a deadline, an abort or a crash;
 * 4. wait for every snapshot each worker says it sent, then build the run.
 * The fleet is closed in every case (the pool destroyed, the ports closed), so nothing keeps the
 * process alive.
 */
export async function runSpec(spec: LoadTestSpec, options: RunOptions = {}): Promise<LoadRun> {
  const fleet = options.openFleet
    ? await options.openFleet(spec, options.signal)
    : createLocalFleet(spec.workers, spec.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB, options.workerFilename)
  const shares = planShares(spec, fleet.workers)
  const received = shares.map(() => 0)
  const ready = new Set<number>()
  // the options' secret values, then those the workers learn: scrubbed from every text of the run
  const secrets = new SecretValues(secretValuesOf(spec.request))
  let failure: Error | undefined
  let failedAtEpochMs = 0
  let onProgress = (): void => {}
  const broadcast = (message: ControlMessage): void => fleet.broadcast(message)
  let onFailure = (): void => {}
  const failed = new Promise<void>(resolve => onFailure = resolve)
  const fail = (error: Error): void => {
    if (!failure)
      failedAtEpochMs = Date.now()
    failure ??= error
    broadcast({ type: 'stop' })
    onProgress()
    onFailure()
  }
  // steps are measured here, in the test thread, as each second closes; a search's condition checked
  const warmupSeconds = (spec.warmupMs ?? 0) / 1000
  const watcher = spec.steps && new StepWatcher(spec.steps, spec.name, () => broadcast({ type: 'stop', graceful: true }), warmupSeconds)
  const observer = options.observer
  // the target, watched from here as well: its process and its metrics, a reading a second
  const plannedSeconds = plannedDurationMs(spec) / 1000
  const target = spec.observe && new TargetObserver(spec.observe, {
    warmupSeconds,
    // memory grows fast while a target warms up: its slope is fitted after the warm-up, or the first tenth
    steadyFromSecond: warmupSeconds > 0
      ? warmupSeconds
      : Math.min(MAX_DEFAULT_WARMUP_SECONDS, Math.max(1, Math.floor(plannedSeconds / 10))),
    ...(spec.steps && {
      steps: new StepClock(spec.steps.durationsMs),
    }),
  })
  const aggregator = new RunAggregator(shares.length, (watcher || observer) && ((interval) => {
    watchQuietly(() => observer?.interval(interval))
    try {
      watcher?.onInterval(interval)
    }
    catch (error) {
      fail(error instanceof Error
        ? error
        : new Error(String(error)))
    }
  }), { timelinePoints: options.timelinePoints, warmupSeconds })
  let deadline: ReturnType<typeof setTimeout> | undefined
  let windDown: ReturnType<typeof setTimeout> | undefined
  /** Set once the workers have the start time: from then on, a failure keeps what was measured. */
  let loadStarted = false
  const describeRun = (startAtEpochMs: number): Omit<RunDescription, 'durationMs'> => {
    // each step with the target's figures over its seconds, shared by the search's result
    const steps = watcher?.steps().map(step => target
      ? {
          ...step,
          observed: target.stepFigures(step.index),
        }
      : step) ?? []
    return {
      name: spec.name,
      target: spec.request.origin,
      model: spec.steps
        ? describeSteps(spec.steps, steps.length)
        : describeLoad(spec.load),
      modelKind: spec.load.kind,
      users: spec.load.users,
      workers: fleet.workers,
      startedAt: new Date(startAtEpochMs).toISOString(),
      breakingPoint: watcher?.result(steps) ?? null,
      steps,
      observed: target?.result() ?? null,
      agents: fleet.agents?.() ?? [],
    }
  }

  // the machine's CPU beside the workers' own figures: tells the generator's saturation from contention
  const cpu = new MachineCpuMonitor()
  let startAtEpochMs = 0
  const runSoFar = (incomplete: string): LoadRun => {
    const run = aggregator.runSoFar({
      ...describeRun(startAtEpochMs),
      durationMs: Math.max(0, Date.now() - startAtEpochMs),
      incomplete,
    })
    rememberSecrets(run, secrets)
    return run
  }
  const onAbort = (): void => {
    const error = new LoadAbortedError(`Load test "${spec.name}" was aborted${abortReason(options.signal)}; requests in flight were cancelled.`)
    if (loadStarted && !failure && options.onAbort) {
      const soFar = runSoFar(error.message)
      watchQuietly(() => options.onAbort?.(soFar))
    }
    fail(error)
  }

  try {
    // 1. one long task per worker
    const onMessage = (workerIndex: number, message: WorkerMessage): void => {
      if (message.type === 'ready') {
        ready.add(workerIndex)
      }
      else if (message.type === 'scenario-error') {
        fail(fromScenarioErrorMessage(message))
      }
      else if (message.type === 'secrets') {
        secrets.add(message.values)
        return
      }
      else {
        aggregator.add(scrubSnapshot(message.snapshot, secrets))
        received[workerIndex]!++
      }
      onProgress()
    }
    const tasks = fleet.run(shares, onMessage).map((task, workerIndex) => task.catch((error: unknown) => {
      fail(workerFailure(spec, workerIndex, error))
      return undefined
    }))
    if (options.signal?.aborted)
      onAbort()
    options.signal?.addEventListener('abort', onAbort, { once: true })

    // 2. the start barrier
    const startupTimer = setTimeout(() => fail(new WorkerCrashedError(`Load test "${spec.name}": ${fleet.workers - ready.size} of ${fleet.workers} workers were not ready within ${STARTUP_TIMEOUT_MS / 1000} s. No load was sent.`)), STARTUP_TIMEOUT_MS)
    await new Promise<void>((resolve) => {
      onProgress = () => (ready.size === shares.length || failure) && resolve()
      onProgress()
    })
    clearTimeout(startupTimer)
    startAtEpochMs = Date.now() + fleet.startMarginMs
    if (!failure) {
      loadStarted = true
      broadcast({ type: 'start', startAtEpochMs })
      cpu.start()
      target?.start(startAtEpochMs)
      watchQuietly(() => observer?.started(startAtEpochMs))
      watchQuietly(() => options.onLoadStarted?.(runSoFar))
      deadline = setTimeout(() => fail(new LoadTimeoutError(`Load test "${spec.name}" did not finish within ${runDeadlineMs(spec) / 1000} s (${describeLoad(spec.load)}) and was stopped.`)), runDeadlineMs(spec) + fleet.startMarginMs)
    }

    // 3. run; 4. every snapshot in. Once the run has failed, workers get STOP_GRACE_MS to wind
    // down: one stuck in user code (a scenario awaiting what never settles) cannot keep it alive
    const outcomes = await Promise.race([
      Promise.all(tasks),
      failed.then(() => new Promise<undefined[]>((resolve) => {
        windDown = setTimeout(() => resolve(shares.map(() => undefined)), STOP_GRACE_MS)
        // a failure after the workers ended must not hold the process for the grace period
        windDown.unref()
      })),
    ])
    clearTimeout(deadline)
    const machineCpu = cpu.stop()
    // its last reading, of the last part of a second
    await target?.stop()
    await new Promise<void>((resolve) => {
      onProgress = () => outcomes.every((outcome, index) => !outcome || received[index]! >= outcome.intervalsSent) && resolve()
      onProgress()
    })
    const description = {
      ...describeRun(startAtEpochMs),
      machineCpu,
    }
    if (failure) {
      // what the workers measured until they stopped (or crashed): for the summary and the
      // reports, marked incomplete with the reason (already free of the secrets learned)
      const error = scrubError(failure, secrets)
      if (loadStarted && keepsRun(error)) {
        const endedAtEpochMs = Math.max(failedAtEpochMs, ...outcomes.map(outcome => outcome?.finishedAtEpochMs ?? 0))
        attachRun(error, () => {
          const partial = aggregator.finish({
            ...description,
            durationMs: Math.max(0, endedAtEpochMs - startAtEpochMs),
            incomplete: error.message,
          })
          rememberSecrets(partial, secrets)
          return partial
        })
      }
      throw error
    }
    const finished = outcomes as WorkerOutcome[]
    finished.forEach((_, index) => aggregator.finishWorker(index))
    const run = aggregator.finish({
      ...description,
      durationMs: Math.max(0, Math.max(...finished.map(outcome => outcome.finishedAtEpochMs)) - startAtEpochMs),
    })
    rememberSecrets(run, secrets)
    return run
  }
  finally {
    clearTimeout(deadline)
    clearTimeout(windDown)
    cpu.stop()
    await target?.stop()
    options.signal?.removeEventListener('abort', onAbort)
    await fleet.close()
  }
}

/** What a worker's failure says: running out of its memory limit is named, with what to do. */
function workerFailure(spec: LoadTestSpec, workerIndex: number, error: unknown): WorkerCrashedError | DistributedRunError {
  // a fleet's own account of a lost worker (an agent gone, Redis lost) says it all already
  if (error instanceof WorkerCrashedError || error instanceof DistributedRunError)
    return error
  if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limitMb = spec.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB
    return new WorkerOutOfMemoryError(`Worker ${workerIndex} of load test "${spec.name}" ran out of memory (limit ${limitMb} MB, workerMemoryMb) and was stopped: `
      + `a scenario keeps too much per user or per iteration (a list or map that only grows, responses kept), or each user needs more than this. `
      + `Keep less, or raise workerMemoryMb if the run really needs it.`, { cause: error })
  }
  return new WorkerCrashedError(`Worker ${workerIndex} of load test "${spec.name}" failed: ${(error as Error)?.message ?? String(error)}`, { cause: error })
}

/** The errors of a run that stopped after the start, which carry what it measured until then. */
function keepsRun(error: Error): error is WorkerCrashedError | LoadTimeoutError | LoadAbortedError | DistributedRunError {
  return error instanceof WorkerCrashedError || error instanceof LoadTimeoutError || error instanceof LoadAbortedError || error instanceof DistributedRunError
}

/**
 * Sets `error.run` to the partial run, not enumerable, so that Vitest, printing the error's own
 * properties, does not print the whole run. A run that cannot be built leaves the error as it is:
 * the failure itself must come through.
 */
function attachRun(error: WorkerCrashedError | LoadTimeoutError | LoadAbortedError | DistributedRunError, build: () => LoadRun): void {
  try {
    Object.defineProperty(error, 'run', {
      value: build(),
      enumerable: false,
      configurable: true,
    })
  }
  catch {}
}

/** The progress display only watches: a fault of its own must not fail the run it shows. */
function watchQuietly(watch: () => void): void {
  try {
    watch()
  }
  catch {}
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason
  if (reason instanceof Error)
    return ` (${reason.message})`
  return typeof reason === 'string'
    ? ` (${reason})`
    : ''
}
