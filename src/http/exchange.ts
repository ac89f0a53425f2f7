import type { Dispatcher } from 'undici'
import type { EndpointRecorder } from '../metrics/recorder.js'
import type { PreparedRequest } from './request.js'
import type { Transport } from './transport.js'
import { performance } from 'node:perf_hooks'
import { classifyError, MAX_ERROR_MESSAGE_CHARS, RequestTimeoutError } from './classify-error.js'

/** Told once an exchange has ended and been recorded: `error` is `null` for a response. */
export type ExchangeEnd = (exchange: Exchange, error: Error | null) => void

/**
 * One request and its response: the one undici dispatch handler under both ways of sending (a
 * declarative user reuses one for all its requests, so a request allocates no promise, closure or
 * handler object; each `ctx.http` call has its own, which keeps the response for the scenario). It
 * uses undici's raw-header callbacks (onHeaders …) rather than the controller API, which would parse
 * every response's headers into an object.
 *
 * It records the outcome into its endpoint's recorder, the same way for both: two clocks, latency
 * from the intended start (an open-model arrival's place on the schedule, or the send itself) and
 * service time from the actual send, so a generator or a target that falls behind shows in latency,
 * as wrk2 measures it; bytes sent only once the request was written to a connected socket; errors
 * by kind. Its deadline covers the whole request, send to last byte, checked by the worker's sweep
 * (`expireIfLate`).
 */
export class Exchange implements Dispatcher.DispatchHandler {
  /** Whether the request is under way (sent, not yet ended). */
  inFlight = false
  /** The final status; 0 until a response's headers arrive. */
  status = 0
  /** Header and body bytes of the response so far. */
  bytesReceived = 0
  /** The final response's raw header names and values, when the response is kept. */
  rawHeaders: Buffer[] | null = null
  /** The response's body, when it is kept. */
  readonly chunks: Buffer[] = []
  #request: PreparedRequest | null = null
  #recorder: EndpointRecorder | null = null
  #intendedStartMs = 0
  #sentAtMs = 0
  /** Set by undici once the request is on a connected socket and written: only then were bytes sent. */
  #written = false
  #abort: ((error?: Error) => void) | null = null
  /** An abort asked for before undici could take it (no connection yet): done as soon as it can. */
  #pendingAbort: Error | null = null
  readonly #onEnd: ExchangeEnd
  readonly #keepResponse: boolean
  readonly #messageChars: number

  /**
   * `keepResponse`: keep the final response's headers and body (for `ctx.http`); `messageChars`:
   * where error messages are cut (`classifyError`).
   */
  constructor(onEnd: ExchangeEnd, options: { keepResponse?: boolean, messageChars?: number } = {}) {
    this.#onEnd = onEnd
    this.#keepResponse = options.keepResponse ?? false
    this.#messageChars = options.messageChars ?? MAX_ERROR_MESSAGE_CHARS
  }

  /** The request being sent (or the last one). */
  get request(): PreparedRequest | null {
    return this.#request
  }

  /** Whether any byte of a response arrived: a failure after that is not a failed connect. */
  get responded(): boolean {
    return this.status !== 0 || this.bytesReceived > 0
  }

  /** Sends `request` over `transport`, recording into `recorder`; times on this thread's clock. */
  send(transport: Transport, request: PreparedRequest, recorder: EndpointRecorder, intendedStartMs: number, sentAtMs: number): void {
    this.inFlight = true
    this.status = 0
    this.bytesReceived = 0
    this.#abort = null
    this.#pendingAbort = null
    this.#written = false
    this.#request = request
    this.#recorder = recorder
    this.#intendedStartMs = intendedStartMs
    this.#sentAtMs = sentAtMs
    transport.send(request.options, this)
  }

  /** Aborts the request when it has run past its timeout. Called by the worker's sweep timer. */
  expireIfLate(nowMs: number): void {
    if (this.inFlight && nowMs - this.#sentAtMs > this.#request!.timeoutMs)
      this.abort(new RequestTimeoutError(this.#request!.timeoutMs))
  }

  /** Ends the request now with `reason` as its error (a timeout, or a run stopped early). */
  abort(reason: Error): void {
    if (!this.inFlight)
      return
    if (this.#abort)
      this.#abort(reason)
    else
      this.#pendingAbort ??= reason
  }

  onConnect(abort: (error?: Error) => void): void {
    // undici calls this on a connected socket, right before it writes the request
    if (this.#pendingAbort) {
      abort(this.#pendingAbort)
      return
    }
    this.#abort = abort
    this.#written = true
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    let bytes = 0
    for (let i = 0; i < rawHeaders.length; i++)
      bytes += rawHeaders[i]!.length + 2
    this.bytesReceived += bytes
    // 1xx informational responses precede the real one
    if (status >= 200) {
      this.status = status
      if (this.#keepResponse)
        this.rawHeaders = rawHeaders
    }
    return true
  }

  onData(chunk: Buffer): boolean {
    this.bytesReceived += chunk.length
    if (this.#keepResponse)
      this.chunks.push(chunk)
    return true
  }

  onComplete(): void {
    const nowMs = performance.now()
    const request = this.#request!
    const status = this.status
    this.inFlight = false
    this.#recorder!.recordResponse(
      status,
      request.isSuccess[status] === 1,
      Math.round((nowMs - this.#intendedStartMs) * 1000),
      Math.round((nowMs - this.#sentAtMs) * 1000),
      request.bytesSent,
      this.bytesReceived,
    )
    this.#onEnd(this, null)
  }

  onError(error: Error): void {
    this.inFlight = false
    const { kind, message } = classifyError(error, this.#messageChars)
    // a refused connect or a failed TLS handshake wrote nothing
    this.#recorder!.recordError(kind, message, this.#written
      ? this.#request!.bytesSent
      : 0, this.bytesReceived)
    this.#onEnd(this, error)
  }
}
