import type { Dispatcher } from 'undici'
import type { EndpointRecorder } from '../metrics/recorder.js'
import type { PreparedRequest } from './build-request.js'
import type { ContinuePredicate, IdleCallback, VirtualUser } from './virtual-user.js'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import { classifyError, RequestTimeoutError } from './classify-error.js'
import { BACKOFF_SLICE_MS, backoffMs, isConnectFailure } from './connect-backoff.js'

/**
 * One virtual user: its own keep-alive connection, sending the prepared request. In the closed
 * model it loops (`run`), the next request as soon as the previous one ends; in the open model it
 * sends one request per arrival (`fire`) and reports itself idle. The user is its own undici
 * dispatch handler, so a request allocates no promise, closure or handler object. It uses undici's
 * raw-header callbacks (onHeaders …) rather than the controller API, which would parse every
 * response's headers into an object.
 *
 * Two clocks per request: latency runs from the intended start (an arrival's place on the
 * schedule, or the send itself in a closed loop) and service time from the actual send, so a
 * generator or a target that falls behind shows in latency, as wrk2 measures it.
 *
 * A user whose connect fails (refused, reset before any response, connect timeout …) waits before
 * its next attempt (`connect-backoff.ts`): in the closed model before its next request, in the
 * open model it stays busy for the wait, so arrivals meanwhile are dropped and counted as such.
 */
export class HttpUser implements Dispatcher.DispatchHandler, VirtualUser {
  readonly globalIndex: number
  /** Requests this user has finished. */
  iterations = 0
  readonly #client: Client
  readonly #request: PreparedRequest
  readonly #recorder: EndpointRecorder
  readonly #timeoutMs: number
  #shouldContinue: ContinuePredicate = () => false
  #done: () => void = () => {}
  #onIdle: IdleCallback | null = null
  #abort: ((error?: Error) => void) | null = null
  #inFlight = false
  #intendedStartMs = 0
  #sentAtMs = 0
  #status = 0
  #bytesReceived = 0
  /** Set by undici once the request is on a connected socket and written: only then were bytes sent. */
  #written = false
  /** Connect failures in a row; any response ends the streak. */
  #connectFailures = 0
  #waitUntilMs = 0
  #waitTimer: ReturnType<typeof setTimeout> | null = null
  /** The run is ending: a back-off wait ends now, and no new one starts. */
  #stopWaiting = false

  constructor(globalIndex: number, request: PreparedRequest, recorder: EndpointRecorder, timeoutMs: number) {
    this.globalIndex = globalIndex
    this.#request = request
    this.#recorder = recorder
    this.#timeoutMs = timeoutMs
    // one connection per user; no pipelining, so a slow response delays only its own user
    this.#client = new Client(request.options.origin as string, {
      pipelining: 1,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
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
    return this.#inFlight
  }

  /** Aborts the request in flight when it has run past the timeout. Called by the worker's sweep timer. */
  expireIfLate(nowMs: number): void {
    if (this.#inFlight && nowMs - this.#sentAtMs > this.#timeoutMs)
      this.#abort?.(new RequestTimeoutError(this.#timeoutMs))
  }

  /** Ends the request in flight now (it counts as a network error); used when a run is stopped early. */
  abortInFlight(reason: Error): void {
    if (this.#inFlight)
      this.#abort?.(reason)
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
    await this.#client.destroy()
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
    this.#inFlight = true
    this.#status = 0
    this.#bytesReceived = 0
    this.#abort = null
    this.#written = false
    this.#intendedStartMs = intendedStartMs
    this.#sentAtMs = sentAtMs
    this.#client.dispatch(this.#request.options, this)
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

  onConnect(abort: (error?: Error) => void): void {
    // undici calls this on a connected socket, right before it writes the request
    this.#abort = abort
    this.#written = true
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    let bytes = 0
    for (let i = 0; i < rawHeaders.length; i++)
      bytes += rawHeaders[i]!.length + 2
    this.#bytesReceived += bytes
    // 1xx informational responses precede the real one
    if (status >= 200)
      this.#status = status
    return true
  }

  onData(chunk: Buffer): boolean {
    this.#bytesReceived += chunk.length
    return true
  }

  onComplete(): void {
    const nowMs = performance.now()
    const status = this.#status
    this.#inFlight = false
    this.#connectFailures = 0
    this.iterations++
    this.#recorder.recordResponse(
      status,
      this.#request.isSuccess[status] === 1,
      Math.round((nowMs - this.#intendedStartMs) * 1000),
      Math.round((nowMs - this.#sentAtMs) * 1000),
      this.#request.bytesSent,
      this.#bytesReceived,
    )
    this.#ended()
  }

  onError(error: Error): void {
    this.#inFlight = false
    this.iterations++
    const { kind, message } = classifyError(error)
    // a refused connect or a failed TLS handshake wrote nothing
    this.#recorder.recordError(kind, message, this.#written
      ? this.#request.bytesSent
      : 0, this.#bytesReceived)
    if (isConnectFailure(error, this.#status !== 0 || this.#bytesReceived > 0))
      this.#connectFailures++
    else
      this.#connectFailures = 0
    // errors can be raised synchronously inside dispatch(): continue on a fresh stack
    setImmediate(() => this.#ended())
  }
}
