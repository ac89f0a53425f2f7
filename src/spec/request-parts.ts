import { Buffer } from 'node:buffer'
import { describeValue } from './describe-value.js'

/**
 * The parts of one HTTP request, checked and prepared by one set of rules for both ways a request
 * is written: the load test's `request` (checked once, at load time, by the validator) and each
 * `ctx.http` call of a scenario (checked at call time). Pure: no I/O, no undici.
 */

/** An HTTP token (RFC 9110): what a method and a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^\w`|~]+$/
const STATUS_CLASS = /^([1-5])xx$/

/** Inclusive status ranges that count as success, e.g. `[[200, 399]]`. */
export type StatusRanges = Array<[number, number]>

/** The success rule when the request sets none: 2xx and 3xx. */
export const DEFAULT_SUCCESS: readonly [number, number] = [200, 399]

/**
 * Where the options being checked were written, for the messages: the load test's `request`
 * (`request.headers …`, every problem collected) or one `ctx.http` call (`ctx.http: headers …`,
 * the first problem thrown).
 */
export interface RequestSite {
  /** Put before a field's name: `'request.'`, or `''` for a `ctx.http` call. */
  field: string
  /** An example with these options, given their text without the braces: `method: 'POST'`. */
  example: (options: string) => string
  /** Reports one problem (a complete sentence). */
  problem: (message: string) => void
  /** Whether a query parameter or header name holds a secret: its value never reaches a message. */
  isSecret: (name: string) => boolean
}

/** The method in upper case, `fallback` when unset. */
export function checkMethod(raw: unknown, fallback: string, site: RequestSite): string | undefined {
  if (raw === undefined)
    return fallback
  if (typeof raw === 'string' && TOKEN.test(raw))
    return raw.toUpperCase()
  site.problem(`${site.field}method must be an HTTP method such as 'GET' or 'POST', got ${describeValue(raw)}. ${site.example(`method: 'POST'`)}`)
  return undefined
}

/** Header names in lower case to their values; values may be secrets, so messages never show them. */
export function checkHeaders(raw: unknown, site: RequestSite): Record<string, string> | undefined {
  if (raw === undefined)
    return {}
  const example = site.example(`headers: { 'x-api-key': 'secret' }`)
  if (!isPlainObject(raw)) {
    site.problem(`${site.field}headers must be a plain object of header names to string values, got ${describeKind(raw)} (contents not shown). ${example}`)
    return undefined
  }
  const headers: Record<string, string> = {}
  let valid = true
  for (const [key, value] of Object.entries(raw)) {
    if (!TOKEN.test(key)) {
      valid = false
      site.problem(`${site.field}headers has the header name ${describeValue(key)}, which is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). ${example}`)
    }
    else if (typeof value === 'string' && !/[\r\n]/.test(value)) {
      headers[key.toLowerCase()] = value
    }
    else {
      valid = false
      site.problem(`${site.field}headers.${key} must be a string without line breaks, got ${describeKind(value)} (value not shown). ${example}`)
    }
  }
  return valid
    ? headers
    : undefined
}

/** Query parameters as name–value pairs in order; an array repeats its name. */
export function checkQuery(raw: unknown, site: RequestSite): Array<[string, string]> | undefined {
  if (raw === undefined)
    return []
  const example = site.example(`query: { page: 2, tag: ['a', 'b'] }`)
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    site.problem(`${site.field}query must be an object of parameter names to values, got ${describeKind(raw)} (contents not shown). ${example}`)
    return undefined
  }
  const pairs: Array<[string, string]> = []
  let valid = true
  for (const [key, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value)
      ? value as unknown[]
      : [value]) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        pairs.push([
          key,
          String(item),
        ])
        continue
      }
      valid = false
      site.problem(`${site.field}query.${key} must be a string, number, boolean or an array of them, got ${site.isSecret(key)
        ? `${describeKind(value)} (value not shown: ${key} is secret)`
        : describeValue(value)}. ${example}`)
      break
    }
  }
  return valid
    ? pairs
    : undefined
}

/**
 * `path` with the query pairs appended as text (`URL.searchParams` would re-encode the path's own
 * query: `'?flag'` → `'?flag='`).
 */
export function withQuery(path: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0)
    return path
  const extra = new URLSearchParams(pairs as Array<[string, string]>).toString()
  return `${path}${path.includes('?')
    ? '&'
    : '?'}${extra}`
}

/**
 * The body from `json` (encoded, with `content-type: application/json` added to `headers` unless
 * one is set) or `body` (raw); `null` for none.
 */
export function checkBody(raw: { json?: unknown, body?: unknown }, headers: Record<string, string> | undefined, site: RequestSite): string | Uint8Array | null | undefined {
  if (raw.json !== undefined && raw.body !== undefined) {
    site.problem(`${site.field}json and ${site.field}body cannot both be set: json is sent as a JSON body, body as raw bytes. ${site.example(`json: { name: 'jeremy' }`)}`)
    return undefined
  }
  if (raw.json !== undefined) {
    let text: string | undefined
    try {
      text = JSON.stringify(raw.json)
    }
    catch {}
    if (text === undefined) {
      site.problem(`${site.field}json must be a value JSON.stringify can encode, got ${describeValue(raw.json)}. ${site.example(`json: { name: 'jeremy', age: 23 }`)}`)
      return undefined
    }
    if (headers && headers['content-type'] === undefined)
      headers['content-type'] = 'application/json'
    return text
  }
  if (raw.body === undefined)
    return null
  if (typeof raw.body === 'string' || raw.body instanceof Uint8Array)
    return raw.body
  site.problem(`${site.field}body must be a string or a Uint8Array, got ${describeValue(raw.body)}. ${site.example(`body: 'name=jeremy', headers: { 'content-type': 'application/x-www-form-urlencoded' }`)}`)
  return undefined
}

/** `201`, `'2xx'` or an array of them as inclusive ranges; `fallback` when unset. */
export function checkStatuses(raw: unknown, fallback: StatusRanges, site: RequestSite): StatusRanges | undefined {
  if (raw === undefined)
    return fallback
  const ranges: StatusRanges = []
  for (const item of (Array.isArray(raw)
    ? raw
    : [raw]) as unknown[]) {
    const range = statusRange(item)
    if (!range) {
      site.problem(`${site.field}expectStatus must be a status code from 100 to 599, a class such as '2xx', or an array of them, got ${describeValue(raw)}. ${site.example(`expectStatus: [200, 404]`)}`)
      return undefined
    }
    ranges.push(range)
  }
  if (ranges.length === 0) {
    site.problem(`${site.field}expectStatus must list at least one status, got \`[]\` (array). ${site.example(`expectStatus: '2xx'`)}`)
    return undefined
  }
  return ranges
}

function statusRange(item: unknown): [number, number] | undefined {
  if (typeof item === 'number' && Number.isInteger(item) && item >= 100 && item <= 599)
    return [item, item]
  const match = typeof item === 'string'
    ? STATUS_CLASS.exec(item)
    : null
  return match
    ? [Number(match[1]) * 100, Number(match[1]) * 100 + 99]
    : undefined
}

/** `table[status] === 1` for the statuses of `ranges`: one array read per response. */
export function successTable(ranges: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const table = new Uint8Array(600)
  for (const [min, max] of ranges) {
    for (let status = min; status <= max; status++)
      table[status] = 1
  }
  return table
}

/**
 * The bytes of a request on the wire as HTTP/1.1 sends it: the request line, our headers and those
 * undici adds (`host`, `connection`, `content-length` with a body), the blank line and the body.
 */
export function requestBytes(method: string, path: string, host: string, headers: Record<string, string>, bodyBytes: number): number {
  let headerBytes = `host: ${host}\r\nconnection: keep-alive\r\n`.length
  for (const name in headers)
    headerBytes += name.length + headers[name]!.length + 4
  if (bodyBytes > 0)
    headerBytes += `content-length: ${bodyBytes}\r\n`.length
  return `${method} ${path} HTTP/1.1\r\n`.length + headerBytes + 2 + bodyBytes
}

/** The body's length in bytes (UTF-8 for text). */
export function bodyBytes(body: string | Uint8Array | null): number {
  if (body === null)
    return 0
  return typeof body === 'string'
    ? Buffer.byteLength(body)
    : body.byteLength
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null)
    return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** What a value is, never what it holds: `a string with a line break`, `a number`, `a Headers object`. */
export function describeKind(value: unknown): string {
  if (value === undefined || value === null)
    return describeValue(value)
  if (typeof value === 'string') {
    return /[\r\n]/.test(value)
      ? 'a string with a line break'
      : 'a string'
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length} ${value.length === 1
      ? 'item'
      : 'items'}`
  }
  if (typeof value === 'object')
    return `a ${(value.constructor as { name?: string } | undefined)?.name || 'null-prototype'} object`
  return `a ${typeof value}`
}
