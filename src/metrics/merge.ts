import type { EndpointCounters } from './counters.js'
import type { Histogram } from './histogram.js'
import type { IntervalSnapshot } from './snapshot.js'
import type { EndpointResult, LoadRun, TimelinePoint } from './summary.js'
import { UnknownEndpointError } from '../errors.js'
import { addCounters, createCounters, errorCount } from './counters.js'
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentileMs, summarizeLatency } from './histogram.js'
import { toTotals } from './summary.js'

interface Accumulator {
  counters: EndpointCounters
  histogram: Histogram
}

interface PendingInterval {
  workersSeen: Set<number>
  activeUsers: number
  endpoints: Map<string, Accumulator>
}

interface IntervalPoint {
  second: number
  activeUsers: number
  endpoints: Map<string, { counters: EndpointCounters, p50Ms: number, p95Ms: number, p99Ms: number }>
  all: { counters: EndpointCounters, p50Ms: number, p95Ms: number, p99Ms: number }
}

/** What the aggregator cannot know from snapshots alone. */
export interface RunDescription {
  name: string
  target: string
  model: string
  users: number
  workers: number
  startedAt: string
  durationMs: number
}

function accumulate(into: Map<string, Accumulator>, name: string, counters: Readonly<EndpointCounters>, histogram: Histogram): void {
  let acc = into.get(name)
  if (!acc) {
    acc = {
      counters: createCounters(),
      histogram: createLatencyHistogram(),
    }
    into.set(name, acc)
  }
  addCounters(acc.counters, counters)
  acc.histogram.add(histogram)
}

/**
 * Merges interval snapshots from any number of workers into one `LoadRun`. Histograms add bucket by
 * bucket and counters add, so any arrival order gives the same result as one worker measuring
 * everything. An interval is closed (its percentiles read, its histogram dropped) once every
 * worker has sent it or finished before it, so memory stays flat however long the run.
 */
export class RunAggregator {
  readonly #workers: number
  #pending = new Map<number, PendingInterval>()
  #lastInterval: Array<number | undefined>
  #finished: boolean[]
  #points: IntervalPoint[] = []
  #totals = new Map<string, Accumulator>()

  constructor(workers: number) {
    this.#workers = workers
    this.#lastInterval = Array.from({ length: workers })
    this.#finished = Array.from<boolean>({ length: workers }).fill(false)
  }

  add(snapshot: IntervalSnapshot): void {
    let pending = this.#pending.get(snapshot.interval)
    if (!pending) {
      pending = {
        workersSeen: new Set(),
        activeUsers: 0,
        endpoints: new Map(),
      }
      this.#pending.set(snapshot.interval, pending)
    }
    pending.workersSeen.add(snapshot.workerIndex)
    pending.activeUsers += snapshot.activeUsers
    for (const endpoint of snapshot.endpoints)
      accumulate(pending.endpoints, endpoint.name, endpoint.counters, decodeHistogram(endpoint.histogram))
    const last = this.#lastInterval[snapshot.workerIndex]
    this.#lastInterval[snapshot.workerIndex] = last === undefined
      ? snapshot.interval
      : Math.max(last, snapshot.interval)
    this.#closeCompleteIntervals()
  }

  /** Intervals still waiting for a worker; a closed interval keeps only its figures, not its histograms. */
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
    return buildRun(run, this.#points, this.#totals)
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
    const all: Accumulator = {
      counters: createCounters(),
      histogram: createLatencyHistogram(),
    }
    const endpoints: IntervalPoint['endpoints'] = new Map()
    for (const [name, acc] of pending.endpoints) {
      endpoints.set(name, {
        counters: acc.counters,
        ...intervalPercentiles(acc.histogram),
      })
      addCounters(all.counters, acc.counters)
      all.histogram.add(acc.histogram)
      accumulate(this.#totals, name, acc.counters, acc.histogram)
    }
    this.#points.push({
      second,
      activeUsers: pending.activeUsers,
      endpoints,
      all: {
        counters: all.counters,
        ...intervalPercentiles(all.histogram),
      },
    })
  }
}

function intervalPercentiles(histogram: Histogram): { p50Ms: number, p95Ms: number, p99Ms: number } {
  return {
    p50Ms: percentileMs(histogram, 50),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
  }
}

function buildRun(run: RunDescription, points: IntervalPoint[], totals: Map<string, Accumulator>): LoadRun {
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
    throughputPerSec: seconds > 0
      ? acc.counters.requests / seconds
      : 0,
    latency: summarizeLatency(acc.histogram),
    timeline,
    histogram: encodeHistogram(acc.histogram),
  })

  const endpoints = [
    ...totals.entries(),
  ]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, acc]) => resultOf(name, acc, timelineOf(point => point.endpoints.get(name))))
  const all: Accumulator = {
    counters: createCounters(),
    histogram: createLatencyHistogram(),
  }
  for (const acc of totals.values()) {
    addCounters(all.counters, acc.counters)
    all.histogram.add(acc.histogram)
  }
  const overall = resultOf(run.name, all, timelineOf(point => point.all))
  return Object.freeze(new LoadRunResult(run, overall, endpoints))
}

class LoadRunResult implements LoadRun {
  name: string
  target: string
  model: string
  users: number
  workers: number
  startedAt: string
  durationMs: number
  totals: EndpointResult['totals']
  errorRate: number
  throughputPerSec: number
  latency: EndpointResult['latency']
  timeline: TimelinePoint[]
  histogram: string
  endpoints: EndpointResult[]

  constructor(run: RunDescription, overall: EndpointResult, endpoints: EndpointResult[]) {
    this.name = run.name
    this.target = run.target
    this.model = run.model
    this.users = run.users
    this.workers = run.workers
    this.startedAt = run.startedAt
    this.durationMs = run.durationMs
    this.totals = overall.totals
    this.errorRate = overall.errorRate
    this.throughputPerSec = overall.throughputPerSec
    this.latency = overall.latency
    this.timeline = overall.timeline
    this.histogram = overall.histogram
    this.endpoints = endpoints
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
