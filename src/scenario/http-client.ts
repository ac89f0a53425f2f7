import type { CallSite, PreparedRequest } from '../http/request.js'
import type { Transport } from '../http/transport.js'
import type { RequestSpec } from '../spec/spec.js'
import type { EndpointRecorders } from './recorders.js'
import type { SecretLearner } from './secret-learner.js'
import type { ScenarioHttp, ScenarioRequest, ScenarioRequestOptions, ScenarioResponse } from './types.js'
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { isConnectFailure } from '../http/connect-backoff.js'
import { Exchange } from '../http/exchange.js'
import { CallDefaults, prepareCall } from '../http/request.js'
import { openTransport } from '../http/transport.js'
import { describeValue } from '../spec/describe-value.js'
import { redactPath } from '../spec/redact.js'

/** One `ctx.http` call in flight: its exchange, and the promise it settles. */
class CallExchange extends Exchange {
  resolve: (response: ScenarioResponse) => void = () => {}
  reject: (error: Error) => void = () => {}
}

/**
 * The `ctx.http` of one scenario user: a promise over the same request path as the declarative
 * user. Each call is checked and prepared by the same rules (`prepareCall`), sent on the user's
 * own transport (one keep-alive connection per request in flight) by an `Exchange`, which records
 * it into the worker's recorder for its endpoint name exactly as a declarative request is recorded:
 * latency and service time, status, bytes, errors by kind and message, the timeout (the worker's
 * sweep, `coverTimeout`).
 */
export class ScenarioHttpClient {
  readonly http: ScenarioHttp
  readonly #transport: Transport
  readonly #defaults: CallDefaults
  readonly #site: CallSite
  readonly #recorders: EndpointRecorders
  readonly #onRecordedError: (error: unknown) => void
  readonly #coverTimeout: (timeoutMs: number) => void
  readonly #inFlight = new Set<CallExchange>()
  readonly #learner: SecretLearner | undefined
  /** The secret header value this client last handed to the learner: the same token again costs one comparison. */
  #lastSecret: string | undefined
  /** How late the user's open-model arrival was handled: added to the latency of its next request, then 0. */
  #lateMs = 0
  /** Connect failures in a row (refused, reset before any response …); any response sets it back to 0. The user backs off on it. */
  connectFailures = 0

  /**
   * `request` gives the target and the defaults (timeout, expected statuses); `onRecordedError` is
   * told of every error the client recorded before rejecting with it, so it is not counted again as
   * an error of the task that lets it through; `coverTimeout` of each call's timeout, for the
   * worker's sweep that ends late requests (undici's own read timeouts, set to the same, are the
   * only ones without it).
   */
  constructor(request: RequestSpec, recorders: EndpointRecorders, onRecordedError: (error: unknown) => void, learner?: SecretLearner, coverTimeout: (timeoutMs: number) => void = () => {}) {
    this.#learner = learner
    this.#defaults = new CallDefaults(request)
    this.#recorders = recorders
    this.#onRecordedError = onRecordedError
    this.#coverTimeout = coverTimeout
    this.#transport = openTransport({ origin: request.origin, timeoutMs: request.timeoutMs })
    this.#site = {
      field: '',
      example: options => `Example: ctx.http.request({ path: '/users', ${options} })`,
      problem: (message) => {
        throw new TypeError(`ctx.http: ${message}`)
      },
      // the learner knows the names of the test's secrets; without one, nothing is secret here
      isSecret: name => learner !== undefined && learner.names.has(name.toLowerCase()),
      showPath: path => redactPath(path, [
        ...learner?.names ?? [],
      ]),
    }
    const call = (method: string) => (path: string, options?: ScenarioRequestOptions): Promise<ScenarioResponse> =>
      this.request({ ...options, method, path })
    this.http = {
      request: options => this.request(options),
      get: call('GET'),
      post: call('POST'),
      put: call('PUT'),
      patch: call('PATCH'),
      delete: call('DELETE'),
    }
  }

  /** The user's open-model arrival is being handled `lateMs` after its intended time. */
  arrivalLate(lateMs: number): void {
    this.#lateMs = lateMs > 0
      ? lateMs
      : 0
  }

  /** Sends one request and reads its body in full. */
  request(call: ScenarioRequest): Promise<ScenarioResponse> {
    let prepared: PreparedRequest
    try {
      // a misuse (a path without '/', a bad header) rejects before anything is sent or recorded
      if (typeof call !== 'object' || call === null)
        throw new TypeError(`ctx.http.request() takes { method, path, … }, got ${describeValue(call)}. Example: ctx.http.request({ method: 'GET', path: '/users' })`)
      prepared = prepareCall(this.#defaults, call, this.#site)
    }
    catch (error) {
      return Promise.reject(error instanceof Error
        ? error
        : new TypeError(String(error)))
    }
    if (this.#learner)
      this.#learn(this.#learner, call, prepared)
    this.#coverTimeout(prepared.timeoutMs)
    const exchange = new CallExchange(this.#ended, {
      keepResponse: true,
      ...(this.#learner && { messageChars: this.#learner.messageChars }),
    })
    const promise = new Promise<ScenarioResponse>((resolve, reject) => {
      exchange.resolve = resolve
      exchange.reject = reject
    })
    this.#inFlight.add(exchange)
    // the first request of a late arrival carries the lateness, as a declarative request's latency does
    const sentAtMs = performance.now()
    exchange.send(this.#transport, prepared, this.#recorders.get(prepared.name), sentAtMs - this.#lateMs, sentAtMs)
    this.#lateMs = 0
    return promise
  }

  /** Ends every request in flight that has run past its timeout. Called by the worker's sweep. */
  expireIfLate(nowMs: number): void {
    for (const exchange of this.#inFlight)
      exchange.expireIfLate(nowMs)
  }

  /** Aborts every request in flight with `reason`; each is recorded as an error and rejects. */
  abortAll(reason: Error): void {
    for (const exchange of this.#inFlight)
      exchange.abort(reason)
  }

  async close(): Promise<void> {
    await this.#transport.close()
  }

  /** A call ended, recorded already: settle its promise. */
  readonly #ended = (ended: Exchange, error: Error | null): void => {
    const exchange = ended as CallExchange
    this.#inFlight.delete(exchange)
    if (error !== null) {
      if (isConnectFailure(error, exchange.responded))
        this.connectFailures++
      this.#onRecordedError(error)
      exchange.reject(error)
      return
    }
    this.connectFailures = 0
    const headers = parseHeaders(exchange.rawHeaders ?? [])
    const setCookie = headers['set-cookie']
    if (setCookie !== undefined && this.#learner) {
      // the cookie's value, 'abc' of 'session=abc; Path=/': what the scenario sends back in `cookie`
      for (const cookie of Array.isArray(setCookie)
        ? setCookie
        : [setCookie]) {
        const pair = cookie.split(';', 1)[0]!
        this.#learner.value(pair.slice(pair.indexOf('=') + 1).trim())
      }
    }
    const text = Buffer.concat(exchange.chunks).toString('utf8')
    const status = exchange.status
    exchange.resolve({
      status,
      ok: exchange.request!.isSuccess[status] === 1,
      headers,
      body: text,
      json: <T>() => JSON.parse(text) as T,
    })
  }

  /** Hands the learner the secret values this request sends: headers, query parameters, path and JSON fields. */
  #learn(learner: SecretLearner, call: ScenarioRequest, prepared: PreparedRequest): void {
    const headers = prepared.options.headers as Record<string, string>
    for (const name in headers) {
      if (!learner.headerNames.has(name))
        continue
      const value = headers[name]!
      if (value !== this.#lastSecret) {
        this.#lastSecret = value
        learner.header(name, value)
      }
    }
    // names of the options' secrets only: nothing to look at otherwise
    if (learner.names.size > 0) {
      learner.path(call.path)
      if (call.query !== undefined) {
        for (const [key, value] of Object.entries(call.query)) {
          if (!learner.names.has(key.toLowerCase()))
            continue
          for (const item of Array.isArray(value)
            ? value
            : [value])
            learner.value(String(item))
        }
      }
      if (call.json !== undefined)
        learner.json(call.json)
    }
  }
}

/** Raw header names and values as an object: names in lower case, a repeated name's values in an array (as undici's `response.headers`). */
function parseHeaders(raw: readonly Buffer[]): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase()
    const value = raw[i + 1]!.toString('utf8')
    const known = headers[name]
    if (known === undefined)
      headers[name] = value
    else if (Array.isArray(known))
      known.push(value)
    else
      headers[name] = [known, value]
  }
  return headers
}
