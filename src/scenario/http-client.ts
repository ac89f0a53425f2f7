import type { Dispatcher } from 'undici'
import type { RequestSpec } from '../spec/spec.js'
import type { EndpointRecorders } from './recorders.js'
import type { SecretLearner } from './secret-learner.js'
import type { ScenarioHttp, ScenarioRequest, ScenarioRequestOptions, ScenarioResponse } from './types.js'
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { Pool } from 'undici'
import { classifyError, RequestTimeoutError } from '../http/classify-error.js'
import { failedToConnect, isConnectFailure } from '../http/connect-backoff.js'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'
import { redactPath } from '../spec/redact.js'

/** An HTTP token (RFC 9110): what a method and a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^\w`|~]+$/
const STATUS_CLASS = /^([1-5])xx$/

type StatusRanges = ReadonlyArray<readonly [number, number]>

interface PreparedCall {
  name: string
  method: Dispatcher.HttpMethod
  path: string
  headers: Record<string, string>
  body: Buffer | null
  timeoutMs: number
  success: StatusRanges
  bytesSent: number
}

/**
 * The `ctx.http` of one scenario user: undici's promise API on the user's own keep-alive pool of
 * connections to the target (one connection per request in flight). Every request is recorded into
 * the worker's recorder for its endpoint name, as the declarative user records its request:
 * latency from the send to the last byte, status, bytes, errors by kind and message.
 */
export class ScenarioHttpClient {
  readonly http: ScenarioHttp
  readonly #pool: Pool
  readonly #origin: string
  /** The target's base path without a trailing slash: `''`, or `'/api'` for `http://h/api`. */
  readonly #basePath: string
  readonly #host: string
  readonly #timeoutMs: number
  readonly #success: StatusRanges
  readonly #recorders: EndpointRecorders
  readonly #onRecordedError: (error: unknown) => void
  readonly #inFlight = new Set<AbortController>()
  readonly #learner: SecretLearner | undefined
  /** The secret header value this client last handed to the learner: the same token again costs one comparison. */
  #lastSecret: string | undefined
  /** Connect failures in a row (refused, reset before any response …); any response sets it back to 0. The user backs off on it. */
  connectFailures = 0

  /**
   * `request` gives the target and the defaults (timeout, expected statuses); `onRecordedError` is
   * told of every error the client recorded before rejecting with it, so it is not counted again as
   * an error of the task that lets it through.
   */
  constructor(request: RequestSpec, recorders: EndpointRecorders, onRecordedError: (error: unknown) => void, learner?: SecretLearner) {
    this.#learner = learner
    this.#origin = request.origin
    this.#basePath = request.path.split('?')[0]!.replace(/\/+$/, '')
    this.#host = new URL(request.origin).host
    this.#timeoutMs = request.timeoutMs
    this.#success = request.successStatuses
    this.#recorders = recorders
    this.#onRecordedError = onRecordedError
    this.#pool = new Pool(request.origin, {
      connect: { timeout: request.timeoutMs },
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    })
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

  /** Sends one request and reads its body in full. */
  async request(call: ScenarioRequest): Promise<ScenarioResponse> {
    // a misuse (a path without '/', a bad header) throws before anything is sent or recorded
    const prepared = this.#prepare(call)
    const recorder = this.#recorders.get(prepared.name)
    const controller = new AbortController()
    this.#inFlight.add(controller)
    // one deadline for the whole request, send to last byte, as for declarative requests
    const timer = setTimeout(() => controller.abort(new RequestTimeoutError(prepared.timeoutMs)), prepared.timeoutMs)
    let bytesReceived = 0
    const sentMs = performance.now()
    try {
      const response = await this.#pool.request({
        method: prepared.method,
        path: prepared.path,
        headers: prepared.headers,
        body: prepared.body,
        signal: controller.signal,
        headersTimeout: prepared.timeoutMs,
        bodyTimeout: prepared.timeoutMs,
      })
      bytesReceived = headerBytes(response.headers)
      const setCookie = response.headers['set-cookie']
      if (setCookie !== undefined && this.#learner) {
        // the cookie's value, 'abc' of 'session=abc; Path=/': what the scenario sends back in `cookie`
        for (const cookie of Array.isArray(setCookie)
          ? setCookie
          : [setCookie]) {
          const pair = cookie.split(';', 1)[0]!
          this.#learner.value(pair.slice(pair.indexOf('=') + 1).trim())
        }
      }
      const body = Buffer.from(await response.body.arrayBuffer())
      bytesReceived += body.byteLength
      const latencyUs = Math.round((performance.now() - sentMs) * 1000)
      const status = response.statusCode
      const ok = isExpected(status, prepared.success)
      this.connectFailures = 0
      recorder.recordResponse(status, ok, latencyUs, latencyUs, prepared.bytesSent, bytesReceived)
      const text = body.toString('utf8')
      return {
        status,
        ok,
        headers: response.headers,
        body: text,
        json: <T>() => JSON.parse(text) as T,
      }
    }
    catch (error) {
      const { kind, message } = classifyError(error, this.#learner?.messageChars)
      // a refused connect or a failed TLS handshake wrote nothing
      recorder.recordError(kind, message, failedToConnect(error)
        ? 0
        : prepared.bytesSent, bytesReceived)
      if (isConnectFailure(error, bytesReceived > 0))
        this.connectFailures++
      this.#onRecordedError(error)
      throw error
    }
    finally {
      clearTimeout(timer)
      this.#inFlight.delete(controller)
    }
  }

  /** Aborts every request in flight with `reason`; each is recorded as an error and rejects. */
  abortAll(reason: Error): void {
    for (const controller of this.#inFlight)
      controller.abort(reason)
  }

  async close(): Promise<void> {
    await this.#pool.destroy()
  }

  #prepare(call: ScenarioRequest): PreparedCall {
    if (typeof call !== 'object' || call === null)
      throw new TypeError(`ctx.http.request() takes { method, path, … }, got ${describeValue(call)}. Example: ctx.http.request({ method: 'GET', path: '/users' })`)
    const method = call.method === undefined
      ? 'GET'
      : call.method
    if (typeof method !== 'string' || !TOKEN.test(method))
      throw new TypeError(`ctx.http: method must be an HTTP method such as 'GET' or 'POST', got ${describeValue(method)}`)
    if (typeof call.path !== 'string' || !call.path.startsWith('/') || call.path.startsWith('//')) {
      const path = typeof call.path === 'string'
        ? redactPath(call.path, [
            ...this.#learner?.names ?? [],
          ])
        : call.path
      throw new TypeError(`ctx.http: the path must start with '/', relative to the target ${this.#origin}, got ${describeValue(path)}. Example: ctx.http.get('/users/1')`)
    }
    const upper = method.toUpperCase() as Dispatcher.HttpMethod
    let path = `${this.#basePath}${call.path}`
    if (call.query !== undefined)
      path = appendQuery(path, call.query, this.#learner)
    const headers = copyHeaders(call.headers)
    if (this.#learner)
      this.#learn(this.#learner, call, headers)
    let body: Buffer | null = null
    if (call.json !== undefined && call.body !== undefined)
      throw new TypeError(`ctx.http: json and body cannot both be set: json is sent as a JSON body, body as raw bytes`)
    if (call.json !== undefined) {
      body = Buffer.from(JSON.stringify(call.json))
      headers['content-type'] ??= 'application/json'
    }
    else if (typeof call.body === 'string' || call.body instanceof Uint8Array) {
      body = Buffer.from(call.body)
    }
    else if (call.body !== undefined) {
      throw new TypeError(`ctx.http: body must be a string or a Uint8Array, got ${describeValue(call.body)}`)
    }
    if (call.name !== undefined && (typeof call.name !== 'string' || call.name.trim() === ''))
      throw new TypeError(`ctx.http: name must be a non-empty string that names the endpoint in results, got ${describeValue(call.name)}. Example: { name: 'GET /items/[id]' }`)
    const timeoutMs = call.timeout === undefined
      ? this.#timeoutMs
      : parseDurationMs(call.timeout)
    if (timeoutMs === undefined || timeoutMs <= 0)
      throw new TypeError(`ctx.http: timeout must be a duration above zero such as '5s' or 1500 (ms), got ${describeValue(call.timeout)}`)
    let headerLength = `host: ${this.#host}\r\nconnection: keep-alive\r\n`.length
    for (const [name, value] of Object.entries(headers))
      headerLength += name.length + value.length + 4
    if (body)
      headerLength += `content-length: ${body.byteLength}\r\n`.length
    return {
      name: call.name ?? `${upper} ${path.split('?')[0]}`,
      method: upper,
      path,
      headers,
      body,
      timeoutMs,
      success: call.expectStatus === undefined
        ? this.#success
        : statusRanges(call.expectStatus),
      bytesSent: `${upper} ${path} HTTP/1.1\r\n`.length + headerLength + 2 + (body?.byteLength ?? 0),
    }
  }

  /** Hands the learner the secret values this request sends (query parameters are handed over by `appendQuery`). */
  #learn(learner: SecretLearner, call: ScenarioRequest, headers: Record<string, string>): void {
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
      if (call.json !== undefined)
        learner.json(call.json)
    }
  }
}

function copyHeaders(raw: unknown): Record<string, string> {
  if (raw === undefined)
    return {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TypeError(`ctx.http: headers must be an object of header names to string values (contents not shown)`)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    // header values may be secrets: say what is wrong, never what they hold
    if (!TOKEN.test(name) || typeof value !== 'string' || /[\r\n]/.test(value))
      throw new TypeError(`ctx.http: header ${describeValue(name)} must have a valid name and a string value without line breaks (value not shown)`)
    headers[name.toLowerCase()] = value
  }
  return headers
}

function appendQuery(path: string, query: NonNullable<ScenarioRequestOptions['query']>, learner: SecretLearner | undefined): string {
  if (typeof query !== 'object' || query === null)
    throw new TypeError(`ctx.http: query must be an object of parameter names to values, got ${describeValue(query)}`)
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    const secret = learner !== undefined && learner.names.size > 0 && learner.names.has(key.toLowerCase())
    for (const item of Array.isArray(value)
      ? value
      : [value]) {
      if (!['string', 'number', 'boolean'].includes(typeof item)) {
        throw new TypeError(`ctx.http: query.${key} must be a string, number, boolean or an array of them, got ${secret
          ? 'something else (value not shown: it is secret)'
          : describeValue(value)}`)
      }
      params.append(key, String(item))
      if (secret)
        learner.value(String(item))
    }
  }
  const extra = params.toString()
  if (extra === '')
    return path
  return `${path}${path.includes('?')
    ? '&'
    : '?'}${extra}`
}

/** `201`, `'2xx'` or an array of them, as inclusive ranges. */
function statusRanges(expect: unknown): StatusRanges {
  const ranges: Array<[number, number]> = []
  for (const item of (Array.isArray(expect)
    ? expect
    : [expect]) as unknown[]) {
    const match = typeof item === 'string'
      ? STATUS_CLASS.exec(item)
      : null
    if (typeof item === 'number' && Number.isInteger(item) && item >= 100 && item <= 599)
      ranges.push([item, item])
    else if (match)
      ranges.push([Number(match[1]) * 100, Number(match[1]) * 100 + 99])
    else
      throw new TypeError(`ctx.http: expectStatus must be a status from 100 to 599, a class such as '2xx', or an array of them, got ${describeValue(expect)}. Example: { expectStatus: [200, 404] }`)
  }
  if (ranges.length === 0)
    throw new TypeError(`ctx.http: expectStatus must list at least one status, got \`[]\` (array)`)
  return ranges
}

function isExpected(status: number, ranges: StatusRanges): boolean {
  for (const [min, max] of ranges) {
    if (status >= min && status <= max)
      return true
  }
  return false
}

/** Response header bytes as the declarative user counts them: name and value, each with its CRLF. */
function headerBytes(headers: Record<string, string | string[] | undefined>): number {
  let bytes = 0
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value)
      ? value
      : [value ?? ''])
      bytes += name.length + item.length + 4
  }
  return bytes
}
