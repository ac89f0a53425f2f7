import type { ObservedFigure, ObservedPoint, ObservedTarget } from '../metrics/summary.js'
import type { ObserveSpec } from '../spec/spec.js'
import type { ProcessReading } from './process.js'
import { performance } from 'node:perf_hooks'
import { MAX_TIMELINE_POINTS } from '../metrics/merge.js'
import { EventLoopDelay, LiveHeap, processName, readProcessTree, readSelf } from './process.js'
import { PrometheusSampler } from './prometheus.js'

/** Where the run's seconds fall, for the judged figures and each step's. */
export interface ObserverTimes {
  /** Seconds of the warm-up: shown, not judged. */
  warmupSeconds: number
  /** The first second of the steady part, for memory growth: after the warm-up, or after the run's first tenth. */
  steadyFromSecond: number
  /** With steps: which step each second belongs to. */
  steps?: { indexOf: (second: number) => number | undefined }
}

/** The figure keys of a process reading, with their units. */
const PROCESS_FIGURES = [
  ['cpu', 'cores'],
  ['rss', 'bytes'],
  ['heap', 'bytes'],
  ['threads', 'count'],
  ['openFiles', 'count'],
  ['eventLoopDelayP99', 'ms'],
] as const

/** One figure's running totals: mean, min, max and last, without keeping the values. */
class FigureAccumulator {
  #sum = 0
  #count = 0
  #min = Infinity
  #max = -Infinity
  #last = 0
  readonly unit: ObservedFigure['unit']

  constructor(unit: ObservedFigure['unit']) {
    this.unit = unit
  }

  add(value: number): void {
    this.#sum += value
    this.#count++
    this.#min = Math.min(this.#min, value)
    this.#max = Math.max(this.#max, value)
    this.#last = value
  }

  figure(): ObservedFigure {
    return {
      mean: this.#sum / this.#count,
      min: this.#min,
      max: this.#max,
      last: this.#last,
      unit: this.unit,
    }
  }
}

/** Figures by key, for the run or one step. */
class FigureSet {
  readonly #figures = new Map<string, FigureAccumulator>()

  add(point: ObservedPoint, units: ReadonlyMap<string, ObservedFigure['unit']>): void {
    for (const [key, value] of figureValues(point)) {
      let figure = this.#figures.get(key)
      if (!figure) {
        figure = new FigureAccumulator(units.get(key) ?? '')
        this.#figures.set(key, figure)
      }
      figure.add(value)
    }
  }

  figures(): Record<string, ObservedFigure> {
    return Object.fromEntries([...this.#figures].map(([key, figure]) => [
      key,
      figure.figure(),
    ]))
  }
}

/** The figures of a point by key: `cpu`, `rss`, … and each series by its name. */
function figureValues(point: ObservedPoint): Array<[string, number]> {
  const values: Array<[string, number | undefined]> = [
    ['cpu', point.cpu],
    ['rss', point.rssBytes],
    ['heap', point.heapUsedBytes],
    ['threads', point.threads],
    ['openFiles', point.openFiles],
    ['eventLoopDelayP99', point.eventLoopDelayP99Ms],
    ...Object.entries(point.metrics ?? {}),
  ]
  return values.filter((entry): entry is [string, number] => entry[1] !== undefined && Number.isFinite(entry[1]))
}

/** Least squares of memory against time, kept as sums: the slope without keeping the points. */
class SlopeFit {
  #n = 0
  #sx = 0
  #sy = 0
  #sxx = 0
  #sxy = 0
  #from = Infinity

  /** Fits `points` at once: `[second, bytes]`. */
  static of(points: ReadonlyArray<readonly [number, number]>): SlopeFit {
    const fit = new SlopeFit()
    for (const [second, bytes] of points)
      fit.add(second, bytes)
    return fit
  }

  add(second: number, bytes: number): void {
    // centred on the first second, so the sums stay small and exact
    if (this.#n === 0)
      this.#from = second
    const x = second - this.#from
    this.#n++
    this.#sx += x
    this.#sy += bytes
    this.#sxx += x * x
    this.#sxy += x * bytes
  }

  /** The slope, where it starts and how many readings made it; `null` with fewer than `minimum`. */
  result(minimum: number): { bytesPerSec: number, fromSecond: number, readings: number } | null {
    const denominator = this.#n * this.#sxx - this.#sx * this.#sx
    if (this.#n < minimum || denominator <= 0)
      return null
    return {
      bytesPerSec: (this.#n * this.#sxy - this.#sx * this.#sy) / denominator,
      fromSecond: this.#from,
      readings: this.#n,
    }
  }
}

/** Two neighbouring points as one: CPU and rates are averaged over their time, memory and counts are the later's, delays the worse. */
function mergePoints(a: ObservedPoint, b: ObservedPoint): ObservedPoint {
  const durationMs = a.durationMs + b.durationMs
  const mean = (x: number | undefined, y: number | undefined): number | undefined => x === undefined
    ? y
    : y === undefined
      ? x
      : (x * a.durationMs + y * b.durationMs) / durationMs
  const metrics = a.metrics || b.metrics
    ? Object.fromEntries([
        ...new Set([
          ...Object.keys(a.metrics ?? {}),
          ...Object.keys(b.metrics ?? {}),
        ]),
      ].map(name => [
        name,
        mean(a.metrics?.[name], b.metrics?.[name])!,
      ]))
    : undefined
  const merged: ObservedPoint = {
    second: a.second,
    durationMs,
    cpu: mean(a.cpu, b.cpu),
    rssBytes: b.rssBytes ?? a.rssBytes,
    heapUsedBytes: b.heapUsedBytes ?? a.heapUsedBytes,
    threads: b.threads ?? a.threads,
    openFiles: b.openFiles ?? a.openFiles,
    eventLoopDelayP99Ms: a.eventLoopDelayP99Ms === undefined || b.eventLoopDelayP99Ms === undefined
      ? a.eventLoopDelayP99Ms ?? b.eventLoopDelayP99Ms
      : Math.max(a.eventLoopDelayP99Ms, b.eventLoopDelayP99Ms),
    ...(metrics && { metrics }),
    ...(a.warmup && { warmup: true as const }),
  }
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as ObservedPoint
}

/**
 * Watches the target while the load runs, in the test thread: at each second of the run (from the
 * workers' common start) it reads the process (`/proc`, a few hundred microseconds) and scrapes the
 * Prometheus endpoint, and the readings become the second's point: CPU over the second, memory and
 * counts at its end, counters as rates. Figures accumulate as they come (the run's over its judged
 * seconds, each step's over its own, memory's slope over the steady part), and the timeline merges
 * in pairs past 600 points, so a soak's memory stays bounded. A reading that fails (the process
 * gone, a scrape refused) is counted and the run goes on.
 */
export class TargetObserver {
  readonly #spec: ObserveSpec
  readonly #times: ObserverTimes
  readonly #prometheus: PrometheusSampler | undefined
  readonly #eventLoop: EventLoopDelay | undefined
  /** A target in this thread: its heap after full collections, for its growth. */
  readonly #liveHeap: LiveHeap | undefined
  /** `performance.now()` at the start of the load, and at the start of the steady part. */
  #startPerfMs: number | undefined
  #steadyPerfMs: number | undefined
  readonly #units = new Map<string, ObservedFigure['unit']>(PROCESS_FIGURES)
  readonly #judged = new FigureSet()
  readonly #steps = new Map<number, FigureSet>()
  readonly #slope = new SlopeFit()
  #points: ObservedPoint[] = []
  #width = 1
  #startAtEpochMs = 0
  #previous: { reading: ProcessReading, atMs: number } | undefined
  #processes = 0
  /** The watched process's name, read once at the start (a checkpoint asks for the result every second). */
  #processName: string | null = null
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The sample in progress: samples run one after another, however slow a scrape. */
  #chain: Promise<void> = Promise.resolve()
  #next = 0
  #failures = 0
  #firstFailure: string | undefined
  #stopped = false

  constructor(spec: ObserveSpec, times: ObserverTimes) {
    this.#spec = spec
    this.#times = times
    this.#prometheus = spec.prometheus && new PrometheusSampler(spec.prometheus)
    this.#eventLoop = spec.process === 'self'
      ? new EventLoopDelay()
      : undefined
    this.#liveHeap = spec.process === 'self'
      ? new LiveHeap()
      : undefined
  }

  /** Takes a first reading at the start of the load, then one at the end of each second. */
  start(startAtEpochMs: number): void {
    if (this.#spec.process !== undefined)
      this.#processName = processName(this.#spec.process) ?? null
    this.#startAtEpochMs = startAtEpochMs
    this.#schedule()
  }

  /** Takes the last reading (a part of a second), stops, and gives what was seen. */
  async stop(): Promise<ObservedTarget> {
    if (!this.#stopped) {
      this.#stopped = true
      clearTimeout(this.#timer)
      // the last part of a second, if the load began at all
      if (this.#next > 0) {
        // what the load left alive, once it has stopped: the end of the live heap's line
        if (this.#steadyPerfMs !== undefined)
          this.#liveHeap?.collect()
        this.#enqueue(this.#next - 1, true)
      }
      await this.#chain
      this.#eventLoop?.stop()
      this.#liveHeap?.stop()
    }
    return this.result()
  }

  /** What was seen so far, for a run handed on before it ends. */
  result(): ObservedTarget {
    const growth = this.#memoryGrowth()
    const { process: pid, prometheus } = this.#spec
    return {
      process: pid === undefined
        ? null
        : { pid, name: this.#processName, processes: this.#processes },
      prometheus: prometheus
        ? {
            url: shownUrl(prometheus.url),
            metrics: [...prometheus.metrics],
          }
        : null,
      timeline: [...this.#points],
      figures: this.#judged.figures(),
      memoryGrowth: growth,
      failures: this.#failures === 0
        ? null
        : { count: this.#failures, first: this.#firstFailure! },
    }
  }

  /**
   * Resident memory's slope over the steady part's seconds (3 at least); for a target in this
   * thread, the live heap's, through the readings after full collections from the steady part's
   * start (forced there and at the end, and V8's own in between).
   */
  #memoryGrowth(): ObservedTarget['memoryGrowth'] {
    if (!this.#liveHeap) {
      const fit = this.#slope.result(3)
      return fit && {
        of: 'rss',
        bytesPerSec: fit.bytesPerSec,
        fromSecond: fit.fromSecond,
        seconds: fit.readings,
        readings: fit.readings,
      }
    }
    if (this.#steadyPerfMs === undefined || this.#startPerfMs === undefined)
      return null
    const start = this.#startPerfMs
    const readings = this.#liveHeap.since(this.#steadyPerfMs)
    const fit = SlopeFit.of(readings.map(reading => [(reading.atMs - start) / 1000, reading.bytes] as const)).result(2)
    if (!fit)
      return null
    const tenths = (seconds: number): number => Math.round(seconds * 10) / 10
    return {
      of: 'heap',
      bytesPerSec: fit.bytesPerSec,
      fromSecond: tenths(fit.fromSecond),
      seconds: tenths((readings.at(-1)!.atMs - readings[0]!.atMs) / 1000),
      readings: fit.readings,
    }
  }

  /** The figures over step `index`'s seconds; `null` when none were read in them. */
  stepFigures(index: number): Record<string, ObservedFigure> | null {
    const figures = this.#steps.get(index)?.figures()
    return figures && Object.keys(figures).length > 0
      ? figures
      : null
  }

  #schedule(): void {
    const atEpochMs = this.#startAtEpochMs + this.#next * 1000
    this.#timer = setTimeout(() => {
      if (this.#stopped)
        return
      // the reading at the start of second k ends second k - 1
      this.#enqueue(this.#next - 1, false)
      this.#next++
      this.#schedule()
    }, Math.max(0, atEpochMs - Date.now()))
    // the observer never keeps the process alive
    this.#timer.unref()
  }

  #enqueue(second: number, last: boolean): void {
    const atMs = performance.now()
    const reading = this.#readProcess(second)
    const delay = this.#eventLoop?.take()
    const scrape = this.#prometheus?.sample(atMs).catch((error: unknown) => {
      this.#fail(`the Prometheus scrape at ${second + 1} s failed: ${(error as Error).message}`)
      return undefined
    })
    if (second < 0)
      this.#startPerfMs = atMs
    // the steady part begins: what is alive now is where the live heap's line starts
    if (second === this.#times.steadyFromSecond - 1 && this.#liveHeap && !last) {
      this.#steadyPerfMs = atMs
      this.#liveHeap.collect()
    }
    this.#chain = this.#chain.then(async () => {
      const metrics = await scrape
      if (second < 0) {
        // the first reading: what the next seconds are measured from
        this.#previous = reading && { reading, atMs }
        return
      }
      this.#record(second, atMs, last, reading, delay, metrics)
    })
  }

  #readProcess(second: number): ProcessReading | undefined {
    const pid = this.#spec.process
    if (pid === undefined)
      return undefined
    const reading = pid === 'self'
      ? readSelf()
      : readProcessTree(pid)
    if (!reading)
      this.#fail(`process ${pid} could not be read at ${second + 1} s: it is gone`)
    return reading
  }

  #record(second: number, atMs: number, last: boolean, reading: ProcessReading | undefined, delay: { p99Ms: number } | undefined, metrics: Record<string, number> | undefined): void {
    const previous = this.#previous
    const elapsedMs = previous
      ? atMs - previous.atMs
      : 0
    const durationMs = last
      ? Math.min(1000, Math.max(0, elapsedMs))
      : 1000
    // a part of a second too short to say anything about CPU
    if (last && durationMs < 100)
      return
    const point: ObservedPoint = { second, durationMs }
    if (reading) {
      this.#processes = Math.max(this.#processes, reading.processes)
      if (previous && elapsedMs > 0)
        point.cpu = Math.max(0, reading.cpuSeconds - previous.reading.cpuSeconds) / (elapsedMs / 1000)
      point.rssBytes = reading.rssBytes
      if (reading.heapUsedBytes !== undefined)
        point.heapUsedBytes = reading.heapUsedBytes
      point.threads = reading.threads
      if (reading.openFiles !== undefined)
        point.openFiles = reading.openFiles
      this.#previous = { reading, atMs }
    }
    if (delay)
      point.eventLoopDelayP99Ms = delay.p99Ms
    if (metrics && Object.keys(metrics).length > 0) {
      point.metrics = metrics
      for (const name of Object.keys(metrics))
        this.#units.set(name, this.#prometheus!.unitOf(name))
    }
    if (second < this.#times.warmupSeconds) {
      point.warmup = true
    }
    else {
      this.#judged.add(point, this.#units)
      const step = this.#times.steps?.indexOf(second)
      if (step !== undefined) {
        let figures = this.#steps.get(step)
        if (!figures)
          this.#steps.set(step, figures = new FigureSet())
        figures.add(point, this.#units)
      }
    }
    if (point.rssBytes !== undefined && second >= this.#times.steadyFromSecond && !last)
      this.#slope.add(second, point.rssBytes)
    this.#addToTimeline(point)
  }

  #addToTimeline(point: ObservedPoint): void {
    const newest = this.#points.at(-1)
    // the newest point fills until it spans the width
    if (newest && newest.durationMs < this.#width * 1000 && point.second < newest.second + this.#width) {
      this.#points[this.#points.length - 1] = mergePoints(newest, point)
      return
    }
    this.#points.push(point)
    if (this.#points.length > MAX_TIMELINE_POINTS) {
      this.#width *= 2
      const merged: ObservedPoint[] = []
      for (let index = 0; index < this.#points.length; index += 2) {
        const [a, b] = [this.#points[index]!, this.#points[index + 1]]
        merged.push(b
          ? mergePoints(a, b)
          : a)
      }
      this.#points = merged
    }
  }

  #fail(reason: string): void {
    this.#failures++
    this.#firstFailure ??= reason
  }
}

/** The URL as reports show it: no credentials, no query (either may hold a token). */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  }
  catch {
    return '[an invalid URL]'
  }
}
