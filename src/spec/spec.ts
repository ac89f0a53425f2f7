// a callback's argument is a result type: imported for its type only, nothing at run time
import type { LoadStep } from '../metrics/summary.js'

/** A request fully resolved before load starts: what each worker sends, with nothing left to compute. */
export interface RequestSpec {
  /** Endpoint name that groups the results, e.g. `'GET /users'`. */
  name: string
  method: string
  /** `http://127.0.0.1:3000`: scheme, host and port only. */
  origin: string
  /** Path with the query string, e.g. `/users?page=2`. */
  path: string
  /** Header names in lower case. */
  headers: Record<string, string>
  /** Names (lower case) of headers, query parameters and JSON fields marked secret by `request.secrets`; absent when none. */
  secrets?: string[]
  body: string | Uint8Array | null
  timeoutMs: number
  /** Inclusive status ranges that count as success, e.g. `[[200, 399]]`. */
  successStatuses: Array<[number, number]>
}

export interface ClosedLoadSpec {
  kind: 'closed'
  users: number
  /** Set for `{ users, duration }`; `null` for `{ users, iterations }`. */
  durationMs: number | null
  /** Requests per user; `null` for `{ users, duration }`. */
  iterationsPerUser: number | null
  /** The hard limit: the run is stopped and fails when it takes longer. */
  maxDurationMs: number
  /** User `i` (global index) starts `rampUpMs × i / users` after the start; 0 starts them all at once. */
  rampUpMs: number
}

/**
 * A value that changes over time in straight lines: users or arrivals per second. It starts at
 * `start` and moves linearly to each stage's `target` over that stage's duration, as k6's ramping
 * executors do; a stage of 0 ms is a step.
 */
export interface Profile {
  start: number
  stages: ReadonlyArray<{ durationMs: number, target: number }>
}

/** The open model, constant or ramping: arrivals on a clock, from a rate profile (per second). */
export interface OpenLoadSpec {
  kind: 'open'
  /** The most users (requests in flight) at once: `maxUsers`. */
  users: number
  rate: Profile
  durationMs: number
  /** `{ rate, duration }` rather than stages: described as one rate. */
  constantRate: boolean
}

/** The closed model with a changing number of users. */
export interface RampingUsersSpec {
  kind: 'ramping-users'
  /** The peak of the profile: the users that may run at once. */
  users: number
  profile: Profile
  durationMs: number
  gracefulStopMs: number
}

export type LoadSpec = ClosedLoadSpec | OpenLoadSpec | RampingUsersSpec

/**
 * A step test, a spike or a breaking-point search: the load steps through `levels`, and the
 * controller measures each step; a search (`until`) stops at the first step that meets its condition.
 */
export interface StepsSpec {
  by: 'users' | 'rate'
  /** Users or arrivals per second of each step. */
  levels: number[]
  /** How long each step lasts: whole seconds, so steps and the one-second intervals line up. */
  durationsMs: number[]
  /** A spike's names of its steps, `['before', 'peak', 'after']`; absent for other steps. */
  phases?: readonly string[]
  /** The breaking-point condition; `null` for a step test, which runs every level. */
  until: BreakSpec | null
  /** The condition as written, `'p95 > 100 ms or error rate > 1 %'`; `null` for a step test. */
  condition: string | null
}

/** What breaks a step of a search, any one of them. */
export interface BreakSpec {
  meanAboveMs?: number
  p50AboveMs?: number
  p95AboveMs?: number
  p99AboveMs?: number
  errorRateAbove?: number
  /** Runs in the test thread only: never sent to a worker (functions do not cross threads). */
  check?: (step: LoadStep) => boolean | string
}

/** A scenario module, located before any worker starts: workers import it by `url`. */
export interface ScenarioSpec {
  /** `file:` URL of the module. */
  url: string
  /** Its path on disk, for messages. */
  file: string
}

/** Validated, normalised options of one load test: `LoadTestOptions` with every default applied. */
export interface LoadTestSpec {
  name: string
  /**
   * The declarative request every user sends. With `scenario`, only its `origin` (the target), base
   * `path`, `timeoutMs` and `successStatuses` apply: the defaults of the scenario's `ctx.http`.
   */
  request: RequestSpec
  /** Set when users run a scenario module instead of the declarative request. */
  scenario?: ScenarioSpec
  load: LoadSpec
  /** With `load.steps` or `load.breakingPoint`; `load` is then the steps as a ramping profile. */
  steps?: StepsSpec
  workers: number
  /** `false`: stays on this machine when the run is distributed. Absent: as the run. */
  distributed?: false
  /** The heap (V8's old generation) each worker thread may use, in MB; a worker that needs more is stopped. Absent: the default, 1024. */
  workerMemoryMb?: number
  /** The largest error rate (0–1) a run may have unless its assertions judge errors; `false` when turned off. */
  errorBudget: number | false
  /** The warm-up, whole seconds in ms: shown, not judged. Absent or 0: none. */
  warmupMs?: number
  /** What to watch on the target while the load runs; absent: nothing. Stays in the test thread. */
  observe?: ObserveSpec
}

/** `observe`, validated: the process exists (or is this one), the URL parses, metrics are named. */
export interface ObserveSpec {
  process?: number | 'self'
  prometheus?: {
    url: string
    metrics: string[]
  }
}
