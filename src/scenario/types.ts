import type { DurationInput } from '../spec/duration.js'
import type { StatusMatcher } from '../spec/types.js'
import type { Feeder, FeederRow } from './feeder.js'
import type { ThinkTime } from './think-time.js'

/** Any state you keep per user: set it in `onStart`, read it in tasks. */

export type ScenarioState = Record<string, any>

/** Who is running: the same object for every call of one user, `iteration` moving on. */
export interface ScenarioUserInfo<State extends object = ScenarioState> {
  /** This user's global index across all workers: `0` … `users − 1`, unique in the run. */
  readonly index: number
  /** The worker thread that runs this user: `0` … `workers − 1`. */
  readonly workerIndex: number
  /** Iterations this user has finished: the index of the one running now, from 0. */
  readonly iteration: number
  /** Yours, per user; starts as `{}`. */
  state: State
}

/** The feeders a scenario declares in `data`, by name. */

export type ScenarioData = Record<string, Feeder<any>>

/** `ctx.data`: for each feeder of the scenario's `data`, the row of the running iteration. */
export type ScenarioRows<Data extends ScenarioData = ScenarioData> = {
  readonly [Name in keyof Data]: FeederRow<Data[Name]>
}

/** Which iteration is running: the same object for every call of one user, its fields moving on. */
export interface ScenarioIterationInfo {
  /**
   * The iteration's global index, unique in the run across users and workers, from 0: feeders hand
   * out row `global`. `{ users, iterations }`: user `u`'s `k`-th iteration is `k × users + u`, so
   * the indices are exactly `0` … `users × iterations − 1`. `{ users, duration }` and ramping users:
   * the same rule with the peak users (unique, with gaps where users stop early or never start).
   * Open model: the arrival's index on the global schedule (a dropped arrival's index is skipped).
   * In `onStart`, the index of the user's first iteration; in `onStop`, of its last.
   */
  readonly global: number
  /** The iteration's number for its user, from 0: the same as `ctx.user.iteration`. */
  readonly perUser: number
}

/** What `onStart`, every task and `onStop` receive. */
export interface ScenarioContext<State extends object = ScenarioState, Data extends ScenarioData = ScenarioData> {
  /** An HTTP client bound to the load test's `target`, recording every request it sends. */
  http: ScenarioHttp
  user: ScenarioUserInfo<State>
  /** The running iteration's global index and its number for this user. */
  iteration: ScenarioIterationInfo
  /**
   * The row of the running iteration from each feeder of the scenario's `data`, by the iteration's
   * global index: `ctx.data.users.name`. Read it in tasks; `onStart` and `onStop` run outside
   * iterations, and reading it there throws (use `feeder.rows[ctx.user.index % feeder.rows.length]`
   * for a row per user).
   */
  data: ScenarioRows<Data>
  /** Waits, inside a task: `await ctx.sleep('500ms')`. Counted in the iteration's time. */
  sleep: (duration: DurationInput) => Promise<void>
  /**
   * Times any async call, such as a database query or a gRPC call, and records it under `name`
   * like a request: its latency when it resolves, an error (by its message) when it rejects. Returns
   * what `fn` returns; a rejection is recorded, then passed on.
   * @example const rows = await ctx.measure('db: find user', () => db.query('select …'))
   */
  measure: <T>(name: string, fn: () => T | Promise<T>) => Promise<T>
  /**
   * Runs named checks on `value` (a response, or anything) and counts, per name, the passes (the
   * function returned true) and the fails (false, or it threw: no crash). Returns true when every
   * check passed. The run's `checks` hold each name's pass rate.
   * @example ctx.check(response, { 'status is 200': r => r.status === 200, 'has id': r => r.json<{ id?: number }>().id !== undefined })
   */
  check: <T>(value: T, checks: ScenarioChecks<T>) => boolean
  /**
   * Custom metrics, by name, merged across users and workers into the run's `metrics`: a `counter`
   * sums, a `rate` is the share of `true`, a `trend` is a distribution (min, mean, percentiles, max).
   * @example ctx.metrics.counter('orders placed').add()
   */
  metrics: ScenarioMetrics
}

/** Check names to functions of the checked value: each returns true when the check passes. */
export type ScenarioChecks<T> = Readonly<Record<string, (value: T) => boolean>>

/** `ctx.metrics`: a name used with one type cannot be used with another; at most 100 names a worker. */
export interface ScenarioMetrics {
  /** A sum: `add(n)` adds `n` (0 or more, default 1). */
  counter: (name: string) => CounterMetric
  /** A share of true: `add(true)` or `add(false)`. */
  rate: (name: string) => RateMetric
  /**
   * A distribution of non-negative numbers (up to 10^12), such as times in milliseconds: `add(12.5)`.
   * Values are kept to 0.001 (count, min, mean and max exact to it), percentiles to 3 significant digits.
   */
  trend: (name: string) => TrendMetric
}

export interface CounterMetric {
  /** Adds `n`, a number 0 or more. @default 1 */
  add: (n?: number) => void
}

export interface RateMetric {
  /** Counts one `true` or one `false`. */
  add: (value: boolean) => void
}

export interface TrendMetric {
  /** Records one value, from 0 to 10^12, kept to 0.001. */
  add: (value: number) => void
}

/** Options of one request sent with `ctx.http`. */
export interface ScenarioRequestOptions {
  /** Header names to string values. */
  headers?: Record<string, string>
  /** Query parameters added to the path; arrays repeat the key. */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>
  /** A body sent as JSON, with `content-type: application/json` unless a header says otherwise. */
  json?: unknown
  /** A raw body. Use `json` or `body`. */
  body?: string | Uint8Array
  /**
   * The endpoint name that groups this request in the results, such as `'GET /items/[id]'`.
   * @default the method and the path without its query, e.g. 'GET /items/42'
   */
  name?: string
  /**
   * Statuses that count as success; any other counts as an HTTP error in the results. The promise
   * still resolves with the response: check `response.ok` or `response.status`.
   * @default ['2xx', '3xx']
   */
  expectStatus?: StatusMatcher | readonly StatusMatcher[]
  /**
   * Longest the request may take, send to last byte; past it, it counts as a timeout and the
   * promise rejects.
   * @default the load test's request timeout, '10s'
   */
  timeout?: DurationInput
}

/** One request for `ctx.http.request()`. */
export interface ScenarioRequest extends ScenarioRequestOptions {
  /** @default 'GET' */
  method?: string
  /** A path relative to `target`, starting with `/`: `'/users?page=2'`. */
  path: string
}

/** A response, its body read in full. */
export interface ScenarioResponse {
  status: number
  /** Whether `status` is one the request expected (`expectStatus`, 2xx and 3xx by default). */
  ok: boolean
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>
  /** The body as UTF-8 text. */
  body: string
  /** The body parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  json: <T = unknown>() => T
}

/**
 * The `ctx.http` of a scenario: requests to the load test's `target` on the user's own keep-alive
 * connections. Every request is recorded under its endpoint name (latency, status, bytes). A status
 * the request does not expect counts as an HTTP error and resolves; a network error or a timeout is
 * recorded, then rejects.
 */
export interface ScenarioHttp {
  request: (request: ScenarioRequest) => Promise<ScenarioResponse>
  get: (path: string, options?: ScenarioRequestOptions) => Promise<ScenarioResponse>
  post: (path: string, options?: ScenarioRequestOptions) => Promise<ScenarioResponse>
  put: (path: string, options?: ScenarioRequestOptions) => Promise<ScenarioResponse>
  patch: (path: string, options?: ScenarioRequestOptions) => Promise<ScenarioResponse>
  delete: (path: string, options?: ScenarioRequestOptions) => Promise<ScenarioResponse>
}

/** A function that runs once per user or per iteration. What it returns is ignored. */
export type ScenarioFunction<State extends object = ScenarioState, Data extends ScenarioData = ScenarioData> = (ctx: ScenarioContext<State, Data>) => unknown

/** One of several tasks: each iteration runs one, picked by weight. */
export interface ScenarioTask<State extends object = ScenarioState, Data extends ScenarioData = ScenarioData> {
  /**
   * Names the task in the results: an error it throws is counted under the endpoint `'task <name>'`.
   * @default its position, '#1', '#2', …
   */
  name?: string
  /**
   * How often this task runs relative to the others: a whole number. Over every round of
   * `sum(weights)` iterations, each user runs each task exactly `weight` times, in a shuffled order.
   * @default 1
   */
  weight?: number
  run: ScenarioFunction<State, Data>
}

/** What `defineScenario()` takes, and what a scenario module exports by default. */
export interface Scenario<State extends object = ScenarioState, Data extends ScenarioData = ScenarioData> {
  /**
   * Feeders by name, from `feeder(rows)` or `csvFeeder(file)`: each iteration reads its row as
   * `ctx.data.<name>`, picked by the iteration's global index, so rows are unique across workers.
   */
  data?: Data
  /** Runs once when a user starts, before its first iteration: log in, keep a token in `ctx.user.state`. */
  onStart?: ScenarioFunction<State, Data>
  /** One iteration: a function, or tasks picked by weight for each iteration. */
  tasks: ScenarioFunction<State, Data> | ReadonlyArray<ScenarioTask<State, Data>>
  /**
   * Pause between one user's iterations: `between('1s', '5s')`, `constant('2s')` or `pacing('5s')`.
   * The open model (`rate`) runs one iteration per arrival and has no think time.
   * @default no pause
   */
  thinkTime?: ThinkTime
  /** Runs once when a user stops, after its last iteration, also when the run ends by duration. */
  onStop?: ScenarioFunction<State, Data>
}
