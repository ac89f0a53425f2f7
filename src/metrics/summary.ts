import type { EndpointCounters } from './counters.js'
import type { CheckResult, CustomMetricResult } from './custom.js'
import type { EncodedHistogram, LatencySummary } from './histogram.js'
import type { RunOverlap } from './overlap.js'
import type { RecoveryAssessment } from './recovery.js'

/** Which load model produced a run. */
export type LoadModelKind = 'closed' | 'open' | 'ramping-users'

/** Errors by kind. `total` is their sum. */
export interface ErrorCounts {
  total: number
  /** Responses whose status the test does not expect (by default anything but 2xx and 3xx). */
  http: number
  /** Refused or reset connections and other failures below HTTP. */
  network: number
  /** Requests slower than `request.timeout`. */
  timeout: number
}

/** Totals of a run or of one endpoint. */
export interface RequestTotals {
  /** Finished requests: `ok` plus `errors.total`. */
  requests: number
  ok: number
  errors: ErrorCounts
  /** Responses by status code, e.g. `{ '200': 95, '500': 5 }`. */
  statusCodes: Record<string, number>
  /** Errors by message, e.g. `{ 'ECONNRESET: other side closed': 3 }`. */
  errorMessages: Record<string, number>
  bytesSent: number
  bytesReceived: number
}

/**
 * One second of the run, or, in a run longer than 10 minutes, several seconds merged exactly: every
 * point of a timeline spans the same number of seconds (1, 2, 4…; at most 600 points), and the last
 * may be cut short by the end of the run. A point of 60 s has `second` 120, 180… and `durationMs`
 * 60000; its counts are the sums of its seconds and its percentiles are read from their merged
 * histogram. See docs/reports.md, "Long runs".
 */
export interface TimelinePoint {
  /** Seconds since the start when this interval began: 0, 1, 2… (0, 4, 8… for points of 4 s). */
  second: number
  /** How long the interval is: 1000 for a second, 4000 for a point of 4 s; less for the last. */
  durationMs: number
  requests: number
  errors: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /**
   * Run-wide: virtual users running (closed model) or requests in flight (open model) at the end of
   * the second; for a point of several seconds, the most of them.
   */
  activeUsers: number
  /** Run-wide: arrivals of the open model in this interval that found every user busy and were not sent. */
  droppedArrivals: number
  /**
   * This interval's latency histogram (µs), compressed: what the percentiles above were read from,
   * so intervals can be merged or compared later. Absent for an interval in which no snapshot arrived.
   */
  histogram?: EncodedHistogram
  /** `true` for a point of the warm-up (`warmup`): shown, not judged. Absent after it. */
  warmup?: true
}

/** One second (or, past 10 minutes, a few merged) of what was seen on the target. A figure not read is absent. */
export interface ObservedPoint {
  /** Seconds since the start of the load, as in `run.timeline`. */
  second: number
  durationMs: number
  /** CPU busy, in cores: 1 is one core busy all the time (top's 100 %), 2.5 two and a half. */
  cpu?: number
  /** Resident memory at the end of the second, bytes (the process tree's). */
  rssBytes?: number
  /** V8 heap in use past the young generation, JIT code left out (what a leak grows), at the end of the second, bytes: a target in the test process (`'self'`). */
  heapUsedBytes?: number
  threads?: number
  openFiles?: number
  /** How late the event loop ran, p99 over the second, ms: a target in the test process. */
  eventLoopDelayP99Ms?: number
  /** Prometheus series by name: counters as rates a second, gauges as values. */
  metrics?: Record<string, number>
  /** `true` in the warm-up: shown, not judged. */
  warmup?: true
}

/** One figure over the judged seconds (after a warm-up). */
export interface ObservedFigure {
  mean: number
  min: number
  max: number
  /** The last second's value. */
  last: number
  /** `'cores'`, `'bytes'`, `'count'`, `'ms'`, `'/s'` (a counter's rate) or `''` (a gauge). */
  unit: 'cores' | 'bytes' | 'count' | 'ms' | '/s' | ''
}

/** What `observe` saw on the system under test. */
export interface ObservedTarget {
  /** The process watched: its id (`'self'`: the test process), command name and how many processes its tree held at most; `null` without one. */
  process: { pid: number | 'self', name: string | null, processes: number } | null
  /** The Prometheus endpoint scraped (without credentials or query) and the metric families kept; `null` without one. */
  prometheus: { url: string, metrics: string[] } | null
  /** One point a second, aligned with `run.timeline`; merged in pairs past 600 points, as the timeline is. */
  timeline: ObservedPoint[]
  /**
   * Each figure over the judged seconds: `cpu`, `rss`, `heap`, `threads`, `openFiles`,
   * `eventLoopDelayP99`, and each Prometheus series by its name.
   */
  figures: Record<string, ObservedFigure>
  /**
   * How fast memory grew over the steady part of the run (after the warm-up, or after its first
   * tenth, 1 to 5 s): the least-squares slope, bytes a second. Of resident memory, each second's
   * reading (3 seconds at least); for a target in the test process, of the live V8 heap, read after
   * full collections (one forced at the steady part's start and one after the load, V8's own
   * between), since between collections a heap saws up and down with garbage by more than a leak
   * adds in seconds. `null` when there is too little to fit.
   */
  memoryGrowth: {
    of: 'heap' | 'rss'
    bytesPerSec: number
    /** The second of the first reading fitted. */
    fromSecond: number
    /** From the first reading fitted to the last. */
    seconds: number
    readings: number
  } | null
  /** Samples that could not be taken (the process gone, a scrape that failed), and the first reason; the run goes on. */
  failures: { count: number, first: string } | null
}

/** The warm-up a run left out of its judged figures (`warmup` option). */
export interface WarmupResult {
  /** How long it lasted: the `warmup` option, or less for a run that ended during it. */
  durationMs: number
  /** The requests of the warm-up, all endpoints together: counted here, not in `run.totals`. */
  totals: RequestTotals
}

/** The measurements of one endpoint name, or of the whole run. */
export interface EndpointResult {
  /** The endpoint name, e.g. `'GET /users'`. */
  name: string
  totals: RequestTotals
  /** `errors.total / requests`, 0 when nothing finished. */
  errorRate: number
  /**
   * Successful responses (`totals.ok`) per second over the measured time: what the target served.
   * Failed attempts (refused connects, timeouts, error statuses) do not count; see `attemptsPerSec`.
   */
  throughputPerSec: number
  /** Finished attempts (`totals.requests`: successes and errors of every kind) per second over the measured time. */
  attemptsPerSec: number
  /**
   * From the merged HDR histogram; latency covers requests that received a response, from their
   * intended start: in the open model, an arrival's place on the schedule, so waiting for a late
   * generator or a stalled connection counts (no coordinated omission).
   */
  latency: LatencySummary
  /** From the actual send to the last byte. Equals `latency` in the closed model, which sends on time by definition. */
  serviceTime: LatencySummary
  timeline: TimelinePoint[]
  /** The merged latency histogram (µs), compressed, so runs can be merged or compared later. */
  histogram: EncodedHistogram
}

/**
 * One agent of a distributed run (`npx vitest-load agent`): who it was, its share of the load and
 * what it sent, and how well its clock agreed with Redis'.
 */
export interface AgentResult {
  /** `--name`, or its host name and process id. */
  name: string
  host: string
  pid: number
  /** `--index`, by which agents were ordered; `null` when ordered by name. */
  index: number | null
  /** The workers it ran, by their index in `generatorHealth.workers` (global across agents). */
  workers: number[]
  /** Its share of the load, 0–1: its workers over all the run's workers. */
  share: number
  /** Requests its workers finished (`ok` plus errors), as it reported them. */
  requests: number
  /** Its clock against Redis' (`TIME`): broker time ≈ its time + offset, within ± uncertainty, in ms; `null` when it never got that far. */
  clockOffsetMs: number | null
  clockUncertaintyMs: number | null
  /** Why it was lost during the run (killed, frozen, cut off, a worker failed); `null` when it finished its share. */
  lost: string | null
}

/** How busy one worker of the load generator was over the run. */
export interface WorkerHealth {
  workerIndex: number
  /** The share of time its event loop ran code, 0–1, averaged over the run's seconds. */
  meanUtilization: number
  /** The busiest second. */
  peakUtilization: number
  /** How late its timers fired: the worst second's p99, in ms. */
  delayP99Ms: number
  delayMaxMs: number
  /**
   * Open model: how late its arrivals went out after their intended time (the schedule's slip), the
   * worst second's p99 and the worst single arrival, in ms. `null` for the closed models.
   */
  scheduleSlipP99Ms: number | null
  scheduleSlipMaxMs: number | null
  /** Open model: the arrivals this worker was due to send, sent or dropped; 0 for the closed models. */
  arrivals: number
  /** Open model: its arrivals that found every user busy (its part of the run's `droppedArrivals`). */
  dropped: number
  /**
   * Open model: those dropped while this worker ran behind its schedule (2 ms and twice its gap
   * between arrivals late or more): its users were held up by the generator catching up, not only
   * by the target.
   */
  droppedLate: number
}

/**
 * The machine's CPU over the run, each figure a share of all its cores (0–1): read in the test
 * thread from `/proc/stat` (the whole machine) and `process.cpuUsage()` (this process) once a second.
 */
export interface MachineCpu {
  /** Logical cores, as `/proc/stat` counts them. */
  cores: number
  /** The machine's busy share over the run (every process), 0–1. */
  busy: number
  /** The busiest second. */
  peakBusy: number
  /** This process: the generator's workers and test thread, and a target started in the same process. */
  processBusy: number
  /** Every other process, `busy − processBusy`: a target in its own process, other test runs, anything else. */
  othersBusy: number
}

/**
 * Why the generator was `saturated`: `'generator'` its own work (its workers busy, or late with
 * cores to spare); `'cpu-contention'` the machine's cores were all busy, so the workers waited for a
 * core; `'unknown'` where the machine's CPU cannot be read (not Linux).
 */
export type SaturationCause = 'generator' | 'cpu-contention' | 'unknown'

/** The load generator watching itself. */
export interface GeneratorHealth {
  workers: WorkerHealth[]
  /**
   * A worker's event loop was busy 90 % of the time or more, its timers or its open model's schedule
   * ran 50 ms late at p99, or 0.1 % of the open model's arrivals or more (10 at least) were dropped
   * late (`WorkerHealth.droppedLate`), most of its drops: it, rather than the target, may have set
   * the pace, and latency may include its own delay. `cause` says whether that was its own work or
   * the machine's CPU taken by others.
   */
  saturated: boolean
  /** Why it was saturated; `null` when it was not. */
  cause: SaturationCause | null
  /**
   * The machine's cores were busy 85 % or more over the run, while the generator was saturated or
   * other processes took a quarter of the cores or more (often the target itself): the figures
   * include CPU contention. `false` when `cpu` is `null`.
   */
  cpuContention: boolean
  /** The machine's CPU over the run; `null` where it cannot be read (not Linux), or for a run too short to measure. */
  cpu: MachineCpu | null
}

/**
 * One level of a step test or a breaking-point search, over the whole seconds of that step: an
 * `EndpointResult` of its own (named `'GET /users · 50 users'`), so every matcher judges it:
 * `expect(run.step(50)).toHaveP95Below('100ms')`.
 */
export interface LoadStep extends EndpointResult {
  /** 0, 1, 2… */
  index: number
  /** A spike's phase: `'before'`, `'peak'` or `'after'`; absent for other steps. */
  phase?: string
  /** What the steps raise: users (closed model) or arrivals per second (open model). */
  by: 'users' | 'rate'
  /** The users (stepping users) or arrivals per second (stepping rate) of this step. */
  level: number
  /** Seconds since the start at which the step began: for the first step, the end of a warm-up. */
  startSecond: number
  /** The step's judged time: `stepDuration`, less a warm-up for the first step. */
  durationMs: number
  /** `totals.requests`. */
  requests: number
  /** `totals.errors.total`. */
  errors: number
  /** With `observe`: the target's figures over this step's seconds (`cpu`, `rss`, each series…); else `null`. */
  observed: Record<string, ObservedFigure> | null
  /**
   * The conditions of a breaking-point search this step met, in numbers, e.g.
   * `['mean 100.5 ms > 100 ms']`; empty when it held, and always in a step test.
   */
  tripped: string[]
}

/** @deprecated The former name of `LoadStep`. */
export type BreakingPointStep = LoadStep

/** Where a breaking-point search found the target gave way. */
export interface BreakingPointResult {
  /** What the steps raised: users (closed model) or rate (open model). */
  by: 'users' | 'rate'
  /** The condition, as written: `'p95 > 100 ms or error rate > 1 %'`. */
  condition: string
  /** Every step that ran to its end, in order: `run.steps`. */
  steps: LoadStep[]
  /** The first step that met the condition; `null` when every step held up to the last. */
  brokeAt: LoadStep | null
  /** The last step before `brokeAt` (or the last step when nothing broke); `null` when the first step broke. */
  lastGood: LoadStep | null
}

/** The finished result of one load test: immutable, with every figure read from merged data. */
export interface LoadRun extends EndpointResult {
  /** The load test's name. The run-wide figures merge every endpoint. */
  name: string
  /** Origin the requests went to, e.g. `'http://127.0.0.1:3000'`. */
  target: string
  /** One line describing the load model, e.g. `'20 users for 5 s'`. */
  model: string
  /** The load model: `'closed'` (users), `'open'` (rate, constant or ramping) or `'ramping-users'`. */
  modelKind: LoadModelKind
  users: number
  workers: number
  /** When the first request was sent, ISO 8601. */
  startedAt: string
  /** From the start to the last response of any worker. */
  durationMs: number
  /**
   * Arrivals of the open model that found every one of `maxUsers` busy and were not sent: the
   * target (or the generator) could not keep up with the rate. Always 0 in the closed model.
   */
  droppedArrivals: number
  /** How busy each worker of the load generator was, and whether it may have been the bottleneck. */
  generatorHealth: GeneratorHealth
  /** With `load.breakingPoint`: the steps, where the condition tripped and the last good step; else `null`. */
  breakingPoint: BreakingPointResult | null
  /**
   * With `load.steps` or `load.breakingPoint`: every step that ran to its end, in order, each with
   * its own figures; empty for other models.
   */
  steps: LoadStep[]
  /**
   * With `load.spike`: whether and when the target came back after the peak, by the default
   * tolerance (its p95 within +50 %, 5 ms at least, of its p95 before the peak, and no errors);
   * `toRecoverWithin` may judge with another. `null` for other models, or a spike that stopped early.
   */
  recovery: RecoveryAssessment | null
  endpoints: EndpointResult[]
  /** A scenario's checks (`ctx.check()`), sorted by name, with their passes, fails and pass rate; empty for declarative requests. */
  checks: CheckResult[]
  /**
   * A scenario's custom metrics (`ctx.metrics.counter(name)`, `rate`, `trend`) by name, each with its
   * `type`; empty for declarative requests.
   */
  metrics: Record<string, CustomMetricResult>
  /**
   * Other load tests that ran at the same time on this machine, longest overlap first: in this test
   * process (`describe.concurrent`, `runLoad()` calls at once), and with the `vitestLoad()` plugin
   * in test files running in parallel. Empty when the run had the machine to itself. When not empty,
   * the runs shared the cores and the target, so throughput and latency are not this run's alone.
   */
  overlaps: RunOverlap[]
  /**
   * With the `warmup` option: the warm-up's length and requests, which the run's figures (totals,
   * latency, throughput, error rate, endpoints, checks, metrics, dropped arrivals) leave out; its
   * seconds stay in the timeline, marked `warmup: true`. `null` without a warm-up.
   */
  warmup: WarmupResult | null
  /** With `observe`: what was seen on the target, second by second and over the run; else `null`. */
  observed: ObservedTarget | null
  /** The agents of a distributed run, in their order; empty when the run was local. */
  agents: AgentResult[]
  /**
   * `null` for a run that went to its end. Otherwise why it stopped early (a worker crashed, the
   * deadline passed, it was aborted): the run then holds what was measured up to that point, and
   * is found on the error its run threw (`error.run`).
   */
  incomplete: string | null
  /** The result of one endpoint name; throws `UnknownEndpointError` listing the known names. */
  endpoint: (name: string) => EndpointResult
  /** The step at `level` users (or req/s) of a step test or search; throws `UnknownStepError` listing the levels that ran. */
  step: (level: number) => LoadStep
}

export function toTotals(counters: Readonly<EndpointCounters>): RequestTotals {
  const errors = { http: counters.httpErrors, network: counters.networkErrors, timeout: counters.timeouts }
  return {
    requests: counters.requests,
    ok: counters.ok,
    errors: { total: errors.http + errors.network + errors.timeout, ...errors },
    statusCodes: { ...counters.statusCodes },
    errorMessages: { ...counters.errorMessages },
    bytesSent: counters.bytesSent,
    bytesReceived: counters.bytesReceived,
  }
}

/** A run or endpoint result: `run.endpoints[0]` and `run` itself both qualify. */
export function isEndpointResult(value: unknown): value is EndpointResult {
  if (typeof value !== 'object' || value === null)
    return false
  const candidate = value as Partial<EndpointResult>
  return typeof candidate.name === 'string' && typeof candidate.latency === 'object' && typeof candidate.totals === 'object'
}

/** One step of a step test or a breaking-point search: `run.step(50)`, `run.steps[0]`. */
export function isLoadStep(value: EndpointResult): value is LoadStep {
  const candidate = value as Partial<LoadStep>
  return typeof candidate.level === 'number' && Array.isArray(candidate.tripped) && (candidate.by === 'users' || candidate.by === 'rate')
}
