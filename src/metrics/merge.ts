import type { EndpointCounters } from './counters.js'
import type { CheckResult, CustomMetricResult } from './custom.js'
import type { EncodedHistogram, Histogram } from './histogram.js'
import type { IntervalSnapshot } from './snapshot.js'
import type { BreakingPointResult, EndpointResult, GeneratorHealth, LoadRun, TimelinePoint } from './summary.js'
import { UnknownEndpointError } from '../errors.js'
import { addCounters, createCounters, errorCount } from './counters.js'
import { CustomMetricsAccumulator } from './custom.js'
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentileMs, summarizeLatency } from './histogram.js'
import { toTotals } from './summary.js'

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

interface IntervalPoint {
  second: number
  activeUsers: number
  droppedArrivals: number
  endpoints: Map<string, IntervalFigures>
  all: IntervalFigures
}

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
  /** Filled in by the aggregator from the workers' snapshots. */
  generatorHealth?: GeneratorHealth
}

/** A worker this busy sets the pace itself (see `GeneratorHealth.saturated`). */
const SATURATED_UTILIZATION = 0.9
/** Timers this late at p99 add their delay to the latencies measured. */
const SATURATED_DELAY_MS = 50

/** One closed second, all endpoints together: what a controller watching the run as it goes gets. */
export interface ClosedInterval {
  second: number
  /** Users running (closed and ramping models) or busy with a request (open model) as it closed, all workers together. */
  activeUsers: number
  counters: Readonly<EndpointCounters>
  /** Latencies (µs) of that second; read it, do not keep it. */
  histogram: Histogram
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
 * everything. An interval is closed (its percentiles read, its histogram kept only in compressed
 * form, a few hundred bytes) once every worker has sent it or finished before it, so memory grows
 * by that much a second per endpoint however many requests the run sends.
 */
export class RunAggregator {
  readonly #workers: number
  #pending = new Map<number, PendingInterval>()
  #lastInterval: Array<number | undefined>
  #finished: boolean[]
  #points: IntervalPoint[] = []
  #totals = new Map<string, Accumulator>()
  /** Checks and custom metrics add into run-wide totals as they arrive: no timeline, nothing to close. */
  readonly #custom = new CustomMetricsAccumulator()

  readonly #onIntervalClosed: ((interval: ClosedInterval) => void) | undefined
  readonly #health: Array<{ seconds: number, utilizationSum: number, peakUtilization: number, delayP99Ms: number, delayMaxMs: number }>

  /** `onIntervalClosed` sees each second once every worker has sent it, in order. */
  constructor(workers: number, onIntervalClosed?: (interval: ClosedInterval) => void) {
    this.#workers = workers
    this.#onIntervalClosed = onIntervalClosed
    this.#health = Array.from({ length: workers }, () => ({
      seconds: 0,
      utilizationSum: 0,
      peakUtilization: 0,
      delayP99Ms: 0,
      delayMaxMs: 0,
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
    }
    this.#custom.add(snapshot.checks, snapshot.metrics)
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

  /** Worker `workerIndex` will send nothing more. */
  finishWorker(workerIndex: number): void {
    this.#finished[workerIndex] = true
    this.#closeCompleteIntervals()
  }

  /** Closes what is still open and builds the result. */
  finish(run: RunDescription): LoadRun {
    for (const second of [
      ...this.#pending.keys(),
    ].sort((a, b) => a - b))
      this.#close(second)
    const workers = this.#health.map((health, workerIndex) => ({
      workerIndex,
      meanUtilization: health.seconds === 0
        ? 0
        : health.utilizationSum / health.seconds,
      peakUtilization: health.peakUtilization,
      delayP99Ms: health.delayP99Ms,
      delayMaxMs: health.delayMaxMs,
    }))
    const generatorHealth = {
      workers,
      saturated: workers.some(worker => worker.meanUtilization >= SATURATED_UTILIZATION || worker.delayP99Ms >= SATURATED_DELAY_MS),
    }
    return buildRun({ ...run, generatorHealth }, this.#points, this.#totals, {
      checks: this.#custom.checks(),
      metrics: this.#custom.metrics(),
    })
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
    const all = createAccumulator()
    const endpoints: IntervalPoint['endpoints'] = new Map()
    for (const [name, acc] of pending.endpoints) {
      endpoints.set(name, {
        counters: acc.counters,
        ...intervalPercentiles(acc.histogram),
      })
      addInto(all, acc)
      accumulate(this.#totals, name, acc)
    }
    this.#points.push({
      second,
      activeUsers: pending.activeUsers,
      droppedArrivals: pending.droppedArrivals,
      endpoints,
      all: {
        counters: all.counters,
        ...intervalPercentiles(all.histogram),
      },
    })
    this.#onIntervalClosed?.({
      second,
      activeUsers: pending.activeUsers,
      counters: all.counters,
      histogram: all.histogram,
    })
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

function buildRun(run: RunDescription, points: IntervalPoint[], totals: Map<string, Accumulator>, custom: Pick<LoadRun, 'checks' | 'metrics'>): LoadRun {
  points.sort((a, b) => a.second - b.second)
  const lastSecond = points.at(-1)?.second ?? -1
  const timelineOf = (pick: (point: IntervalPoint) => IntervalPoint['all'] | undefined): TimelinePoint[] => {
    const bySecond = new Map(points.map(point => [point.second, point]))
    return Array.from({ length: lastSecond + 1 }, (_, second) => {
      const point = bySecond.get(second)
      const figures = point && pick(point)
      const counters = figures?.counters ?? createCounters()
      return {
        second,
        durationMs: Math.max(0, Math.min(1000, run.durationMs - second * 1000)),
        requests: counters.requests,
        errors: errorCount(counters),
        p50Ms: figures?.p50Ms ?? 0,
        p95Ms: figures?.p95Ms ?? 0,
        p99Ms: figures?.p99Ms ?? 0,
        activeUsers: point?.activeUsers ?? 0,
        droppedArrivals: point?.droppedArrivals ?? 0,
        ...(figures && { histogram: figures.histogram }),
      }
    })
  }
  const seconds = run.durationMs / 1000
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
  const droppedArrivals = points.reduce((sum, point) => sum + point.droppedArrivals, 0)
  return Object.freeze(new LoadRunResult(run, overall, endpoints, droppedArrivals, custom))
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
  generatorHealth: GeneratorHealth
  checks: CheckResult[]
  metrics: Record<string, CustomMetricResult>

  constructor(run: RunDescription, overall: EndpointResult, endpoints: EndpointResult[], droppedArrivals: number, custom: Pick<LoadRun, 'checks' | 'metrics'>) {
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
    this.droppedArrivals = droppedArrivals
    this.breakingPoint = run.breakingPoint ?? null
    this.generatorHealth = run.generatorHealth ?? { workers: [], saturated: false }
    this.checks = custom.checks
    this.metrics = custom.metrics
  }

  endpoint(name: string): EndpointResult {
    const found = this.endpoints.find(endpoint => endpoint.name === name)
    if (!found) {
      const known = this.endpoints.map(endpoint => `'${endpoint.name}'`).join(', ') || 'none'
      throw new UnknownEndpointError(`Load test "${this.name}" has no endpoint named '${name}'. Known endpoints: ${known}`)
    }
    return found
  }
}
