// a callback's argument is a result type: imported for its type only, nothing at run time
import type { LoadStep } from '../metrics/summary.js'
import type { DurationInput } from './duration.js'
import type { RateInput } from './rate.js'

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
  /**
   * Request headers. Values of `authorization`, `cookie`, `set-cookie`, `proxy-authorization` and
   * of the names in `secrets` never appear in output: reports show them as `[redacted]`.
   */
  headers?: Record<string, string>
  /**
   * Names of headers, query parameters and JSON body fields (at any depth) whose values are secret,
   * compared without case. Their values never appear in any report or message: `[redacted]` stands
   * in their place. `authorization`, `cookie`, `set-cookie` and `proxy-authorization` always are.
   * @default []
   * @example secrets: ['x-api-key', 'token', 'password']
   */
  secrets?: readonly string[]
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
  /**
   * Starts the users one after another, evenly over this time, instead of all at once (the first
   * at once, the last `rampUp × (users − 1) / users` later). Part of `duration`, not added to it.
   * Give `rampUp` or `spawnRate`. To leave the ramp out of the judged figures, set `warmup` too.
   * @default 0 (all users at once)
   * @example load: { users: 50, duration: '1m', rampUp: '10s' }
   */
  rampUp?: DurationInput
  /**
   * Users started per second, as Locust's `--spawn-rate`: `users: 50, spawnRate: 5` starts them
   * over 10 s. Give `rampUp` or `spawnRate`.
   * @example load: { users: 50, duration: '1m', spawnRate: 5 }
   */
  spawnRate?: number
}

/**
 * The open model at a constant rate: arrivals start on a fixed clock, whether or not earlier
 * requests have finished, as wrk2 and k6's constant-arrival-rate do. Latency is measured from each
 * arrival's intended start, so a server that stalls shows its stall in the percentiles.
 * @example load: { rate: 200, duration: '30s', maxUsers: 50 }
 */
export interface OpenLoadOptions {
  /** Arrivals per second: `200`, `'200/s'`, `'600/m'`. */
  rate: RateInput
  /** How long arrivals keep coming, e.g. `'30s'`. */
  duration: DurationInput
  /**
   * The most requests in flight at once (one connection each). An arrival that finds them all busy
   * is not sent and is counted in `droppedArrivals`.
   * @default the peak rate, rounded up: one second of responses in flight
   */
  maxUsers?: number
}

/** One stage of a ramp: the value moves linearly to `rate` or `users` over `duration`. */
export interface RateStage {
  /** How long the ramp to `rate` takes; `0` steps at once. */
  duration: DurationInput
  /** Arrivals per second at the end of the stage. */
  rate: RateInput
}

export interface UsersStage {
  /** How long the ramp to `users` takes; `0` steps at once. */
  duration: DurationInput
  /** Users running at the end of the stage. */
  users: number
}

/**
 * The open model with a changing rate: the rate moves in straight lines from `startRate` through
 * each stage's `rate`, like k6's ramping-arrival-rate.
 * @example load: { stages: [{ duration: '30s', rate: 100 }, { duration: '1m', rate: 100 }, { duration: '10s', rate: 0 }] }
 */
export interface RampingRateOptions {
  stages: readonly RateStage[]
  /**
   * The rate at the start of the first stage.
   * @default 0
   */
  startRate?: RateInput
  /** As in the constant open model. @default the peak rate, rounded up */
  maxUsers?: number
}

/**
 * The closed model with a changing number of users (k6's ramping-vus): spike, soak and step shapes
 * are stages. A user that is no longer wanted finishes the request it is sending, within
 * `gracefulStop`.
 * @example load: { stages: [{ duration: '10s', users: 20 }, { duration: '1m', users: 20 }, { duration: '10s', users: 0 }] }
 */
export interface RampingUsersOptions {
  stages: readonly UsersStage[]
  /**
   * Users running at the start of the first stage.
   * @default 0
   */
  startUsers?: number
  /**
   * How long a user that is ramped down, or still busy when the last stage ends, may take to finish
   * its request before it is cancelled.
   * @default '30s'
   */
  gracefulStop?: DurationInput
}

/** Steps of a breaking-point search: `start`, then `start + step`, … up to `max`. */
export interface StepOptions<T> {
  start: T
  step: T
  max: T
}

/**
 * When a step counts as broken: any one condition that holds over the step's whole seconds.
 * @example until: { p95Above: '100ms', errorRateAbove: 0.01 }
 */
export interface BreakCondition {
  /** The mean latency over the step, as Cicada's threshold. */
  meanAbove?: DurationInput
  p50Above?: DurationInput
  p95Above?: DurationInput
  p99Above?: DurationInput
  /** A ratio: `0.01` is 1 %. */
  errorRateAbove?: number
  /**
   * Your own aggregate: called in the test thread with each finished step's figures (including
   * its merged latency; not yet what `observe` saw, which arrives apart). Return a string saying
   * what broke the step, in numbers (`'p90 310 ms > 250 ms'`), or `true`; `false` (or `''`) when
   * the step held.
   * @example check: step => step.latency.p90Ms > 250 && `p90 ${step.latency.p90Ms} ms > 250 ms`
   */
  check?: (step: LoadStep) => boolean | string
}

/**
 * Find the breaking point, as Cicada's ramp-users-to-threshold does: raise users (closed model) or
 * the arrival rate (open model) in steps until a condition holds over a step, then stop. The
 * result is in `run.breakingPoint` and `run.steps`; assert with `toSustainUsers` or `toSustainRate`.
 * @example load: { breakingPoint: { users: { start: 10, step: 10, max: 200 }, stepDuration: '10s', until: { p95Above: '100ms' } } }
 */
export interface BreakingPointLoadOptions {
  breakingPoint: {
    /** Step the users (closed model). Give `users` or `rate`. */
    users?: StepOptions<number>
    /** Step the arrivals per second (open model). */
    rate?: StepOptions<RateInput>
    /** How long each step lasts: whole seconds, e.g. `'10s'`. */
    stepDuration: DurationInput
    until: BreakCondition
    /** With `rate`: the most requests in flight. @default the highest rate, rounded up */
    maxUsers?: number
  }
}

/**
 * A step test: the load holds each level of a list for `stepDuration`, one after another, and
 * every level is measured on its own (`run.steps`, `run.step(level)`), as the practitioner's
 * 10 → 50 → 100 → 200 users. Users (closed model) or arrival rates (open model).
 * @example load: { steps: { users: [10, 50, 100, 200], stepDuration: '30s' } }
 */
export interface StepLoadOptions {
  steps: {
    /** The users of each step (closed model). Give `users` or `rate`. */
    users?: readonly number[]
    /** The arrivals per second of each step (open model). */
    rate?: readonly RateInput[]
    /** How long each step lasts: whole seconds, e.g. `'30s'`. */
    stepDuration: DurationInput
    /** With `rate`: the most requests in flight. @default the highest rate, rounded up */
    maxUsers?: number
  }
}

/**
 * A spike and the recovery after it: the light load `before`, the `peak` `during`, the light load
 * again `after`, in one run whose phases are its steps (`run.steps`: `before`, `peak`, `after`).
 * `toRecoverWithin` asserts the target came back to its level before the peak.
 * @example load: { spike: { users: 5, peak: 50, before: '5s', during: '5s', after: '10s' } }
 */
export interface SpikeLoadOptions {
  spike: {
    /** The light load before and after the peak, in users (closed model). Give `users` or `rate`. */
    users?: number
    /** The light load before and after the peak, in arrivals per second (open model). */
    rate?: RateInput
    /** The stress: users, or arrivals per second with `rate`. */
    peak: number | RateInput
    /** How long each phase lasts: whole seconds. */
    before: DurationInput
    during: DurationInput
    after: DurationInput
    /** With `rate`: the most requests in flight. @default the peak rate, rounded up */
    maxUsers?: number
  }
}

/** The shape of the load: closed (`users`), open (`rate`), ramping either (`stages`), a step test (`steps`), a spike or a breaking-point search. */
export type LoadModelOptions = ClosedLoadOptions | OpenLoadOptions | RampingRateOptions | RampingUsersOptions | StepLoadOptions | SpikeLoadOptions | BreakingPointLoadOptions

/** What a user writes in `loadTest(name, options)` or `runLoad(options)`. */
export interface LoadTestOptions {
  /** Base URL of the system under test, e.g. `'http://127.0.0.1:3000'`. */
  target?: string
  /** The request each user sends. Method and path may come from the test name instead. */
  request?: RequestOptions
  /**
   * A scenario module each worker imports, instead of `request`: its default export is a
   * `defineScenario({ onStart, tasks, thinkTime, onStop })` from `vitest-load/scenario`, whose
   * `ctx.http` sends requests to `target`. A file URL, an absolute path, or a path relative to the
   * current directory; TypeScript (`.ts`, `.mts`) or JavaScript.
   * @example scenario: new URL('./users.scenario.ts', import.meta.url)
   */
  scenario?: string | URL
  /**
   * Names of headers, query parameters and JSON body fields (at any depth) whose values are secret,
   * compared without case, for the whole test: the declarative `request` (added to its own
   * `request.secrets`) or what a scenario's `ctx.http` sends. With a scenario, the values are learned
   * as they are sent, and removed from every name, error message and report of the run.
   * @default []
   * @example secrets: ['x-api-key', 'token']
   */
  secrets?: readonly string[]
  /** The load model. */
  load: LoadModelOptions
  /**
   * The first seconds of the run are a warm-up (connections, JIT, caches, users starting): they
   * are sent and shown in the timeline and reports, marked, but left out of the figures that
   * matchers, the error budget and baselines judge, as Locust's `--reset-stats`. `run.warmup`
   * counts its requests. Whole seconds, shorter than the run (and than a step of `steps` or `breakingPoint`); not
   * with `load.iterations`, whose length is a count of requests.
   * @default 0 (no warm-up)
   * @example warmup: '5s'
   */
  warmup?: DurationInput
  /**
   * Worker threads generating the load. Users are split across them exactly.
   * @default os.availableParallelism(), but never more than the users
   */
  workers?: number
  /**
   * `false` runs this test on this machine even when the run is distributed (`VITEST_LOAD_REDIS` or
   * the plugin's `distributed` option set): a smoke test, or a test of something local.
   * Distributed, each agent runs its share on its own `--workers` threads and `workers` is not used.
   * @default true when the run is distributed
   */
  distributed?: boolean
  /**
   * The memory each worker thread may use for its objects (V8's old generation), in megabytes. A
   * worker that needs more is stopped and the test fails with `WorkerOutOfMemoryError`: a scenario
   * that keeps something per user or per iteration grows without bound.
   * @default 1024
   */
  workerMemoryMb?: number
  /**
   * The largest share of requests (0–1) that may fail (error status, no response, timeout) before
   * the test fails, checked after your assertions unless they judge errors themselves
   * (`toHaveErrorRateBelow`, `toHaveCheckPassRateAbove`). `false` turns it off, for a test that
   * means to load an erroring target.
   * @default 0.01
   * @example errorBudget: 0.05
   */
  errorBudget?: number | false
  /**
   * Watch the system under test while the load runs, once a second: its process, a Prometheus
   * endpoint, or both. What is seen joins the run (`run.observed`), its reports and the matchers
   * (`toHaveTargetCpuBelow`, `toHaveMemoryGrowthBelow`, `toHaveTargetMetricBelow`).
   * @example observe: { process: server.pid }
   */
  observe?: ObserveOptions
}

/** What to watch on the system under test while the load runs (`observe`). */
export interface ObserveOptions {
  /**
   * The target's process id, its child processes included (a gunicorn master and its workers, a
   * Node cluster): CPU, resident memory, threads and open files. `'self'` for a target started in
   * the test process (in `beforeAll`): the CPU of its main thread, where the target's handlers run
   * (the load's worker threads left out), the V8 heap and the event-loop delay. Linux only (`/proc`).
   * @example process: child.pid
   */
  process?: number | 'self'
  /**
   * A Prometheus endpoint in the text format and the metric families to keep, each with all its
   * series: counters (and the `_count` and `_sum` of summaries and histograms) become rates a
   * second, gauges stay values.
   * @example prometheus: { url: 'http://127.0.0.1:9100/metrics', metrics: ['process_resident_memory_bytes', 'http_requests_total'] }
   */
  prometheus?: {
    url: string
    metrics: readonly string[]
  }
}
