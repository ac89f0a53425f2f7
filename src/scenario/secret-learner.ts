import { MAX_ERROR_MESSAGE_CHARS } from '../http/classify-error.js'
import { MIN_SECRET_LENGTH, SECRET_HEADERS, secretPartsOfHeader } from '../spec/redact.js'

/** Distinct values one worker remembers having sent; past it the memory is cleared and values may be sent again. */
export const MAX_KNOWN_SECRETS = 4096

/**
 * Learns, in a worker, the secret values a scenario's `ctx.http` sends: the values of the headers
 * `authorization`, `cookie`, `proxy-authorization` and `set-cookie`, the cookies a response sets,
 * and the values of the headers, query parameters and JSON fields named in the options' `secrets`.
 * Each new value is handed to `send` once (the worker posts it to the test thread at once, before
 * any text that may hold it), so the test thread can scrub it from every text of the run.
 *
 * Cheap per request: a client looks only at secret headers (a lookup per header name) and compares
 * each value with the last one it learned before asking here; query parameters and JSON fields are
 * looked at only when the options name secrets.
 */
export class SecretLearner {
  /** Lower-case names whose header values are secret. */
  readonly headerNames: ReadonlySet<string>
  /** Lower-case names from the options: headers, query parameters, JSON fields. Empty: nothing but headers is looked at. */
  readonly names: ReadonlySet<string>
  readonly #known = new Set<string>()
  readonly #send: (values: string[]) => void
  /**
   * Where this worker cuts error messages: past the shown length by three times the longest value
   * sent (a URL-encoded value may be that long), so a value that starts in the shown part is whole.
   */
  messageChars = MAX_ERROR_MESSAGE_CHARS

  constructor(secrets: readonly string[], send: (values: string[]) => void) {
    this.names = new Set(secrets)
    this.headerNames = new Set([
      ...SECRET_HEADERS,
      ...secrets,
    ])
    this.#send = send
  }

  /** A secret header's value, as sent (`name` in lower case): itself, a bearer token alone, each cookie's value. */
  header(name: string, value: string): void {
    if (this.#known.has(value))
      return
    this.#learn(secretPartsOfHeader(name, value))
  }

  /** The value of a query parameter or JSON field named secret. */
  value(value: string): void {
    if (!this.#known.has(value))
      this.#learn([value])
  }

  /** The values of every field named secret in a JSON body, at any depth. */
  json(body: unknown): void {
    if (typeof body !== 'object' || body === null)
      return
    for (const [key, child] of Object.entries(body)) {
      if (!this.names.has(key.toLowerCase()))
        this.json(child)
      else if (typeof child === 'string' || typeof child === 'number' || typeof child === 'boolean')
        this.value(String(child))
      else if (child !== undefined)
        this.value(JSON.stringify(child))
    }
  }

  /** The values of secret query parameters in a path as written (`/x?token=abc`). */
  path(path: string): void {
    const queryStart = path.indexOf('?')
    if (queryStart === -1)
      return
    for (const pair of new URLSearchParams(path.slice(queryStart + 1).split('#')[0])) {
      if (this.names.has(pair[0].toLowerCase()))
        this.value(pair[1])
    }
  }

  #learn(values: string[]): void {
    const fresh: string[] = []
    for (const value of values) {
      if (this.#known.has(value))
        continue
      if (this.#known.size >= MAX_KNOWN_SECRETS)
        this.#known.clear()
      // a short value is remembered too, so it is not looked at again, but never sent: see MIN_SECRET_LENGTH
      this.#known.add(value)
      if (value.trim().length >= MIN_SECRET_LENGTH) {
        fresh.push(value)
        this.messageChars = Math.max(this.messageChars, MAX_ERROR_MESSAGE_CHARS + 3 * value.length)
      }
    }
    if (fresh.length > 0)
      this.#send(fresh)
  }
}
