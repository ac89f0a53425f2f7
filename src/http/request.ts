import type { Dispatcher } from 'undici'
import type { RequestSite, StatusRanges } from '../spec/request-parts.js'
import type { RequestSpec } from '../spec/spec.js'
import { Buffer } from 'node:buffer'
import { describeValue } from '../spec/describe-value.js'
import { parseDurationMs } from '../spec/duration.js'
import { bodyBytes, checkBody, checkHeaders, checkMethod, checkQuery, checkStatuses, requestBytes, successTable, withQuery } from '../spec/request-parts.js'

/**
 * A request ready to send: what a transport is handed, with what recording its outcome needs.
 * The declarative request is prepared once per run; a `ctx.http` call once per call.
 */
export interface PreparedRequest {
  /** The endpoint name its outcome is recorded under. */
  name: string
  /** Passed to the transport as it is, every time. */
  options: Dispatcher.DispatchOptions
  /** Request line, headers (ours and undici's) and body, in bytes. */
  bytesSent: number
  /** `isSuccess[status] === 1` for statuses the request expects: one array read per response. */
  isSuccess: Uint8Array
  /** Longest from the send to the last byte of the response. */
  timeoutMs: number
}

/** The declarative request of `spec`, checked by the validator already: built once per run. */
export function prepareRequest(spec: RequestSpec): PreparedRequest {
  const body = spec.body === null
    ? null
    : Buffer.from(spec.body)
  return {
    name: spec.name,
    options: dispatchOptions(spec.origin, spec.method, spec.path, { ...spec.headers }, body, spec.timeoutMs),
    bytesSent: requestBytes(spec.method, spec.path, new URL(spec.origin).host, spec.headers, bodyBytes(body)),
    isSuccess: successTable(spec.successStatuses),
    timeoutMs: spec.timeoutMs,
  }
}

/** What one `ctx.http` call may set: the declarative request's options, with a path relative to the target. */
export interface CallInput {
  method?: unknown
  path?: unknown
  query?: unknown
  headers?: unknown
  json?: unknown
  body?: unknown
  name?: unknown
  expectStatus?: unknown
  timeout?: unknown
}

/**
 * The defaults of a scenario's `ctx.http` calls, from the load test's `request`: the target, its
 * base path, the timeout and the success rule (`isSuccess`, built once).
 */
export class CallDefaults {
  readonly origin: string
  /** The target's base path without a trailing slash: `''`, or `'/api'` for `http://h/api`. */
  readonly basePath: string
  readonly host: string
  readonly timeoutMs: number
  readonly isSuccess: Uint8Array
  /** Success tables of calls' own `expectStatus`, by its text: a scenario uses a handful. */
  readonly #tables = new Map<string, Uint8Array>()

  constructor(request: RequestSpec) {
    this.origin = request.origin
    this.basePath = request.path.split('?')[0]!.replace(/\/+$/, '')
    this.host = new URL(request.origin).host
    this.timeoutMs = request.timeoutMs
    this.isSuccess = successTable(request.successStatuses)
  }

  /** The success table of a call's own `expectStatus`. */
  successOf(expect: unknown, site: RequestSite): Uint8Array | undefined {
    const key = typeof expect === 'number' || typeof expect === 'string'
      ? String(expect)
      : Array.isArray(expect) && expect.every(item => typeof item === 'number' || typeof item === 'string')
        ? expect.join(',')
        : undefined
    const known = key === undefined
      ? undefined
      : this.#tables.get(key)
    if (known)
      return known
    const ranges: StatusRanges | undefined = checkStatuses(expect, [], site)
    if (!ranges)
      return undefined
    const table = successTable(ranges)
    if (key !== undefined && this.#tables.size < 64)
      this.#tables.set(key, table)
    return table
  }
}

/** Where a `ctx.http` call is checked: its first problem throws. */
export interface CallSite extends RequestSite {
  problem: (message: string) => never
  /** The path as a message may show it (secret query values replaced). */
  showPath: (path: string) => string
}

/**
 * One `ctx.http` call, checked by the same rules as the declarative request (a misuse throws,
 * through `site`, before anything is sent) and prepared the same way.
 */
export function prepareCall(defaults: CallDefaults, call: CallInput, site: CallSite): PreparedRequest {
  const method = checkMethod(call.method, 'GET', site)!
  if (typeof call.path !== 'string' || !call.path.startsWith('/') || call.path.startsWith('//')) {
    site.problem(`the path must start with '/', relative to the target ${defaults.origin}, got ${describeValue(typeof call.path === 'string'
      ? site.showPath(call.path)
      : call.path)}. Example: ctx.http.get('/users/1')`)
  }
  const query = checkQuery(call.query, site)!
  const path = withQuery(`${defaults.basePath}${call.path as string}`, query)
  const headers = checkHeaders(call.headers, site)!
  const text = checkBody(call, headers, site)!
  const body = text === null
    ? null
    : Buffer.from(text)
  if (call.name !== undefined && (typeof call.name !== 'string' || call.name.trim() === ''))
    site.problem(`name must be a non-empty string that names the endpoint in results, got ${describeValue(call.name)}. ${site.example(`name: 'GET /items/[id]'`)}`)
  const timeoutMs = call.timeout === undefined
    ? defaults.timeoutMs
    : parseDurationMs(call.timeout as string | number)
  if (timeoutMs === undefined || timeoutMs <= 0)
    site.problem(`timeout must be a duration above zero such as '5s' or 1500 (ms), got ${describeValue(call.timeout)}. ${site.example(`timeout: '5s'`)}`)
  const isSuccess = call.expectStatus === undefined
    ? defaults.isSuccess
    : defaults.successOf(call.expectStatus, site)!
  return {
    name: (call.name as string | undefined) ?? `${method} ${path.split('?')[0]}`,
    options: dispatchOptions(defaults.origin, method, path, headers, body, timeoutMs!),
    bytesSent: requestBytes(method, path, defaults.host, headers, body?.byteLength ?? 0),
    isSuccess,
    timeoutMs: timeoutMs!,
  }
}

function dispatchOptions(origin: string, method: string, path: string, headers: Record<string, string>, body: Buffer | null, timeoutMs: number): Dispatcher.DispatchOptions {
  return {
    origin,
    method: method as Dispatcher.HttpMethod,
    path,
    headers,
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  }
}
