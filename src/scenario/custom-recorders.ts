import type { CheckSnapshot, CustomMetricSnapshot, CustomMetricType } from '../metrics/custom.js'
import type { Histogram } from '../metrics/histogram.js'
import type { CounterMetric, RateMetric, ScenarioChecks, ScenarioMetrics, TrendMetric } from './types.js'
import { createTrendHistogram, MAX_TREND_VALUE, TREND_SCALE } from '../metrics/custom.js'
import { encodeHistogram } from '../metrics/histogram.js'
import { describeValue } from '../spec/describe-value.js'

/** The most check names one worker counts apart; a further name throws, in the task that used it. */
export const MAX_CHECK_NAMES = 100
/** The most custom metric names one worker records; a further name throws, in the task that used it. */
export const MAX_METRIC_NAMES = 100

/** One check's counts in the current interval: two numbers, made once per name. */
interface CheckCounts {
  passes: number
  fails: number
}

class Counter implements CounterMetric {
  readonly type = 'counter'
  readonly name: string
  count = 0
  touched = false

  constructor(name: string) {
    this.name = name
  }

  add(n: number = 1): void {
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      throw new TypeError(`ctx.metrics.counter('${this.name}').add(n) takes a number 0 or more (1 if left out), got ${describeValue(n)}. Example: ctx.metrics.counter('orders placed').add(2)`)
    this.count += n
    this.touched = true
  }

  take(): CustomMetricSnapshot {
    const snapshot: CustomMetricSnapshot = { name: this.name, type: 'counter', count: this.count }
    this.count = 0
    this.touched = false
    return snapshot
  }
}

class Rate implements RateMetric {
  readonly type = 'rate'
  readonly name: string
  trues = 0
  total = 0

  constructor(name: string) {
    this.name = name
  }

  get touched(): boolean {
    return this.total > 0
  }

  add(value: boolean): void {
    if (value === true)
      this.trues++
    else if (value !== false)
      throw new TypeError(`ctx.metrics.rate('${this.name}').add(value) takes true or false, got ${describeValue(value)}. Example: ctx.metrics.rate('cache hit').add(response.headers['x-cache'] === 'HIT')`)
    this.total++
  }

  take(): CustomMetricSnapshot {
    const snapshot: CustomMetricSnapshot = {
      name: this.name,
      type: 'rate',
      trues: this.trues,
      total: this.total,
    }
    this.trues = 0
    this.total = 0
    return snapshot
  }
}

class Trend implements TrendMetric {
  readonly type = 'trend'
  readonly name: string
  readonly #histogram: Histogram = createTrendHistogram()
  count = 0
  #scaledSum = 0
  #scaledMin = Infinity
  #scaledMax = 0

  constructor(name: string) {
    this.name = name
  }

  get touched(): boolean {
    return this.count > 0
  }

  add(value: number): void {
    if (typeof value !== 'number' || !(value >= 0 && value <= MAX_TREND_VALUE))
      throw new TypeError(`ctx.metrics.trend('${this.name}').add(value) takes a number from 0 to 10^12, such as a time in milliseconds, got ${describeValue(value)}. Example: ctx.metrics.trend('queue wait ms').add(12.5)`)
    const scaled = Math.round(value * TREND_SCALE)
    this.#histogram.recordValue(scaled)
    this.count++
    this.#scaledSum += scaled
    if (scaled < this.#scaledMin)
      this.#scaledMin = scaled
    if (scaled > this.#scaledMax)
      this.#scaledMax = scaled
  }

  take(): CustomMetricSnapshot {
    const snapshot: CustomMetricSnapshot = {
      name: this.name,
      type: 'trend',
      count: this.count,
      scaledSum: this.#scaledSum,
      scaledMin: this.#scaledMin,
      scaledMax: this.#scaledMax,
      histogram: encodeHistogram(this.#histogram),
    }
    this.#histogram.reset()
    this.count = 0
    this.#scaledSum = 0
    this.#scaledMin = Infinity
    this.#scaledMax = 0
    return snapshot
  }
}

type Metric = Counter | Rate | Trend

const ARTICLE: Record<CustomMetricType, string> = { counter: 'a counter', rate: 'a rate', trend: 'a trend' }

/**
 * A worker's checks and custom metrics, shared by its scenario users. A call adds to numbers (and a
 * trend to its histogram) that exist once per name: nothing is allocated per call. Each second,
 * `takeSnapshot()` hands over what changed and starts the next interval at zero.
 */
export class CustomRecorders {
  readonly #checks = new Map<string, CheckCounts>()
  readonly #metrics = new Map<string, Metric>()
  /** `ctx.metrics`: the same object for every user of the worker. */
  readonly metrics: ScenarioMetrics = {
    counter: name => this.#metric(name, 'counter') as Counter,
    rate: name => this.#metric(name, 'rate') as Rate,
    trend: name => this.#metric(name, 'trend') as Trend,
  }

  /**
   * `ctx.check(value, checks)`: calls each check function with `value` and counts a pass (it returned
   * a truthy value) or a fail (anything else, a promise, or it threw). True when every check passed.
   */
  check<T>(value: T, checks: ScenarioChecks<T>): boolean {
    if (typeof checks !== 'object' || checks === null)
      throw new TypeError(`ctx.check(value, checks) takes the value and an object of check names to functions, got ${describeValue(checks)}. Example: ctx.check(response, { 'status is 200': r => r.status === 200 })`)
    let all = true
    for (const name in checks) {
      const fn = checks[name]
      let counts = this.#checks.get(name)
      if (!counts) {
        if (typeof fn !== 'function')
          throw new TypeError(`ctx.check(): check '${name}' must be a function that takes the value and returns true or false, got ${describeValue(fn)}. Example: ctx.check(response, { 'status is 200': r => r.status === 200 })`)
        if (this.#checks.size >= MAX_CHECK_NAMES)
          throw new RangeError(`ctx.check(): more than ${MAX_CHECK_NAMES} check names in one worker; '${name}' is one too many. Check names are fixed labels such as 'status is 200': keep ids and other values out of them`)
        counts = { passes: 0, fails: 0 }
        this.#checks.set(name, counts)
      }
      let passed = false
      try {
        const result: unknown = fn!(value)
        // truthy passes, as in k6; a promise (an async check) never settled here, so it fails
        passed = Boolean(result) && typeof (result as { then?: unknown }).then !== 'function'
      }
      catch {
        // a check that throws (a body that is not JSON, a field missing) is a check that failed
      }
      if (passed) {
        counts.passes++
      }
      else {
        counts.fails++
        all = false
      }
    }
    return all
  }

  /** What changed since the last call; checks and metrics with nothing new are left out. */
  takeSnapshot(): { checks: CheckSnapshot[], metrics: CustomMetricSnapshot[] } {
    const checks: CheckSnapshot[] = []
    for (const [name, counts] of this.#checks) {
      if (counts.passes + counts.fails > 0) {
        checks.push({ name, passes: counts.passes, fails: counts.fails })
        counts.passes = 0
        counts.fails = 0
      }
    }
    const metrics: CustomMetricSnapshot[] = []
    for (const metric of this.#metrics.values()) {
      if (metric.touched)
        metrics.push(metric.take())
    }
    return { checks, metrics }
  }

  #metric(name: string, type: CustomMetricType): Metric {
    const found = this.#metrics.get(name)
    if (found) {
      if (found.type !== type)
        throw new TypeError(`ctx.metrics.${type}('${name}'): '${name}' is already ${ARTICLE[found.type]}; a custom metric has one type. Give the ${type} another name`)
      return found
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(`ctx.metrics.${type}(name) takes a non-empty name, got ${describeValue(name)}. Example: ctx.metrics.${type}('${type === 'counter'
        ? 'orders placed'
        : type === 'rate'
          ? 'cache hit'
          : 'queue wait ms'}')`)
    }
    if (this.#metrics.size >= MAX_METRIC_NAMES)
      throw new RangeError(`ctx.metrics.${type}('${name}'): more than ${MAX_METRIC_NAMES} custom metric names in one worker. Metric names are fixed labels: keep ids and other values out of them`)
    const metric = type === 'counter'
      ? new Counter(name)
      : type === 'rate'
        ? new Rate(name)
        : new Trend(name)
    this.#metrics.set(name, metric)
    return metric
  }
}
