import type { EndpointCounters } from './counters.js'
import type { CheckResult, CustomMetricResult } from './custom.js'
import type { EncodedHistogram, Histogram } from './histogram.js'
import type { RunOverlap } from './overlap.js'
import type { RecoveryAssessment } from './recovery.js'
import type { IntervalSnapshot, ScheduleHealth } from './snapshot.js'
import type { AgentResult, BreakingPointResult, EndpointResult, GeneratorHealth, LoadRun, LoadStep, MachineCpu, ObservedTarget, TimelinePoint } from './summary.js'
import { UnknownEndpointError, UnknownStepError } from '../errors.js'
import { describeValue } from '../spec/describe-value.js'
import { addCounters, createCounters, errorCount } from './counters.js'
import { CustomMetricsAccumulator } from './custom.js'
import { assessGeneratorHealth } from './generator-health.js'
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentileMs, summarizeLatency } from './histogram.js'
import { assessRecovery } from './recovery.js'
import { toTotals } from './summary.js'
import { formatLevel } from './units.js'

interface Accumulator {
  counters: EndpointCounters
  histogram: Histogram
  /** Service times, when the model records them apart from latency (open model). */
  serviceHistogram: Histogram | null
}

interface PendingInterval {
  workersSeen: Set<number>
  activeUsers: number
  droppedArrivals: number
  endpoints: Map<string, Accumulator>
}

/** A closed interval keeps its percentiles and its histogram encoded (a few hundred bytes), for the reports. */
interface IntervalFigures {
  counters: EndpointCounters
  p50Ms: number
  p95Ms: number
  p99Ms: number
  histogram: EncodedHistogram
}

/** A closed point of the timeline: one second, or `width` seconds merged (see `RunAggregator`). */
interface IntervalPoint {
  /** Its first second. */
  second: number
  /** The most users of its seconds. */
  activeUsers: number
  droppedArrivals: number
  endpoints: Map<string, IntervalFigures>
  /** `undefined` when no snapshot arrived for any of its seconds. */
  all: IntervalFigures | undefined
}

/**
 * The newest point of the timeline while its seconds still arrive: histograms decoded, to add into.
 * Its run-wide figures are added from its endpoints once, when it closes, not every second.
 */
interface OpenPoint {
  second: number
  activeUsers: number
  droppedArrivals: number
  /** A snapshot arrived for one of its seconds. */
  measured: boolean
  endpoints: Map<string, Accumulator>
}

/** Tuning the aggregator; internal: tests set a small `timelinePoints` to see merging in a short run. */
export interface AggregatorOptions {
  /** The most points the timeline keeps. @default MAX_TIMELINE_POINTS */
  timelinePoints?: number
  /**
   * The first seconds, a warm-up: they stay in the timeline, marked, but not in the run's figures
   * (totals, latency, throughput, checks and metrics), which they get apart (`LoadRun.warmup`).
   * @default 0
   */
  warmupSeconds?: number
}

/** A timeline keeps at most this many points: ten minutes at one point a second. */
export const MAX_TIMELINE_POINTS = 600
/** Points of every series together (each endpoint and the run): a run with many endpoints keeps fewer points. */
export const MAX_SERIES_POINTS = 6_600
/** However many endpoints, a timeline keeps at least this many points. */
const MIN_TIMELINE_POINTS = 30

/** What the aggregator cannot know from snapshots alone. */
export interface RunDescription {
  name: string
  target: string
  model: string
  modelKind: LoadRun['modelKind']
  users: number
  workers: number
  startedAt: string
  durationMs: number
  breakingPoint?: BreakingPointResult | null
  /** @default [] */
  steps?: LoadStep[]
  /** What `observe` saw on the target. @default null */
  observed?: ObservedTarget | null
  /** Why the run stopped early; `null` (the default) for a run that went to its end. */
  incomplete?: string | null
  /** Filled in by the aggregator from the workers' snapshots. */
  generatorHealth?: GeneratorHealth
  /** The machine's CPU over the run (`MachineCpuMonitor`), for `generatorHealth`; `null` or absent when unknown. */
  machineCpu?: MachineCpu | null
  /** @default [] */
  overlaps?: RunOverlap[]
  /** A distributed run's agents. @default [] */
  agents?: AgentResult[]
}

/** One closed second, all endpoints together: what a controller watching the run as it goes gets. */
export interface ClosedInterval {
  second: number
  /** Users running (closed and ramping models) or busy with a request (open model) as it closed, all workers together. */
  activeUsers: number
  counters: Readonly<EndpointCounters>
  /** Latencies (µs) of that second; read it, do not keep it. */
  histogram: Histogram
  /** Service times (µs) of that second, from the actual send (open model); absent: the same as `histogram`. */
  serviceHistogram?: Histogram
  /** Arrivals of the open model that found every user busy that second; absent: none. */
  droppedArrivals?: number
}

function createAccumulator(): Accumulator {
  return {
    counters: createCounters(),
    histogram: createLatencyHistogram(),
    serviceHistogram: null,
  }
}

/** Adds counters and histograms of `source` into the accumulator of `name`, created on first use. */
function accumulate(into: Map<string, Accumulator>, name: string, source: Accumulator): void {
  let acc = into.get(name)
  if (!acc) {
    acc = createAccumulator()
    into.set(name, acc)
  }
  addInto(acc, source)
}

function addInto(acc: Accumulator, source: Accumulator): void {
  addCounters(acc.counters, source.counters)
  acc.histogram.add(source.histogram)
  if (source.serviceHistogram)
    (acc.serviceHistogram ??= createLatencyHistogram()).add(source.serviceHistogram)
}

/**
 * Merges interval snapshots from any number of workers into one `LoadRun`. Histograms add bucket by
 * bucket and counters add, so any arrival order gives the same result as one worker measuring
 * everything. An interval is closed once every worker has sent it or finished before it.
 *
 * Closed seconds go into the timeline, whose points all span the same `width` seconds (1 at the
 * start). A point keeps its percentiles and its histograms compressed (a few hundred bytes to a few
 * KB an endpoint); only the newest, still filling, keeps them decoded. When a new point would make
 * more than the limit (`MAX_TIMELINE_POINTS`, fewer with many endpoints), the width doubles and
 * neighbouring points merge in pairs, exactly: histograms add, counters add, users take the most.
 * So a run of up to 10 minutes keeps every second, any longer run 301 to 600 points, and memory and
 * reports stay bounded however long the run is. Watchers (`onIntervalClosed`) still see every
 * second on its own.
 */
export class RunAggregator {
  readonly #workers: number
  #pending = new Map<number, PendingInterval>()
  #lastInterval: Array<number | undefined>
  #finished: boolean[]
  #points: IntervalPoint[] = []
  #open: OpenPoint | null = null
  /** Seconds a timeline point spans: 1, 2, 4… */
  #width = 1
  /** The second the timeline expects next; seconds without a snapshot before it are empty points. */
  #nextSecond = 0
  readonly #maxPoints: number
  #totals = new Map<string, Accumulator>()
  /** Checks and custom metrics add into run-wide totals as they arrive: no timeline, nothing to close. */
  readonly #custom = new CustomMetricsAccumulator()
  readonly #warmupSeconds: number
  /** What the warm-up seconds measured, all endpoints together: only counted, never judged. */
  readonly #warmup = createCounters()
  /** Custom metrics of the warm-up: set aside, as `--reset-stats` does in Locust. */
  readonly #warmupCustom = new CustomMetricsAccumulator()
  #droppedArrivals = 0

  readonly #onIntervalClosed: ((interval: ClosedInterval) => void) | undefined
  readonly #health: Array<{ seconds: number, utilizationSum: number, peakUtilization: number, delayP99Ms: number, delayMaxMs: number, schedule: ScheduleHealth | null }>

  /** `onIntervalClosed` sees each second once every worker has sent it, in order. */
  constructor(workers: number, onIntervalClosed?: (interval: ClosedInterval) => void, options: AggregatorOptions = {}) {
    this.#workers = workers
    this.#maxPoints = Math.max(2, Math.floor(options.timelinePoints ?? MAX_TIMELINE_POINTS))
    this.#warmupSeconds = Math.max(0, Math.floor(options.warmupSeconds ?? 0))
    this.#onIntervalClosed = onIntervalClosed
    this.#health = Array.from({ length: workers }, () => ({
      seconds: 0,
      utilizationSum: 0,
      peakUtilization: 0,
      delayP99Ms: 0,
      delayMaxMs: 0,
      schedule: null,
    }))
    this.#lastInterval = Array.from({ length: workers })
    this.#finished = Array.from<boolean>({ length: workers }).fill(false)
  }

  add(snapshot: IntervalSnapshot): void {
    let pending = this.#pending.get(snapshot.interval)
    if (!pending) {
      pending = {
        workersSeen: new Set(),
        activeUsers: 0,
        droppedArrivals: 0,
        endpoints: new Map(),
      }
      this.#pending.set(snapshot.interval, pending)
    }
    pending.workersSeen.add(snapshot.workerIndex)
    pending.activeUsers += snapshot.activeUsers
    pending.droppedArrivals += snapshot.droppedArrivals
    const health = this.#health[snapshot.workerIndex]
    if (health) {
      health.seconds++
      health.utilizationSum += snapshot.loop.utilization
      health.peakUtilization = Math.max(health.peakUtilization, snapshot.loop.utilization)
      health.delayP99Ms = Math.max(health.delayP99Ms, snapshot.loop.delayP99Ms)
      health.delayMaxMs = Math.max(health.delayMaxMs, snapshot.loop.delayMaxMs)
      const schedule = snapshot.loop.schedule
      if (schedule) {
        const run = health.schedule ??= {
          arrivals: 0,
          slipP99Ms: 0,
          slipMaxMs: 0,
          dropped: 0,
          droppedLate: 0,
        }
        run.arrivals += schedule.arrivals
        run.dropped += schedule.dropped
        run.slipP99Ms = Math.max(run.slipP99Ms, schedule.slipP99Ms)
        run.slipMaxMs = Math.max(run.slipMaxMs, schedule.slipMaxMs)
        run.droppedLate += schedule.droppedLate
      }
    }
    const custom = snapshot.interval < this.#warmupSeconds
      ? this.#warmupCustom
      : this.#custom
    custom.add(snapshot.checks, snapshot.metrics)
    for (const endpoint of snapshot.endpoints) {
      accumulate(pending.endpoints, endpoint.name, {
        counters: endpoint.counters,
        histogram: decodeHistogram(endpoint.histogram),
        serviceHistogram: endpoint.serviceHistogram === undefined
          ? null
          : decodeHistogram(endpoint.serviceHistogram),
      })
    }
    const last = this.#lastInterval[snapshot.workerIndex]
    this.#lastInterval[snapshot.workerIndex] = last === undefined
      ? snapshot.interval
      : Math.max(last, snapshot.interval)
    this.#closeCompleteIntervals()
  }

  /** Intervals still waiting for a worker; a closed interval keeps only its figures and encoded histograms. */
  get openIntervals(): number {
    return this.#pending.size
  }

  /**
   * Points the timeline holds now, the one still filling included: at most the limit, however long
   * the run (for a moment one more, when new endpoints lower the limit, until the next point opens).
   */
  get timelinePoints(): number {
    return this.#points.length + (this.#open ? 1 : 0)
  }

  /** Seconds each point of the timeline spans now. */
  get timelineWidth(): number {
    return this.#width
  }

  /** Worker `workerIndex` will send nothing more. */
  finishWorker(workerIndex: number): void {
    this.#finished[workerIndex] = true
    this.#closeCompleteIntervals()
  }

  /**
   * The run as far as it is known now, from the closed seconds only, leaving the aggregator as it
   * was: for a run that must be handed on at once, before its last snapshots arrive.
   */
  runSoFar(run: RunDescription): LoadRun {
    const points = this.#open
      ? [
          ...this.#points,
          closedPoint(this.#open),
        ]
      : [...this.#points]
    return buildRun({
      ...run,
      generatorHealth: this.#generatorHealth(run.machineCpu),
    }, points, this.#width, this.#totals, this.#judged())
  }

  /** Closes what is still open and builds the result. */
  finish(run: RunDescription): LoadRun {
    for (const second of [
      ...this.#pending.keys(),
    ].sort((a, b) => a - b))
      this.#close(second)
    if (this.#open)
      this.#closePoint()
    const generatorHealth = this.#generatorHealth(run.machineCpu)
    return buildRun({ ...run, generatorHealth }, this.#points, this.#width, this.#totals, this.#judged())
  }

  /** What the run's figures add beside the endpoints: after the warm-up only, and the warm-up apart. */
  #judged(): RunExtras {
    return {
      checks: this.#custom.checks(),
      metrics: this.#custom.metrics(),
      droppedArrivals: this.#droppedArrivals,
      warmupSeconds: this.#warmupSeconds,
      warmup: this.#warmup,
    }
  }

  /** The generator's health so far: each worker's figures, judged beside the machine's CPU. */
  #generatorHealth(machineCpu: MachineCpu | null | undefined): GeneratorHealth {
    const workers = this.#health.map((health, workerIndex) => ({
      workerIndex,
      meanUtilization: health.seconds === 0
        ? 0
        : health.utilizationSum / health.seconds,
      peakUtilization: health.peakUtilization,
      delayP99Ms: health.delayP99Ms,
      delayMaxMs: health.delayMaxMs,
      scheduleSlipP99Ms: health.schedule?.slipP99Ms ?? null,
      scheduleSlipMaxMs: health.schedule?.slipMaxMs ?? null,
      arrivals: health.schedule?.arrivals ?? 0,
      dropped: health.schedule?.dropped ?? 0,
      droppedLate: health.schedule?.droppedLate ?? 0,
    }))
    return assessGeneratorHealth(workers, machineCpu ?? null)
  }

  #closeCompleteIntervals(): void {
    for (const second of [
      ...this.#pending.keys(),
    ].sort((a, b) => a - b)) {
      const pending = this.#pending.get(second)!
      const complete = Array.from({ length: this.#workers }, (_, worker) => pending.workersSeen.has(worker)
        || (this.#finished[worker] && (this.#lastInterval[worker] ?? -1) < second)).every(Boolean)
      if (!complete)
        return
      this.#close(second)
    }
  }

  #close(second: number): void {
    const pending = this.#pending.get(second)!
    this.#pending.delete(second)
    if (second < this.#warmupSeconds) {
      for (const acc of pending.endpoints.values())
        addCounters(this.#warmup, acc.counters)
    }
    else {
      for (const [name, acc] of pending.endpoints)
        accumulate(this.#totals, name, acc)
      this.#droppedArrivals += pending.droppedArrivals
    }
    if (this.#onIntervalClosed) {
      const all = createAccumulator()
      for (const acc of pending.endpoints.values())
        addInto(all, acc)
      this.#onIntervalClosed({
        second,
        activeUsers: pending.activeUsers,
        counters: all.counters,
        histogram: all.histogram,
        ...(all.serviceHistogram && { serviceHistogram: all.serviceHistogram }),
        droppedArrivals: pending.droppedArrivals,
      })
    }
    if (second < this.#nextSecond) {
      // workers send each second once and in order, so this is a defence: a second that closes
      // after a later one still counts, in the newest point, and totals stay exact
      const point = this.#open ?? openPoint(this.#points.pop()!)
      addSecond(point, pending)
      if (!this.#open)
        this.#points.push(closedPoint(point))
      return
    }
    while (this.#nextSecond < second)
      this.#addToTimeline(null)
    this.#addToTimeline(pending)
  }

  /**
   * Adds the next second (`null`: one without any snapshot) to the newest point, or to a new one:
   * when that would make too many, points merge first. Closes the point when it spans `width` seconds.
   */
  #addToTimeline(pending: PendingInterval | null): void {
    const second = this.#nextSecond++
    while (!this.#open && this.#points.length + 1 > this.#pointLimit())
      this.#halve()
    // after a merge the newest point, opened again, spans this second
    const open = this.#open ??= createOpenPoint(second)
    if (pending)
      addSecond(open, pending)
    if (this.#nextSecond % this.#width === 0)
      this.#closePoint()
  }

  #closePoint(): void {
    this.#points.push(closedPoint(this.#open!))
    this.#open = null
  }

  /** Fewer points a series when there are many endpoints, so that every series together stays bounded too. */
  #pointLimit(): number {
    const series = this.#totals.size + 1
    return Math.min(this.#maxPoints, Math.max(MIN_TIMELINE_POINTS, Math.floor(MAX_SERIES_POINTS / series)))
  }

  /**
   * Doubles the width: closed points merge in pairs (0–1, 2–3…, each pair starting at a multiple of
   * the new width), and an odd last one opens again to go on filling.
   */
  #halve(): void {
    this.#width *= 2
    const points = this.#points
    const merged: IntervalPoint[] = []
    for (let index = 0; index + 1 < points.length; index += 2)
      merged.push(mergePoints(points[index]!, points[index + 1]!))
    if (points.length % 2 === 1)
      this.#open = openPoint(points.at(-1)!)
    this.#points = merged
  }
}

function createOpenPoint(second: number): OpenPoint {
  return {
    second,
    activeUsers: 0,
    droppedArrivals: 0,
    measured: false,
    endpoints: new Map(),
  }
}

function addSecond(point: OpenPoint, pending: PendingInterval): void {
  point.measured = true
  point.activeUsers = Math.max(point.activeUsers, pending.activeUsers)
  point.droppedArrivals += pending.droppedArrivals
  for (const [name, acc] of pending.endpoints) {
    // the first second of a point lends it its accumulators: nothing else keeps them
    if (point.endpoints.has(name))
      addInto(point.endpoints.get(name)!, acc)
    else
      point.endpoints.set(name, acc)
  }
}

function figuresOf(acc: Accumulator): IntervalFigures {
  return {
    counters: acc.counters,
    ...intervalPercentiles(acc.histogram),
  }
}

function closedPoint(point: OpenPoint): IntervalPoint {
  const all = createAccumulator()
  for (const acc of point.endpoints.values())
    addInto(all, acc)
  return {
    second: point.second,
    activeUsers: point.activeUsers,
    droppedArrivals: point.droppedArrivals,
    endpoints: new Map([...point.endpoints].map(([name, acc]) => [
      name,
      figuresOf(acc),
    ])),
    all: point.measured
      ? figuresOf(all)
      : undefined,
  }
}

function decodeFigures(figures: IntervalFigures): Accumulator {
  const counters = createCounters()
  addCounters(counters, figures.counters)
  return {
    counters,
    histogram: decodeHistogram(figures.histogram),
    serviceHistogram: null,
  }
}

function openPoint(point: IntervalPoint): OpenPoint {
  return {
    second: point.second,
    activeUsers: point.activeUsers,
    droppedArrivals: point.droppedArrivals,
    measured: point.all !== undefined,
    endpoints: new Map([...point.endpoints].map(([name, figures]) => [
      name,
      decodeFigures(figures),
    ])),
  }
}

/** Two neighbouring points as one: what only one of them has is kept as it is, encoded. */
function mergeFigures(a: IntervalFigures | undefined, b: IntervalFigures | undefined): IntervalFigures | undefined {
  if (!a || !b)
    return a ?? b
  const acc = decodeFigures(a)
  addInto(acc, decodeFigures(b))
  return figuresOf(acc)
}

function mergePoints(a: IntervalPoint, b: IntervalPoint): IntervalPoint {
  const names = new Set([
    ...a.endpoints.keys(),
    ...b.endpoints.keys(),
  ])
  return {
    second: a.second,
    activeUsers: Math.max(a.activeUsers, b.activeUsers),
    droppedArrivals: a.droppedArrivals + b.droppedArrivals,
    endpoints: new Map([...names].map(name => [
      name,
      mergeFigures(a.endpoints.get(name), b.endpoints.get(name))!,
    ])),
    all: mergeFigures(a.all, b.all),
  }
}

function intervalPercentiles(histogram: Histogram): Omit<IntervalFigures, 'counters'> {
  return {
    p50Ms: percentileMs(histogram, 50),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
    histogram: encodeHistogram(histogram),
  }
}

/** What a run's figures take beside the endpoints' totals. */
interface RunExtras extends Pick<LoadRun, 'checks' | 'metrics' | 'droppedArrivals'> {
  warmupSeconds: number
  /** The warm-up's counters, all endpoints together. */
  warmup: Readonly<EndpointCounters>
}

function buildRun(run: RunDescription, points: IntervalPoint[], width: number, totals: Map<string, Accumulator>, extras: RunExtras): LoadRun {
  // the warm-up's end, or the run's when it ended during the warm-up
  const warmupMs = Math.min(extras.warmupSeconds * 1000, run.durationMs)
  // the points are in order and contiguous: the aggregator fills seconds without a snapshot
  const timelineOf = (pick: (point: IntervalPoint) => IntervalFigures | undefined): TimelinePoint[] => points.map((point) => {
    const figures = pick(point)
    const counters = figures?.counters ?? createCounters()
    return {
      second: point.second,
      durationMs: Math.max(0, Math.min(width * 1000, run.durationMs - point.second * 1000)),
      requests: counters.requests,
      errors: errorCount(counters),
      p50Ms: figures?.p50Ms ?? 0,
      p95Ms: figures?.p95Ms ?? 0,
      p99Ms: figures?.p99Ms ?? 0,
      activeUsers: point.activeUsers,
      droppedArrivals: point.droppedArrivals,
      ...(figures && { histogram: figures.histogram }),
      ...(point.second < extras.warmupSeconds && { warmup: true }),
    }
  })
  // rates are over the judged time: after the warm-up
  const seconds = (run.durationMs - warmupMs) / 1000
  const resultOf = (name: string, acc: Accumulator, timeline: TimelinePoint[]): EndpointResult => ({
    name,
    totals: toTotals(acc.counters),
    errorRate: acc.counters.requests === 0
      ? 0
      : errorCount(acc.counters) / acc.counters.requests,
    // what the target served: a refused connect is an attempt, not throughput
    throughputPerSec: seconds > 0
      ? acc.counters.ok / seconds
      : 0,
    attemptsPerSec: seconds > 0
      ? acc.counters.requests / seconds
      : 0,
    latency: summarizeLatency(acc.histogram),
    serviceTime: summarizeLatency(acc.serviceHistogram ?? acc.histogram),
    timeline,
    histogram: encodeHistogram(acc.histogram),
  })

  const endpoints = [
    ...totals.entries(),
  ]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, acc]) => resultOf(name, acc, timelineOf(point => point.endpoints.get(name))))
  const all = createAccumulator()
  for (const acc of totals.values())
    addInto(all, acc)
  const overall = resultOf(run.name, all, timelineOf(point => point.all))
  const warmup = extras.warmupSeconds > 0
    ? {
        durationMs: warmupMs,
        totals: toTotals(extras.warmup),
      }
    : null
  return Object.freeze(new LoadRunResult(run, overall, endpoints, { ...extras, warmup }))
}

class LoadRunResult implements LoadRun {
  name: string
  target: string
  model: string
  modelKind: LoadRun['modelKind']
  users: number
  workers: number
  startedAt: string
  durationMs: number
  totals: EndpointResult['totals']
  errorRate: number
  throughputPerSec: number
  attemptsPerSec: number
  latency: EndpointResult['latency']
  serviceTime: EndpointResult['serviceTime']
  timeline: TimelinePoint[]
  histogram: string
  endpoints: EndpointResult[]
  droppedArrivals: number
  breakingPoint: BreakingPointResult | null
  steps: LoadStep[]
  recovery: RecoveryAssessment | null
  observed: ObservedTarget | null
  agents: AgentResult[]
  generatorHealth: GeneratorHealth
  checks: CheckResult[]
  metrics: Record<string, CustomMetricResult>
  overlaps: RunOverlap[]
  incomplete: string | null
  warmup: LoadRun['warmup']

  constructor(run: RunDescription, overall: EndpointResult, endpoints: EndpointResult[], extras: Pick<LoadRun, 'checks' | 'metrics' | 'droppedArrivals' | 'warmup'>) {
    this.name = run.name
    this.target = run.target
    this.model = run.model
    this.modelKind = run.modelKind
    this.users = run.users
    this.workers = run.workers
    this.startedAt = run.startedAt
    this.durationMs = run.durationMs
    this.totals = overall.totals
    this.errorRate = overall.errorRate
    this.throughputPerSec = overall.throughputPerSec
    this.attemptsPerSec = overall.attemptsPerSec
    this.latency = overall.latency
    this.serviceTime = overall.serviceTime
    this.timeline = overall.timeline
    this.histogram = overall.histogram
    this.endpoints = endpoints
    this.droppedArrivals = extras.droppedArrivals
    this.breakingPoint = run.breakingPoint ?? null
    this.steps = run.steps ?? []
    this.recovery = assessRecovery(this.steps) ?? null
    this.observed = run.observed ?? null
    this.agents = run.agents ?? []
    this.generatorHealth = run.generatorHealth ?? {
      workers: [],
      saturated: false,
      cause: null,
      cpuContention: false,
      cpu: null,
    }
    this.checks = extras.checks
    this.metrics = extras.metrics
    this.warmup = extras.warmup
    this.overlaps = run.overlaps ?? []
    this.incomplete = run.incomplete ?? null
  }

  endpoint(name: string): EndpointResult {
    const found = this.endpoints.find(endpoint => endpoint.name === name)
    if (!found) {
      const known = this.endpoints.map(endpoint => `'${endpoint.name}'`).join(', ') || 'none'
      throw new UnknownEndpointError(`Load test "${this.name}" has no endpoint named '${name}'. Known endpoints: ${known}`)
    }
    return found
  }

  step(level: number): LoadStep {
    const found = this.steps.find(step => step.level === level)
    if (!found) {
      const levels = this.steps.map(step => formatLevel(step.by, step.level)).join(', ')
      throw new UnknownStepError(`Load test "${this.name}" has no step at ${typeof level === 'number'
        ? String(level)
        : describeValue(level)}${levels
        ? `. The steps that ran to their end: ${levels}`
        : this.breakingPoint
          ? ': no step of its search ran to its end'
          : ': it has no steps (load.steps or load.breakingPoint)'}`)
    }
    return found
  }
}

/** A copy of a finished run, frozen as well, that names the load tests which ran at the same time. */
export function withOverlaps(run: LoadRun, overlaps: readonly RunOverlap[]): LoadRun {
  if (overlaps.length === 0)
    return run
  const copy = Object.create(Object.getPrototypeOf(run) as object) as LoadRun
  return Object.freeze(Object.assign(copy, run, {
    overlaps: [...overlaps].sort((a, b) => b.ms - a.ms),
  }))
}
