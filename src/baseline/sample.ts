import type { Histogram } from '../metrics/histogram.js'
import type { EndpointResult, TimelinePoint } from '../metrics/summary.js'
import type { BaselineEnvironment } from './environment.js'
import { createLatencyHistogram, decodeHistogram, percentileMs } from '../metrics/histogram.js'
import { timelineStep } from '../metrics/timeline.js'

/** The figures a baseline keeps for the whole run, and for each of its intervals. */
export interface BaselineFigures {
  p50Ms: number
  p95Ms: number
  p99Ms: number
  throughputPerSec: number
  errorRate: number
}

/**
 * Per-interval figures: one value per interval, in order. Latency and error rate are `null` for an
 * interval without responses (or without requests): there was nothing to measure.
 */
export interface BaselineIntervals {
  p50Ms: (number | null)[]
  p95Ms: (number | null)[]
  p99Ms: (number | null)[]
  throughputPerSec: number[]
  errorRate: (number | null)[]
}

/** What a baseline stores of one run or endpoint, and what a new run is compared with. */
export interface BaselineSample {
  /** The load model in words, `'20 users for 5 s'`: a baseline only compares with the same load. */
  load: string
  /** Finished requests over the run. */
  requests: number
  /** The length of one interval: 1 s, or more for long runs, whose seconds are merged so a run has at most 60 intervals. */
  intervalSeconds: number
  summary: BaselineFigures
  intervals: BaselineIntervals
  /** Where it was measured; absent in a baseline recorded before environments were kept. */
  environment?: BaselineEnvironment
}

/** Long runs merge their seconds into longer intervals: at most this many per run. */
export const MAX_INTERVALS = 60
/**
 * Without a `warmup` option, a baseline leaves out the first tenth of the run, at least 1 s and
 * at most this many seconds (connections opening, JIT, users all starting at once), in runs of
 * `MIN_SECONDS_FOR_WARMUP` or more.
 */
export const MAX_DEFAULT_WARMUP_SECONDS = 5
const MIN_SECONDS_FOR_WARMUP = 3
/** A last interval shorter than this share of its span is left out: too few requests to say anything alone. */
const MIN_INTERVAL_SHARE = 0.5

/**
 * The intervals a run's timeline makes: its points (whole seconds, or the longer spans a long run
 * merged its seconds into, and a last one at least half as long), merged in groups for long runs.
 */
function groupTimeline(timeline: readonly TimelinePoint[]): { points: TimelinePoint[], seconds: number }[] {
  const step = timelineStep(timeline)
  const warmupSeconds = baselineWarmupSeconds(timeline)
  const usable = timeline.filter(point => point.durationMs >= MIN_INTERVAL_SHARE * step * 1000 && point.second >= warmupSeconds)
  const perGroup = Math.max(1, Math.ceil(usable.length / MAX_INTERVALS))
  const groups: { points: TimelinePoint[], seconds: number }[] = []
  for (let start = 0; start < usable.length; start += perGroup) {
    groups.push({
      points: usable.slice(start, start + perGroup),
      seconds: perGroup * step,
    })
  }
  // a short remainder of a long run joins the previous group rather than standing alone
  const last = groups.at(-1)
  if (groups.length > 1 && last && last.points.length < perGroup / 2) {
    groups.pop()
    groups.at(-1)!.points.push(...last.points)
  }
  return groups
}

/**
 * The seconds a baseline leaves out at the start: the run's warm-up (its points are marked), else
 * the first tenth of the run, from 1 to `MAX_DEFAULT_WARMUP_SECONDS` s, in a run of 3 s or more.
 */
export function baselineWarmupSeconds(timeline: readonly TimelinePoint[]): number {
  const marked = timeline.filter(point => point.warmup)
  if (marked.length > 0)
    return Math.max(...marked.map(point => point.second + point.durationMs / 1000))
  const last = timeline.at(-1)
  const seconds = last
    ? last.second + last.durationMs / 1000
    : 0
  if (seconds < MIN_SECONDS_FOR_WARMUP)
    return 0
  // whole points within it: a long run's points span several seconds, and its warm-up weighs little in them
  const step = timelineStep(timeline)
  const wanted = Math.min(MAX_DEFAULT_WARMUP_SECONDS, Math.max(1, Math.floor(seconds / 10)))
  return Math.floor(wanted / step) * step
}

function mergedHistogram(points: readonly TimelinePoint[]): Histogram | null {
  const encoded = points.flatMap(point => point.histogram === undefined
    ? []
    : [point.histogram])
  if (encoded.length === 1)
    return decodeHistogram(encoded[0]!)
  if (encoded.length === 0)
    return null
  const merged = createLatencyHistogram()
  for (const one of encoded)
    merged.add(decodeHistogram(one))
  return merged
}

/** The baseline figures of a run or one of its endpoints, read from its timeline's histograms. */
export function sampleOf(result: EndpointResult, load: string): BaselineSample {
  const intervals: BaselineIntervals = {
    p50Ms: [],
    p95Ms: [],
    p99Ms: [],
    throughputPerSec: [],
    errorRate: [],
  }
  const groups = groupTimeline(result.timeline)
  for (const { points } of groups) {
    const figures = figuresOf(points)
    intervals.p50Ms.push(figures.p50Ms)
    intervals.p95Ms.push(figures.p95Ms)
    intervals.p99Ms.push(figures.p99Ms)
    intervals.throughputPerSec.push(figures.throughputPerSec)
    intervals.errorRate.push(figures.errorRate)
  }
  return {
    load,
    requests: result.totals.requests,
    intervalSeconds: groups[0]?.seconds ?? 1,
    summary: summaryOf(result, groups.flatMap(group => group.points)),
    intervals,
  }
}

/** The figures of some timeline points together; latency and error rate `null` where nothing was measured. */
interface PointsFigures {
  durationMs: number
  p50Ms: number | null
  p95Ms: number | null
  p99Ms: number | null
  throughputPerSec: number
  errorRate: number | null
}

/**
 * The figures of some timeline points together: latency from their merged histogram (`null` without
 * a response), successes a second, as the run's throughputPerSec (a dead target's refused connects
 * are no throughput), and errors over requests (`null` without a request).
 */
function figuresOf(points: readonly TimelinePoint[]): PointsFigures {
  const durationMs = points.reduce((sum, point) => sum + point.durationMs, 0)
  const requests = points.reduce((sum, point) => sum + point.requests, 0)
  const errors = points.reduce((sum, point) => sum + point.errors, 0)
  const histogram = mergedHistogram(points)
  const measured = histogram !== null && histogram.totalCount > 0
  const figures: PointsFigures = {
    durationMs,
    p50Ms: measured
      ? percentileMs(histogram, 50)
      : null,
    p95Ms: measured
      ? percentileMs(histogram, 95)
      : null,
    p99Ms: measured
      ? percentileMs(histogram, 99)
      : null,
    throughputPerSec: durationMs > 0
      ? (requests - errors) / (durationMs / 1000)
      : 0,
    errorRate: requests > 0
      ? errors / requests
      : null,
  }
  histogram?.destroy()
  return figures
}

/** The whole-run figures of the points a baseline keeps (after the warm-up); the run's own when it kept none. */
function summaryOf(result: EndpointResult, points: readonly TimelinePoint[]): BaselineFigures {
  const figures = figuresOf(points)
  if (figures.durationMs === 0 || !points.some(point => point.histogram !== undefined)) {
    return {
      p50Ms: result.latency.p50Ms,
      p95Ms: result.latency.p95Ms,
      p99Ms: result.latency.p99Ms,
      throughputPerSec: result.throughputPerSec,
      errorRate: result.errorRate,
    }
  }
  return {
    p50Ms: figures.p50Ms ?? 0,
    p95Ms: figures.p95Ms ?? 0,
    p99Ms: figures.p99Ms ?? 0,
    throughputPerSec: figures.throughputPerSec,
    errorRate: figures.errorRate ?? 0,
  }
}
