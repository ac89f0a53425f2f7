import type { EndpointRecorder } from '../metrics/recorder.js'
import type { PreparedRequest } from './request.js'
import type { Transport } from './transport.js'
import type { ContinuePredicate, IdleCallback, VirtualUser } from './virtual-user.js'
import { performance } from 'node:perf_hooks'
import { BACKOFF_SLICE_MS, backoffMs, isConnectFailure } from './connect-backoff.js'
import { Exchange } from './exchange.js'
import { openTransport } from './transport.js'

/**
 * One virtual user: its own keep-alive connection, sending the prepared request. In the closed
 * model it loops (`run`), the next request as soon as the previous one ends; in the open model it
 * sends one request per arrival (`fire`) and reports itself idle. One `Exchange`, reused, sends and
 * records every request (`exchange.ts`: the clocks, the bytes, the timeout).
 *
 * A user whose connect fails (refused, reset before any response, connect timeout …) waits before
 * its next attempt (`connect-backoff.ts`): in the closed model before its next request, in the
 * open model it stays busy for the wait, so arrivals meanwhile are dropped and counted as such.
 */
export class HttpUser implements VirtualUser {
  readonly globalIndex: number
  /** Requests this user has finished. */
  iterations = 0
  readonly #transport: Transport
  readonly #exchange: Exchange
  readonly #request: PreparedRequest
  readonly #recorder: EndpointRecorder
  #shouldContinue: ContinuePredicate = () => false
  #done: () => void = () => {}
  #onIdle: IdleCallback | null = null
  /** Connect failures in a row; any response ends the streak. */
  #connectFailures = 0
  #waitUntilMs = 0
  #waitTimer: ReturnType<typeof setTimeout> | null = null
  /** The run is ending: a back-off wait ends now, and no new one starts. */
  #stopWaiting = false

  constructor(globalIndex: number, request: PreparedRequest, recorder: EndpointRecorder) {
    this.globalIndex = globalIndex
    this.#request = request
    this.#recorder = recorder
    // one connection per user; no pipelining, so a slow response delays only its own user
    this.#transport = openTransport({ origin: request.options.origin as string, timeoutMs: request.timeoutMs, connections: 1 })
    this.#exchange = new Exchange(this.#exchangeEnded)
  }

  /** Sends requests while `shouldContinue` says so; resolves after the last one ends. */
  run(shouldContinue: ContinuePredicate): Promise<void> {
    this.#shouldContinue = shouldContinue
    this.#onIdle = null
    this.#stopWaiting = false
    return new Promise((resolve) => {
      this.#done = resolve
      this.#next()
    })
  }

  /** Sends one request for an arrival due at `intendedStartMs` (this thread's clock); `onIdle` follows its end. */
  fire(intendedStartMs: number, onIdle: IdleCallback): void {
    this.#onIdle = onIdle
    this.#dispatch(intendedStartMs, performance.now())
  }

  /** Whether a request of this user is in flight. */
  get busy(): boolean {
    return this.#exchange.inFlight
  }

  /** Aborts the request in flight when it has run past the timeout. Called by the worker's sweep timer. */
  expireIfLate(nowMs: number): void {
    this.#exchange.expireIfLate(nowMs)
  }

  /** Ends the request in flight now (it counts as a network error); used when a run is stopped early. */
  abortInFlight(reason: Error): void {
    this.#exchange.abort(reason)
  }

  /** Ends a back-off wait at once, and starts no other: the run (or this user's part in it) is ending. */
  stopWaiting(): void {
    this.#stopWaiting = true
    if (this.#waitTimer !== null) {
      clearTimeout(this.#waitTimer)
      this.#wait()
    }
  }

  async close(): Promise<void> {
    if (this.#waitTimer !== null)
      clearTimeout(this.#waitTimer)
    this.#waitTimer = null
    await this.#transport.close()
  }

  #next(): void {
    if (!this.#shouldContinue(this)) {
      this.#done()
      return
    }
    // a closed loop sends on time: one clock reading serves as intended start and send
    const nowMs = performance.now()
    this.#dispatch(nowMs, nowMs)
  }

  #dispatch(intendedStartMs: number, sentAtMs: number): void {
    this.#exchange.send(this.#transport, this.#request, this.#recorder, intendedStartMs, sentAtMs)
  }

  /** The request ended, recorded already: back off after a failed connect, then go on. */
  readonly #exchangeEnded = (exchange: Exchange, error: Error | null): void => {
    this.iterations++
    if (error === null) {
      this.#connectFailures = 0
      this.#ended()
      return
    }
    if (isConnectFailure(error, exchange.responded))
      this.#connectFailures++
    else
      this.#connectFailures = 0
    // errors can be raised synchronously inside dispatch(): continue on a fresh stack
    setImmediate(() => this.#ended())
  }

  #ended(): void {
    if (this.#connectFailures > 0 && !this.#stopWaiting) {
      this.#waitUntilMs = performance.now() + backoffMs(this.#connectFailures)
      this.#wait()
      return
    }
    this.#proceed()
  }

  #proceed(): void {
    const onIdle = this.#onIdle
    if (onIdle)
      onIdle(this)
    else
      this.#next()
  }

  /** One slice of a back-off wait (one timer per user): a closed loop asked to stop, or a stop, ends it early. */
  readonly #wait = (): void => {
    this.#waitTimer = null
    const leftMs = this.#waitUntilMs - performance.now()
    if (leftMs <= 0 || this.#stopWaiting || (this.#onIdle === null && !this.#shouldContinue(this))) {
      this.#proceed()
      return
    }
    this.#waitTimer = setTimeout(this.#wait, Math.min(BACKOFF_SLICE_MS, leftMs))
  }
}
