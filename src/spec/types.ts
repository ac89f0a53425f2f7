import type { DurationInput } from './duration.js'

/** A status code (`204`) or a class of them (`'2xx'`). */
export type StatusMatcher = number | '1xx' | '2xx' | '3xx' | '4xx' | '5xx'

/** The HTTP request every virtual user sends. */
export interface RequestOptions {
  /**
   * HTTP method. Taken from a test name such as `'POST /users'` when absent.
   * @default 'GET'
   */
  method?: string
  /**
   * A path relative to `target` (`'/users?page=2'`), or a full URL. Taken from a test name such as
   * `'GET /users'` when absent.
   * @default '/'
   */
  path?: string
  /** Request headers. Values of `authorization`, `cookie` and `proxy-authorization` never appear in output. */
  headers?: Record<string, string>
  /** Query parameters added to the path; arrays repeat the key. */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>
  /** A body sent as JSON, with `content-type: application/json` unless a header says otherwise. */
  json?: unknown
  /** A raw body, sent as it is. Use either `json` or `body`. */
  body?: string | Uint8Array
  /**
   * How long one request may take, from send to the last byte of the response, before it counts
   * as a timeout error.
   * @default '10s'
   */
  timeout?: DurationInput
  /**
   * Which response statuses count as success; any other status is an HTTP error.
   * @default ['2xx', '3xx']
   * @example expectStatus: [200, 404]
   */
  expectStatus?: StatusMatcher | readonly StatusMatcher[]
  /**
   * The endpoint name that groups this request in the results.
   * @default the test name when it has the form 'METHOD /path', else 'METHOD /path' of the request
   */
  name?: string
}

/**
 * The closed model: a fixed number of virtual users, each sending its next request as soon as
 * the previous one finishes. Give either `duration` or `iterations`.
 *
 * A closed loop waits for each response before the next request, so a server that stalls
 * receives fewer requests and the stall hides in the percentiles (coordinated omission).
 */
export interface ClosedLoadOptions {
  /** How many virtual users run at once, each with its own keep-alive connection. */
  users: number
  /** How long the users keep sending, e.g. `'30s'`. */
  duration?: DurationInput
  /** How many requests each user sends; the total is exactly `users × iterations`. */
  iterations?: number
  /**
   * With `iterations`: the longest the run may take before it is stopped and the test fails.
   * @default '10m'
   */
  maxDuration?: DurationInput
}

/** The shape of the load. Only the closed model exists so far. */
export type LoadModelOptions = ClosedLoadOptions

/** What a user writes in `loadTest(name, options)` or `runLoad(options)`. */
export interface LoadTestOptions {
  /** Base URL of the system under test, e.g. `'http://127.0.0.1:3000'`. */
  target?: string
  /** The request each user sends. Method and path may come from the test name instead. */
  request?: RequestOptions
  /** The load model. */
  load: LoadModelOptions
  /**
   * Worker threads generating the load. Users are split across them exactly.
   * @default os.availableParallelism(), but never more than the users
   */
  workers?: number
}
