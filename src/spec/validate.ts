import type { DurationInput } from './duration.js'
import type { LoadSpec, LoadTestSpec, RequestSpec } from './spec.js'
import type { LoadTestOptions, StatusMatcher } from './types.js'
import { InvalidOptionsError } from '../errors.js'
import { describeValue } from './describe-value.js'
import { parseDurationMs } from './duration.js'

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_DURATION_MS = 600_000

const TOP_LEVEL_KEYS = ['target', 'request', 'load', 'workers']
const REQUEST_KEYS = [
  'method',
  'path',
  'headers',
  'query',
  'json',
  'body',
  'timeout',
  'expectStatus',
  'name',
]
const CLOSED_KEYS = [
  'users',
  'duration',
  'iterations',
  'maxDuration',
]
const OPEN_MODEL_KEYS = ['rate', 'stages', 'maxUsers']
/** An HTTP token (RFC 9110): what a method and a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^\w`|~]+$/
/** `'GET /users'`, `'POST /users?x=1'`, `'GET http://127.0.0.1:3000/health'`. */
const NAME_AS_REQUEST = /^([A-Z]+)\s+(\/\S*|https?:\/\/\S+)$/
const STATUS_CLASS = /^([1-5])xx$/

interface Context {
  problems: string[]
}

type Bag = Record<string, unknown>

function isObject(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function checkKnownKeys(bag: Bag, path: string, known: readonly string[], ctx: Context): void {
  for (const key of Object.keys(bag)) {
    if (known.includes(key) || bag[key] === undefined)
      continue
    // the value is not shown: `request.header: { authorization: … }` is a likely typo
    const suggestion = suggestKey(key, path, known)
    ctx.problems.push(`${path}${key} is not an option; the options here are ${known.join(', ')}`
      + `${suggestion === undefined
        ? ''
        : `. Did you mean ${suggestion}?`}`)
  }
}

/** The option the user probably meant: a near miss at the same level, or a request or load option written at the top. */
function suggestKey(key: string, path: string, known: readonly string[]): string | undefined {
  const near = known.find(option => option.toLowerCase() === key.toLowerCase())
    ?? known.find(option => editDistance(option, key) <= (option.length >= 7
      ? 2
      : 1))
  if (near !== undefined)
    return `${path}${near}`
  if (path === '' && REQUEST_KEYS.includes(key))
    return `request.${key}`
  if (path === '' && CLOSED_KEYS.includes(key))
    return `load.${key}`
  return undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1]
        ? 0
        : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}

function checkDuration(value: DurationInput | undefined, path: string, example: string, ctx: Context): number | undefined {
  const ms = parseDurationMs(value)
  if (ms !== undefined && ms > 0)
    return ms
  ctx.problems.push(`${path} must be a duration above zero such as '30s', '2m' or 1500 (ms), got ${describeValue(value)}. Example: ${example}`)
  return undefined
}

/**
 * Checks every option of one load test and returns the normalised spec, or throws one
 * `InvalidOptionsError` listing every problem found. Nothing is sent before this passes.
 */
export function validateOptions(testName: string, options: unknown, defaultWorkers: number): LoadTestSpec {
  const ctx: Context = { problems: [] }
  if (!isObject(options)) {
    ctx.problems.push(`options must be an object, got ${describeValue(options)}. Example: { target: 'http://127.0.0.1:3000', load: { users: 10, duration: '30s' } }`)
    throw new InvalidOptionsError(testName, ctx.problems)
  }
  checkKnownKeys(options, '', TOP_LEVEL_KEYS, ctx)
  const input = options as unknown as LoadTestOptions
  const request = validateRequest(testName, input, ctx)
  const load = validateLoad(input.load, ctx)
  const workers = validateWorkers(input.workers, load, defaultWorkers, ctx)
  if (ctx.problems.length > 0 || !request || !load || workers === undefined)
    throw new InvalidOptionsError(testName, ctx.problems)
  return {
    name: testName,
    request,
    load,
    workers,
  }
}

function validateRequest(testName: string, options: LoadTestOptions, ctx: Context): RequestSpec | undefined {
  const raw: unknown = options.request ?? {}
  if (!isObject(raw)) {
    ctx.problems.push(`request must be an object, got ${describeValue(raw)}. Example: request: { method: 'POST', path: '/users', json: { name: 'jeremy' } }`)
    return undefined
  }
  checkKnownKeys(raw, 'request.', REQUEST_KEYS, ctx)
  const fromName = NAME_AS_REQUEST.exec(testName)

  let method = fromName?.[1] ?? 'GET'
  if (raw.method !== undefined) {
    if (typeof raw.method === 'string' && TOKEN.test(raw.method))
      method = raw.method.toUpperCase()
    else
      ctx.problems.push(`request.method must be an HTTP method such as 'GET' or 'POST', got ${describeValue(raw.method)}. Example: request: { method: 'POST' }`)
  }

  let rawPath = fromName?.[2] ?? '/'
  if (raw.path !== undefined) {
    if (typeof raw.path === 'string' && (raw.path.startsWith('/') || /^https?:\/\//.test(raw.path)))
      rawPath = raw.path
    else
      ctx.problems.push(`request.path must be a path starting with '/' or a full http(s) URL, got ${describeValue(raw.path)}. Example: request: { path: '/users?page=2' }`)
  }

  const url = resolveUrl(options.target, rawPath, ctx)
  const headers = validateHeaders(raw.headers, ctx)
  const query = validateQuery(raw.query, ctx)
  const body = validateBody(raw, headers, ctx)
  const timeoutMs = raw.timeout === undefined
    ? DEFAULT_REQUEST_TIMEOUT_MS
    : checkDuration(raw.timeout as DurationInput, 'request.timeout', `request: { timeout: '5s' }`, ctx)
  const successStatuses = validateStatuses(raw.expectStatus, ctx)

  let name = fromName ? testName : undefined
  if (raw.name !== undefined) {
    if (typeof raw.name === 'string' && raw.name.trim() !== '')
      name = raw.name
    else
      ctx.problems.push(`request.name must be a non-empty string that names the endpoint in results, got ${describeValue(raw.name)}. Example: request: { name: 'GET /items/[id]' }`)
  }
  if (!url || !headers || !query || body === undefined || timeoutMs === undefined || !successStatuses)
    return undefined
  // appended as text: url.searchParams would re-encode the user's own query ('?flag' → '?flag=')
  if (query.length > 0) {
    const extra = new URLSearchParams(query).toString()
    url.search = url.search === ''
      ? extra
      : `${url.search.slice(1)}&${extra}`
  }
  const path = `${url.pathname}${url.search}`
  return {
    name: name ?? `${method} ${path}`,
    method,
    origin: url.origin,
    path,
    headers,
    body,
    timeoutMs,
    successStatuses,
  }
}

function resolveUrl(target: unknown, path: string, ctx: Context): URL | undefined {
  const absolutePath = /^https?:\/\//.test(path)
  if (target === undefined) {
    if (absolutePath)
      return new URL(path)
    ctx.problems.push(`target is required unless request.path is a full URL, got \`undefined\`. Example: target: 'http://127.0.0.1:3000'`)
    return undefined
  }
  let base: URL | undefined
  try {
    base = typeof target === 'string'
      ? new URL(target)
      : undefined
  }
  catch {}
  if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:') || base.search !== '' || base.hash !== '') {
    ctx.problems.push(`target must be an http(s) base URL without query or fragment, got ${describeValue(target)}. Example: target: 'http://127.0.0.1:3000'`)
    return undefined
  }
  if (absolutePath)
    return new URL(path)
  // A base path in the target is kept: 'http://h/api' + '/users' → 'http://h/api/users'.
  // Joined as text, not resolved against the origin: '//x' must stay a path, not become host x.
  const basePath = base.pathname.replace(/\/+$/, '')
  return new URL(`${base.origin}${basePath}${path}`)
}

function validateHeaders(raw: unknown, ctx: Context): Record<string, string> | undefined {
  if (raw === undefined)
    return {}
  const example = `request: { headers: { 'x-api-key': 'secret' } }`
  // header values may be secrets: the messages say what a value is, never what it holds
  if (!isPlainObject(raw)) {
    ctx.problems.push(`request.headers must be a plain object of header names to string values, got ${describeKind(raw)} (contents not shown). Example: ${example}`)
    return undefined
  }
  const headers: Record<string, string> = {}
  let valid = true
  for (const [key, value] of Object.entries(raw)) {
    if (!TOKEN.test(key)) {
      valid = false
      ctx.problems.push(`request.headers has the header name ${describeValue(key)}, which is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). Example: ${example}`)
    }
    else if (typeof value === 'string' && !/[\r\n]/.test(value)) {
      headers[key.toLowerCase()] = value
    }
    else {
      valid = false
      ctx.problems.push(`request.headers.${key} must be a string without line breaks, got ${describeKind(value)} (value not shown). Example: ${example}`)
    }
  }
  return valid ? headers : undefined
}

function isPlainObject(value: unknown): value is Bag {
  if (!isObject(value))
    return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** What a value is, never what it holds: `a string with a line break`, `a number`, `a Headers object`. */
function describeKind(value: unknown): string {
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

function validateQuery(raw: unknown, ctx: Context): Array<[string, string]> | undefined {
  if (raw === undefined)
    return []
  const example = `request: { query: { page: 2, tag: ['a', 'b'] } }`
  if (!isObject(raw)) {
    ctx.problems.push(`request.query must be an object of parameter names to values, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  const pairs: Array<[string, string]> = []
  let valid = true
  for (const [key, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value)
      ? value
      : [value]) {
      if (['string', 'number', 'boolean'].includes(typeof item)) {
        pairs.push([
          key,
          String(item),
        ])
        continue
      }
      valid = false
      ctx.problems.push(`request.query.${key} must be a string, number, boolean or an array of them, got ${describeValue(value)}. Example: ${example}`)
      break
    }
  }
  return valid ? pairs : undefined
}

function validateBody(raw: Bag, headers: Record<string, string> | undefined, ctx: Context): string | Uint8Array | null | undefined {
  if (raw.json !== undefined && raw.body !== undefined) {
    ctx.problems.push(`request.json and request.body cannot both be set: json is sent as a JSON body, body as raw bytes. Example: request: { json: { name: 'jeremy' } }`)
    return undefined
  }
  if (raw.json !== undefined) {
    let text: string | undefined
    try {
      text = JSON.stringify(raw.json)
    }
    catch {}
    if (text === undefined) {
      ctx.problems.push(`request.json must be a value JSON.stringify can encode, got ${describeValue(raw.json)}. Example: request: { json: { name: 'jeremy', age: 23 } }`)
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
  ctx.problems.push(`request.body must be a string or a Uint8Array, got ${describeValue(raw.body)}. Example: request: { body: 'name=jeremy', headers: { 'content-type': 'application/x-www-form-urlencoded' } }`)
  return undefined
}

function validateStatuses(raw: unknown, ctx: Context): Array<[number, number]> | undefined {
  if (raw === undefined) {
    return [
      [200, 399],
    ]
  }
  const ranges: Array<[number, number]> = []
  for (const item of (Array.isArray(raw)
    ? raw
    : [raw]) as unknown[]) {
    const range = statusRange(item)
    if (!range) {
      ctx.problems.push(`request.expectStatus must be a status code from 100 to 599, a class such as '2xx', or an array of them, got ${describeValue(raw)}. Example: request: { expectStatus: [200, 404] }`)
      return undefined
    }
    ranges.push(range)
  }
  if (ranges.length === 0) {
    ctx.problems.push(`request.expectStatus must list at least one status, got \`[]\` (array). Example: request: { expectStatus: '2xx' }`)
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

function validateLoad(raw: unknown, ctx: Context): LoadSpec | undefined {
  const example = `load: { users: 10, duration: '30s' }`
  if (!isObject(raw)) {
    ctx.problems.push(`load must be an object describing the load model, got ${describeValue(raw)}. Example: ${example} or load: { users: 5, iterations: 20 }`)
    return undefined
  }
  const openKeys = OPEN_MODEL_KEYS.filter(key => raw[key] !== undefined)
  if (openKeys.length > 0) {
    ctx.problems.push(`load.${openKeys[0]} belongs to the open and ramping models, which this version does not have yet; use the closed model. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(raw, 'load.', CLOSED_KEYS, ctx)
  const users = raw.users
  if (!positiveInteger(users))
    ctx.problems.push(`load.users must be a whole number of virtual users above 0, got ${describeValue(users)}. Example: ${example}`)

  const hasDuration = raw.duration !== undefined
  const hasIterations = raw.iterations !== undefined
  if (hasDuration === hasIterations) {
    ctx.problems.push(hasDuration
      ? `load.duration and load.iterations cannot both be set: a closed model runs for a time or for a number of iterations. Example: ${example} or load: { users: 5, iterations: 20 }`
      : `load needs load.duration or load.iterations, got neither. Example: ${example} or load: { users: 5, iterations: 20 }`)
    return undefined
  }
  if (hasIterations && !positiveInteger(raw.iterations))
    ctx.problems.push(`load.iterations must be a whole number of requests per user above 0, got ${describeValue(raw.iterations)}. Example: load: { users: 5, iterations: 20 }`)
  if (hasDuration && raw.maxDuration !== undefined)
    ctx.problems.push(`load.maxDuration only applies with load.iterations; with load.duration the run ends on its own. Remove load.maxDuration or use load: { users: 5, iterations: 20, maxDuration: '1m' }`)

  const durationMs = hasDuration
    ? checkDuration(raw.duration as DurationInput, 'load.duration', example, ctx)
    : null
  const maxDurationMs = hasIterations && raw.maxDuration !== undefined
    ? checkDuration(raw.maxDuration as DurationInput, 'load.maxDuration', `load: { users: 5, iterations: 20, maxDuration: '1m' }`, ctx)
    : DEFAULT_MAX_DURATION_MS
  if (!positiveInteger(users) || durationMs === undefined || maxDurationMs === undefined || (hasIterations && !positiveInteger(raw.iterations)))
    return undefined
  return {
    kind: 'closed',
    users,
    durationMs,
    iterationsPerUser: hasIterations ? raw.iterations as number : null,
    maxDurationMs: durationMs ?? maxDurationMs,
  }
}

function validateWorkers(raw: unknown, load: LoadSpec | undefined, defaultWorkers: number, ctx: Context): number | undefined {
  if (raw === undefined)
    return Math.max(1, Math.min(defaultWorkers, load?.users ?? 1))
  if (!positiveInteger(raw)) {
    ctx.problems.push(`workers must be a whole number of worker threads above 0, got ${describeValue(raw)}. Example: workers: 2`)
    return undefined
  }
  if (load && raw > load.users) {
    ctx.problems.push(`workers: ${raw} is more than load.users: ${load.users}; every worker needs at least one user. Use workers ≤ ${load.users} or load.users ≥ ${raw}`)
    return undefined
  }
  return raw
}

/** A status that counts as success for `ranges`, e.g. 204 within `[[200, 399]]`. Used to build a lookup table once per run. */
export function isSuccessStatus(status: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([min, max]) => status >= min && status <= max)
}

export type { StatusMatcher }
