import type { ContinuePredicate, IdleCallback, VirtualUser } from '../http/virtual-user.js'
import type { DurationInput } from '../spec/duration.js'
import type { RequestSpec } from '../spec/spec.js'
import type { CheckedScenario } from './check-scenario.js'
import type { EndpointRecorders } from './recorders.js'
import type { SecretLearner } from './secret-learner.js'
import type { ScenarioContext, ScenarioFunction, ScenarioRows, ScenarioState } from './types.js'
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { classifyError } from '../http/classify-error.js'
import { BACKOFF_SLICE_MS, backoffMs } from '../http/connect-backoff.js'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'
import { ScenarioHttpClient } from './http-client.js'
import { createRandom } from './random.js'
import { TaskPicker } from './task-picker.js'
import { thinkTimeMs } from './think-time.js'

/** Think time is slept in slices this long, so a user stops soon after its run ends or it is ramped down. */
const THINK_SLICE_MS = 100

interface MutableUserInfo {
  index: number
  workerIndex: number
  iteration: number
  state: ScenarioState
}

interface MutableIterationInfo {
  global: number
  perUser: number
}

/** Where a user is: `onStart` has run (`started`) and `onStop` has not yet. */
type Phase = 'idle' | 'started'

/**
 * One virtual user running a scenario module: `onStart` when it starts, then one task per
 * iteration (picked by weight), think time between iterations, and `onStop` when it stops. In the
 * closed models it loops (`run`); in the open model it runs one iteration per arrival (`fire`),
 * starts on its first and stops when the run ends (`finish`).
 *
 * User code never breaks the run: a task, `onStart` or `onStop` that throws is counted as an
 * error under its endpoint (`'task browse'`, `'onStart'`), and the user goes on with its next
 * iteration. An error that `ctx.http` already recorded is not counted twice.
 */
export class ScenarioUser implements VirtualUser {
  readonly globalIndex: number
  iterations = 0
  readonly #scenario: CheckedScenario
  readonly #recorders: EndpointRecorders
  readonly #client: ScenarioHttpClient
  readonly #info: MutableUserInfo
  readonly #iteration: MutableIterationInfo = { global: 0, perUser: 0 }
  /** Global iteration `k` of this user (closed models) is `k × stride + globalIndex`: stride is the (peak) users. */
  readonly #stride: number
  /** The running iteration's row of each feeder of `data`, in its order; `null` outside an iteration. */
  #rows: unknown[] | null = null
  readonly #context: ScenarioContext
  readonly #random: () => number
  readonly #picker: TaskPicker | null
  /** Errors `ctx.http` recorded before rejecting with them. */
  readonly #recorded = new WeakSet<object>()
  /** Pending `ctx.sleep()` calls, rejected when the user is aborted. */
  readonly #sleeps = new Set<(reason: Error) => void>()
  readonly #learner: SecretLearner | undefined
  #phase: Phase = 'idle'
  /** The run is ending: a connect back-off wait ends now, and no new one starts. */
  #stopWaiting = false
  #wakeUp: (() => void) | null = null

  /**
   * `iterationStride`: the users of a closed or ramping model (their peak), which numbers global
   * iterations. `learner`: the worker's, told of the secret values `ctx.http` sends.
   * `coverTimeout`: the worker's sweep, told of each `ctx.http` call's timeout.
   */
  constructor(globalIndex: number, workerIndex: number, scenario: CheckedScenario, request: RequestSpec, recorders: EndpointRecorders, options: { iterationStride?: number, learner?: SecretLearner, coverTimeout?: (timeoutMs: number) => void } = {}) {
    const { learner } = options
    this.globalIndex = globalIndex
    this.#stride = options.iterationStride ?? 1
    this.#scenario = scenario
    this.#recorders = recorders
    this.#learner = learner
    this.#client = new ScenarioHttpClient(request, recorders, (error) => {
      if (typeof error === 'object' && error !== null)
        this.#recorded.add(error)
    }, learner, options.coverTimeout)
    this.#info = {
      index: globalIndex,
      workerIndex,
      iteration: 0,
      state: {},
    }
    this.#context = {
      http: this.#client.http,
      user: this.#info,
      iteration: this.#iteration,
      data: this.#dataView(),
      sleep: duration => this.#sleep(duration),
      measure: (name, fn) => this.#measure(name, fn),
      check: (value, checks) => recorders.custom.check(value, checks),
      metrics: recorders.custom.metrics,
    }
    this.#random = createRandom(globalIndex)
    this.#picker = scenario.tasks.length > 1
      ? new TaskPicker(scenario.tasks.map(task => task.weight), this.#random)
      : null
  }

  /** Starts, runs iterations with think time between them while `shouldContinue` says so, and stops. Never rejects. */
  async run(shouldContinue: ContinuePredicate): Promise<void> {
    // a user whose next iteration has no row left (a feeder with onEnd: 'stop') does not start
    if (!shouldContinue(this) || this.#outOfRows(this.#nextGlobal()))
      return
    this.#stopWaiting = false
    this.#iteration.global = this.#nextGlobal()
    await this.#start()
    while (true) {
      const startedMs = performance.now()
      await this.#iterate(this.#nextGlobal())
      if (!shouldContinue(this) || this.#outOfRows(this.#nextGlobal()) || !await this.#think(performance.now() - startedMs, shouldContinue))
        break
      // the next iteration of a user whose last connect failed waits
      if (!await this.#backOff(shouldContinue))
        break
    }
    await this.#stop()
  }

  /**
   * Runs one iteration for global arrival `arrivalIndex` (after `onStart`, on the first); `onIdle`
   * follows its end. No think time. An arrival without a row (a feeder with onEnd: 'stop') runs nothing.
   */
  fire(intendedStartMs: number, onIdle: IdleCallback, arrivalIndex = this.iterations): void {
    // how late the arrival is handled counts in its first request's latency (timer lateness, as
    // for a declarative request)
    this.#client.arrivalLate(performance.now() - intendedStartMs)
    void (async () => {
      try {
        if (this.#outOfRows(arrivalIndex))
          return
        if (this.#phase === 'idle') {
          this.#iteration.global = arrivalIndex
          await this.#start()
        }
        await this.#iterate(arrivalIndex)
        // a user whose last connect failed stays busy for its back-off: arrivals meanwhile are dropped
        await this.#backOff(null)
      }
      finally {
        onIdle(this)
      }
    })()
  }

  /** Runs `onStop` if the user started and has not stopped: the end of an open-model run. */
  async finish(): Promise<void> {
    if (this.#phase === 'started')
      await this.#stop()
  }

  /** Aborts the user's requests in flight and its `ctx.sleep()` calls, which reject with `reason`. */
  abortInFlight(reason: Error): void {
    this.#client.abortAll(reason)
    for (const reject of this.#sleeps)
      reject(reason)
    this.#sleeps.clear()
  }

  /** Ends the requests in flight that have run past their timeout. Called by the worker's sweep timer. */
  expireIfLate(nowMs: number): void {
    this.#client.expireIfLate(nowMs)
  }

  stopWaiting(): void {
    this.#stopWaiting = true
    this.#wakeUp?.()
  }

  async close(): Promise<void> {
    await this.#client.close()
  }

  async #start(): Promise<void> {
    this.#phase = 'started'
    if (this.#scenario.onStart)
      await this.#call('onStart', this.#scenario.onStart)
  }

  async #stop(): Promise<void> {
    this.#phase = 'idle'
    if (this.#scenario.onStop)
      await this.#call('onStop', this.#scenario.onStop)
  }

  /** The global index of this user's next iteration in the closed models: `k × stride + globalIndex`. */
  #nextGlobal(): number {
    return this.iterations * this.#stride + this.globalIndex
  }

  /** Whether global iteration `global` has no row in a feeder that ends the user then (onEnd: 'stop'). */
  #outOfRows(global: number): boolean {
    return this.#scenario.data.some(reader => reader.onEnd === 'stop' && !reader.has(global))
  }

  /**
   * Runs global iteration `global`: one task, with the iteration's rows in `ctx.data`. When a feeder
   * with onEnd: 'error' has no row for it, the iteration is counted as an error of `'data <name>'`
   * instead, and the task does not run.
   */
  async #iterate(global: number): Promise<void> {
    this.#iteration.global = global
    this.#iteration.perUser = this.iterations
    const missing = this.#scenario.data.find(reader => !reader.has(global))
    if (missing) {
      this.#recorders.get(`data ${missing.name}`).recordError('network', `feeder '${missing.name}' has no row left: ${missing.size} rows, onEnd: '${missing.onEnd}'`, 0, 0)
      // nothing was awaited: let timers (snapshots, the run's end) have their turn
      await nextTurn()
    }
    else {
      this.#rows = this.#scenario.data.map(reader => reader.rowAt(global))
      const task = this.#scenario.tasks[this.#picker
        ? this.#picker.next()
        : 0]!
      try {
        await this.#call(task.endpoint, task.run)
      }
      finally {
        this.#rows = null
      }
    }
    this.iterations++
    this.#info.iteration = this.iterations
  }

  /** `ctx.data`: one getter per feeder, reading the running iteration's row. */
  #dataView(): ScenarioRows {
    const view: Record<string, unknown> = {}
    this.#scenario.data.forEach((reader, position) => {
      Object.defineProperty(view, reader.name, {
        enumerable: true,
        get: () => {
          if (this.#rows === null)
            throw new TypeError(`ctx.data.${reader.name} is the row of the running iteration, read in tasks; onStart and onStop run outside iterations. For a row per user, read rows[ctx.user.index % rows.length] of the feeder`)
          return this.#rows[position]
        },
      })
    })
    return Object.freeze(view) as ScenarioRows
  }

  /** Calls user code; what it throws is counted under `endpoint`, unless `ctx.http` counted it already. */
  async #call(endpoint: string, fn: ScenarioFunction): Promise<void> {
    try {
      await fn(this.#context)
    }
    catch (error) {
      if (typeof error === 'object' && error !== null && this.#recorded.has(error))
        return
      const { kind, message } = classifyError(error, this.#learner?.messageChars)
      this.#recorders.get(endpoint).recordError(kind, message, 0, 0)
    }
  }

  /** Pauses between iterations; `false` when the user should stop instead. */
  /**
   * Waits out the connect back-off (10 ms doubling to 1 s) after a failed connect, in slices, one
   * timer at a time; false when the user should stop instead (`shouldContinue`, or `stopWaiting`).
   */
  async #backOff(shouldContinue: ContinuePredicate | null): Promise<boolean> {
    const waitMs = backoffMs(this.#client.connectFailures)
    if (waitMs === 0)
      return true
    const endMs = performance.now() + waitMs
    for (let leftMs = waitMs; leftMs > 0 && !this.#stopWaiting; leftMs = endMs - performance.now()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#wakeUp = null
          resolve()
        }, Math.min(BACKOFF_SLICE_MS, leftMs))
        this.#wakeUp = () => {
          clearTimeout(timer)
          this.#wakeUp = null
          resolve()
        }
      })
      if (shouldContinue && !shouldContinue(this))
        return false
    }
    return !this.#stopWaiting || shouldContinue === null
  }

  async #think(iterationMs: number, shouldContinue: ContinuePredicate): Promise<boolean> {
    if (!this.#scenario.thinkTime)
      return true
    const endMs = performance.now() + thinkTimeMs(this.#scenario.thinkTime, iterationMs, this.#random)
    for (let leftMs = endMs - performance.now(); leftMs > 0; leftMs = endMs - performance.now()) {
      await new Promise(resolve => setTimeout(resolve, Math.min(THINK_SLICE_MS, leftMs)))
      if (!shouldContinue(this))
        return false
    }
    return true
  }

  async #measure<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    if (typeof name !== 'string' || name.trim() === '' || typeof fn !== 'function')
      throw new TypeError(`ctx.measure(name, fn) takes an endpoint name and a function, got ${describeValue(name)} and ${describeValue(fn)}. Example: ctx.measure('db: find user', () => db.findUser(1))`)
    const recorder = this.#recorders.get(name)
    const startedMs = performance.now()
    try {
      const result = await fn()
      recorder.recordCall(Math.round((performance.now() - startedMs) * 1000))
      return result
    }
    catch (error) {
      const { kind, message } = classifyError(error, this.#learner?.messageChars)
      recorder.recordError(kind, message, 0, 0)
      if (typeof error === 'object' && error !== null)
        this.#recorded.add(error)
      throw error
    }
  }

  #sleep(duration: DurationInput): Promise<void> {
    const ms = parseDurationMs(duration)
    if (ms === undefined)
      return Promise.reject(new TypeError(`ctx.sleep(duration) takes a duration such as '500ms', '2s' or 1500 (ms), got ${describeValue(duration)}`))
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const cancel = (reason: Error): void => {
        clearTimeout(timer)
        reject(reason)
      }
      timer = setTimeout(() => {
        this.#sleeps.delete(cancel)
        resolve()
      }, ms)
      this.#sleeps.add(cancel)
    })
  }
}
