import type { EncodedHistogram, Histogram } from './histogram.js'
import { createHistogram, decodeHistogram, encodeHistogram } from './histogram.js'

/**
 * A trend records each value times this, rounded to a whole number, in an HDR histogram: values keep
 * 0.001 of resolution (a thousandth of a millisecond, if they are milliseconds), percentiles 3
 * significant digits.
 */
export const TREND_SCALE = 1000
/** The largest value a trend takes: `10^12` (31 years in milliseconds), so its sum stays exact. */
export const MAX_TREND_VALUE = 1e12

/** One named check's counts over one interval of one worker. */
export interface CheckSnapshot {
  name: string
  passes: number
  fails: number
}

/** One custom metric's counts over one interval of one worker. */
export type CustomMetricSnapshot
  = | { name: string, type: 'counter', count: number }
    | { name: string, type: 'rate', trues: number, total: number }
    | {
      name: string
      type: 'trend'
      count: number
      /** The sum of the values recorded, times `TREND_SCALE`: a whole number, so sums add exactly. */
      scaledSum: number
      /** The smallest and largest value recorded, times `TREND_SCALE`. */
      scaledMin: number
      scaledMax: number
      /** The values times `TREND_SCALE`, compressed. */
      histogram: EncodedHistogram
    }

/** A named check of a scenario (`ctx.check()`), over the whole run. */
export interface CheckResult {
  /** The check's name, e.g. `'status is 200'`. */
  name: string
  /** Calls whose check function returned true. */
  passes: number
  /** Calls whose check function returned false or threw. */
  fails: number
  /** `passes / (passes + fails)`, 0–1. */
  passRate: number
}

/** `ctx.metrics.counter(name)`: the sum of everything added. */
export interface CounterResult {
  type: 'counter'
  /** The sum of every `add(n)`. */
  count: number
}

/** `ctx.metrics.rate(name)`: the share of `add(true)` among all adds. */
export interface RateResult {
  type: 'rate'
  trues: number
  total: number
  /** `trues / total`, 0–1; 0 when nothing was added. */
  rate: number
}

/**
 * `ctx.metrics.trend(name)`: a distribution of the values added, in the unit you added them in.
 * `count`, `min`, `max` and `mean` are exact to 0.001; percentiles are read from an HDR histogram
 * with 3 significant digits (within 0.1 %).
 */
export interface TrendResult {
  type: 'trend'
  count: number
  min: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
  /** The HDR histogram of the values times 1000, compressed, so runs can be merged or compared later. */
  histogram: EncodedHistogram
}

/** One custom metric over the whole run, by its type. */
export type CustomMetricResult = CounterResult | RateResult | TrendResult

export type CustomMetricType = CustomMetricResult['type']

/** Values times `TREND_SCALE`, from 0, 3 significant digits, growing as needed. */
export function createTrendHistogram(): Histogram {
  return createHistogram(1_000_000, 3)
}

interface TrendAccumulator {
  type: 'trend'
  count: number
  scaledSum: number
  scaledMin: number
  scaledMax: number
  histogram: Histogram
}

type MetricAccumulator
  = | { type: 'counter', count: number }
    | { type: 'rate', trues: number, total: number }
    | TrendAccumulator

/**
 * Adds the checks and custom metrics of any number of snapshots, in any order: counts add, trend
 * histograms add bucket by bucket, minima and maxima take the extreme. A name that workers used with
 * different types (a worker refuses that within itself) keeps one result per type, named
 * `'name (counter)'`, `'name (rate)'`.
 */
export class CustomMetricsAccumulator {
  readonly #checks = new Map<string, { passes: number, fails: number }>()
  /** By type, then name: the merge never depends on which type arrived first. */
  readonly #metrics = new Map<string, MetricAccumulator>()

  add(checks: readonly CheckSnapshot[] | undefined, metrics: readonly CustomMetricSnapshot[] | undefined): void {
    for (const check of checks ?? []) {
      const into = this.#checks.get(check.name)
      if (into) {
        into.passes += check.passes
        into.fails += check.fails
      }
      else {
        this.#checks.set(check.name, { passes: check.passes, fails: check.fails })
      }
    }
    for (const metric of metrics ?? [])
      this.#addMetric(metric)
  }

  /** Every check, sorted by name. */
  checks(): CheckResult[] {
    return [
      ...this.#checks.entries(),
    ]
      .sort(([a], [b]) => compareNames(a, b))
      .map(([name, { passes, fails }]) => ({
        name,
        passes,
        fails,
        passRate: passes + fails === 0
          ? 0
          : passes / (passes + fails),
      }))
  }

  /** Every custom metric by name, the names in order. */
  metrics(): Record<string, CustomMetricResult> {
    const byName = new Map<string, MetricAccumulator[]>()
    for (const [key, acc] of this.#metrics) {
      const name = key.slice(key.indexOf(':') + 1)
      byName.set(name, [
        ...(byName.get(name) ?? []),
        acc,
      ])
    }
    const entries: Array<[string, CustomMetricResult]> = []
    for (const [name, accs] of byName) {
      for (const acc of accs) {
        entries.push([
          accs.length === 1
            ? name
            : `${name} (${acc.type})`,
          toResult(acc),
        ])
      }
    }
    return Object.fromEntries(entries.sort(([a], [b]) => compareNames(a, b)))
  }

  #addMetric(metric: CustomMetricSnapshot): void {
    const key = `${metric.type}:${metric.name}`
    const acc = this.#metrics.get(key)
    switch (metric.type) {
      case 'counter':
        if (acc?.type === 'counter')
          acc.count += metric.count
        else
          this.#metrics.set(key, { type: 'counter', count: metric.count })
        return
      case 'rate':
        if (acc?.type === 'rate') {
          acc.trues += metric.trues
          acc.total += metric.total
        }
        else {
          this.#metrics.set(key, { type: 'rate', trues: metric.trues, total: metric.total })
        }
        return
      case 'trend': {
        const histogram = decodeHistogram(metric.histogram)
        if (acc?.type === 'trend') {
          acc.count += metric.count
          acc.scaledSum += metric.scaledSum
          acc.scaledMin = Math.min(acc.scaledMin, metric.scaledMin)
          acc.scaledMax = Math.max(acc.scaledMax, metric.scaledMax)
          acc.histogram.add(histogram)
        }
        else {
          const into = createTrendHistogram()
          into.add(histogram)
          this.#metrics.set(key, {
            type: 'trend',
            count: metric.count,
            scaledSum: metric.scaledSum,
            scaledMin: metric.scaledMin,
            scaledMax: metric.scaledMax,
            histogram: into,
          })
        }
      }
    }
  }
}

/** Names in a stable order that does not depend on the locale: by UTF-16 code units. */
function compareNames(a: string, b: string): number {
  return a < b
    ? -1
    : a > b
      ? 1
      : 0
}

function toResult(acc: MetricAccumulator): CustomMetricResult {
  switch (acc.type) {
    case 'counter':
      return { type: 'counter', count: acc.count }
    case 'rate':
      return {
        type: 'rate',
        trues: acc.trues,
        total: acc.total,
        rate: acc.total === 0
          ? 0
          : acc.trues / acc.total,
      }
    case 'trend':
      return {
        type: 'trend',
        count: acc.count,
        min: acc.scaledMin / TREND_SCALE,
        mean: acc.count === 0
          ? 0
          : acc.scaledSum / acc.count / TREND_SCALE,
        ...trendPercentiles(acc.histogram, acc.scaledMin / TREND_SCALE, acc.scaledMax / TREND_SCALE),
        max: acc.scaledMax / TREND_SCALE,
        histogram: encodeHistogram(acc.histogram),
      }
  }
}

/**
 * The percentiles of a trend, read from its histogram (values times `TREND_SCALE`), in the trend's
 * unit. HDR answers a bucket's upper bound; kept within the exact `min` and `max`, so that a trend of
 * one value has every percentile equal to it.
 */
export function trendPercentiles(histogram: Histogram, min: number, max: number): Pick<TrendResult, 'p50' | 'p90' | 'p95' | 'p99'> {
  const at = (percentile: number): number => histogram.totalCount === 0
    ? 0
    : Math.min(max, Math.max(min, histogram.getValueAtPercentile(percentile) / TREND_SCALE))
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
  }
}
