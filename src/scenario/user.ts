import type { ContinuePredicate, IdleCallback, VirtualUser } from '../http/virtual-user.js'
import type { DurationInput } from '../spec/duration.js'
import type { RequestSpec } from '../spec/spec.js'
import type { CheckedScenario } from './check-scenario.js'
import type { EndpointRecorders } from './recorders.js'
import type { ScenarioContext, ScenarioFunction, ScenarioState } from './types.js'
import { performance } from 'node:perf_hooks'
import { classifyError } from '../http/classify-error.js'
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
  readonly #context: ScenarioContext
  readonly #random: () => number
  readonly #picker: TaskPicker | null
  /** Errors `ctx.http` recorded before rejecting with them. */
  readonly #recorded = new WeakSet<object>()
  /** Pending `ctx.sleep()` calls, rejected when the user is aborted. */
  readonly #sleeps = new Set<(reason: Error) => void>()
  #phase: Phase = 'idle'

  constructor(globalIndex: number, workerIndex: number, scenario: CheckedScenario, request: RequestSpec, recorders: EndpointRecorders) {
    this.globalIndex = globalIndex
    this.#scenario = scenario
    this.#recorders = recorders
    this.#client = new ScenarioHttpClient(request, recorders, (error) => {
      if (typeof error === 'object' && error !== null)
        this.#recorded.add(error)
    })
    this.#info = {
      index: globalIndex,
      workerIndex,
      iteration: 0,
      state: {},
    }
    this.#context = {
      http: this.#client.http,
      user: this.#info,
      sleep: duration => this.#sleep(duration),
      measure: (name, fn) => this.#measure(name, fn),
    }
    this.#random = createRandom(globalIndex)
    this.#picker = scenario.tasks.length > 1
      ? new TaskPicker(scenario.tasks.map(task => task.weight), this.#random)
      : null
  }

  /** Starts, runs iterations with think time between them while `shouldContinue` says so, and stops. Never rejects. */
  async run(shouldContinue: ContinuePredicate): Promise<void> {
    if (!shouldContinue(this))
      return
    await this.#start()
    while (true) {
      const startedMs = performance.now()
      await this.#iterate()
      if (!shouldContinue(this) || !await this.#think(performance.now() - startedMs, shouldContinue))
        break
    }
    await this.#stop()
  }

  /** Runs one iteration (after `onStart`, on the first); `onIdle` follows its end. No think time. */
  fire(_intendedStartMs: number, onIdle: IdleCallback): void {
    void (async () => {
      try {
        if (this.#phase === 'idle')
          await this.#start()
        await this.#iterate()
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

  /** Each request has its own deadline timer: nothing to sweep. */
  expireIfLate(): void {}

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

  async #iterate(): Promise<void> {
    const task = this.#scenario.tasks[this.#picker
      ? this.#picker.next()
      : 0]!
    await this.#call(task.endpoint, task.run)
    this.iterations++
    this.#info.iteration = this.iterations
  }

  /** Calls user code; what it throws is counted under `endpoint`, unless `ctx.http` counted it already. */
  async #call(endpoint: string, fn: ScenarioFunction): Promise<void> {
    try {
      await fn(this.#context)
    }
    catch (error) {
      if (typeof error === 'object' && error !== null && this.#recorded.has(error))
        return
      const { kind, message } = classifyError(error)
      this.#recorders.get(endpoint).recordError(kind, message, 0, 0)
    }
  }

  /** Pauses between iterations; `false` when the user should stop instead. */
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
      const { kind, message } = classifyError(error)
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
