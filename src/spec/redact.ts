import type { RequestSpec } from './spec.js'

/** Headers whose values are secret whatever the options say. */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
]

/** What a secret value is replaced with, everywhere. */
export const REDACTED = '[redacted]'

/**
 * Values shorter than this are not searched for in texts: replacing `'a'` or `'1'` everywhere would
 * leave nothing readable. They are still `[redacted]` where their name marks them (a header, a query
 * parameter, a JSON field of the request shown in the reports).
 */
export const MIN_SECRET_LENGTH = 4

/** Fields of a report whose keys are text from outside (error messages, metric names): their keys are searched too. */
const KEYED_BY_TEXT = new Set(['errorMessages', 'metrics'])

/** JSON bodies larger than this are not shown in reports, only counted. */
const MAX_JSON_PREVIEW_BYTES = 4096

/** The request a load test sent, as the reports show it: every secret value replaced by `'[redacted]'`. */
export interface RequestDescription {
  method: string
  /** The full URL; the values of secret query parameters are `[redacted]`. */
  url: string
  /** Header names in lower case; the values of secret headers are `[redacted]`. */
  headers: Record<string, string>
  /** Size of the body in bytes, 0 without one. */
  bodyBytes: number
  /** A JSON body of at most 4 KiB, with the values of secret fields `[redacted]`. */
  json?: unknown
}

/**
 * Whether the value named `name` (a header, a query parameter or a JSON field) is secret: one of
 * the `SECRET_HEADERS`, or a name the user listed in `request.secrets`, compared without case.
 */
export function isSecretName(name: string, secrets: readonly string[] = []): boolean {
  const lower = name.toLowerCase()
  return SECRET_HEADERS.includes(lower) || secrets.includes(lower)
}

/**
 * A path with the values of secret query parameters replaced, the rest kept as written:
 * `redactPath('/users?token=abc&page=2', ['token'])` → `'/users?token=[redacted]&page=2'`.
 */
export function redactPath(path: string, secrets: readonly string[] = []): string {
  const queryStart = path.indexOf('?')
  if (queryStart === -1)
    return path
  const hashStart = path.indexOf('#', queryStart)
  const query = path.slice(queryStart + 1, hashStart === -1
    ? undefined
    : hashStart)
  const redacted = query.split('&').map((pair) => {
    const equals = pair.indexOf('=')
    return equals !== -1 && isSecretName(decodeQueryPart(pair.slice(0, equals)), secrets)
      ? `${pair.slice(0, equals)}=${REDACTED}`
      : pair
  }).join('&')
  return `${path.slice(0, queryStart)}?${redacted}${hashStart === -1
    ? ''
    : path.slice(hashStart)}`
}

function decodeQueryPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  }
  catch {
    // a malformed escape: compare the text as written
    return text
  }
}

function queryPairs(path: string): Array<[string, string]> {
  const queryStart = path.indexOf('?')
  if (queryStart === -1)
    return []
  const query = path.slice(queryStart + 1).split('#')[0]!
  return query.split('&').filter(pair => pair.includes('=')).map((pair) => {
    const equals = pair.indexOf('=')
    return [
      decodeQueryPart(pair.slice(0, equals)),
      pair.slice(equals + 1),
    ]
  })
}

function parseJsonBody(request: RequestSpec): { value: unknown } | undefined {
  if (typeof request.body !== 'string' || !/\bjson\b/i.test(request.headers['content-type'] ?? ''))
    return undefined
  try {
    return {
      value: JSON.parse(request.body) as unknown,
    }
  }
  catch {
    // declared JSON but is not: shown only by its size
    return undefined
  }
}

/** A copy of `value` with the values of secret fields, at any depth, replaced. */
function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (Array.isArray(value))
    return value.map(item => redactJson(item, secrets))
  if (typeof value !== 'object' || value === null)
    return value
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [
    key,
    isSecretName(key, secrets)
      ? REDACTED
      : redactJson(child, secrets),
  ]))
}

/** The values of secret fields of a JSON body, at any depth; numbers and booleans as text. */
function secretJsonValues(value: unknown, secrets: readonly string[], into: string[]): void {
  if (typeof value !== 'object' || value === null)
    return
  for (const [key, child] of Object.entries(value)) {
    if (isSecretName(key, secrets) && (typeof child === 'string' || typeof child === 'number' || typeof child === 'boolean'))
      into.push(String(child))
    else if (isSecretName(key, secrets))
      into.push(JSON.stringify(child))
    else
      secretJsonValues(child, secrets, into)
  }
}

/** The request as the reports show it, with every secret value replaced by `'[redacted]'`. */
export function describeRequest(request: RequestSpec): RequestDescription {
  const secrets = request.secrets ?? []
  const bodyBytes = request.body === null
    ? 0
    : typeof request.body === 'string'
      ? Buffer.byteLength(request.body)
      : request.body.byteLength
  const json = bodyBytes <= MAX_JSON_PREVIEW_BYTES
    ? parseJsonBody(request)
    : undefined
  return {
    method: request.method,
    url: `${request.origin}${redactPath(request.path, secrets)}`,
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [
      name,
      isSecretName(name, secrets)
        ? REDACTED
        : value,
    ])),
    bodyBytes,
    ...(json && {
      json: redactJson(json.value, secrets),
    }),
  }
}

/**
 * The secret parts of one secret header's value: the value itself, the credentials of
 * `Authorization: Bearer <token>` on their own, and each cookie's value
 * (`'sid=s-77aa; theme=dark'` → the whole, `'s-77aa'`, `'dark'`).
 */
export function secretPartsOfHeader(name: string, value: string): string[] {
  const parts = [value]
  if (name === 'authorization' || name === 'proxy-authorization')
    parts.push(value.slice(value.indexOf(' ') + 1))
  if (name === 'cookie' || name === 'set-cookie')
    parts.push(...value.split(';').map(pair => pair.slice(pair.indexOf('=') + 1).trim()))
  return parts
}

/**
 * Each value in every form it may be written in (as given, URL-encoded, form-encoded), without
 * values shorter than `MIN_SECRET_LENGTH`, longest first, so a value that contains another is
 * replaced whole.
 */
export function secretForms(values: Iterable<string>): string[] {
  const forms = new Set<string>()
  for (const value of values) {
    if (value.trim().length < MIN_SECRET_LENGTH)
      continue
    forms.add(value)
    forms.add(encodeURIComponent(value))
    forms.add(new URLSearchParams({ v: value }).toString().slice(2))
  }
  return [...forms].sort((a, b) => b.length - a.length)
}

/**
 * Every secret value of a request, in each form it may be written in (as given, URL-encoded,
 * form-encoded), longest first: what `redactDeep` removes from everything a report holds.
 * The credentials of `Authorization: Bearer <token>` and each cookie's value count on their own too.
 */
export function secretValuesOf(request: RequestSpec): string[] {
  const secrets = request.secrets ?? []
  const values: string[] = []
  for (const [name, value] of Object.entries(request.headers)) {
    if (isSecretName(name, secrets))
      values.push(...secretPartsOfHeader(name, value))
  }
  for (const [name, value] of queryPairs(request.path)) {
    if (isSecretName(name, secrets))
      values.push(value, decodeQueryPart(value))
  }
  const json = parseJsonBody(request)
  if (json)
    secretJsonValues(json.value, secrets, values)
  return secretForms(values)
}

/** `text` with every occurrence of every secret value replaced by `'[redacted]'`. */
export function redactText(text: string, secretValues: readonly string[]): string {
  let result = text
  for (const value of secretValues) {
    if (result.includes(value))
      result = result.replaceAll(value, REDACTED)
  }
  return result
}

/**
 * A copy of plain data (a run report) with every secret value removed from every string in it, and
 * from the keys of `errorMessages` and `metrics`, which are text from outside (the other keys are
 * the report's own field names, which a short secret such as `'http'` must not break). Fields named
 * `histogram` are left alone: they hold base64, where a secret's letters can occur by chance and
 * replacing them would corrupt the encoding.
 */
export function redactDeep<T>(value: T, secretValues: readonly string[]): T {
  if (secretValues.length === 0)
    return value
  const walk = (item: unknown, keyedByText: boolean): unknown => {
    if (typeof item === 'string')
      return redactText(item, secretValues)
    if (Array.isArray(item))
      return item.map(child => walk(child, false))
    if (typeof item !== 'object' || item === null)
      return item
    return Object.fromEntries(Object.entries(item).map(([key, child]) => [
      keyedByText
        ? redactText(key, secretValues)
        : key,
      key === 'histogram'
        ? child
        : walk(child, KEYED_BY_TEXT.has(key)),
    ]))
  }
  return walk(value, false) as T
}
