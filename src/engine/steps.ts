import type { EndpointCounters } from '../metrics/counters.js'
import type { Histogram, LatencySummary } from '../metrics/histogram.js'
import type { ClosedInterval } from '../metrics/merge.js'
import type { BreakingPointResult, LoadStep, TimelinePoint } from '../metrics/summary.js'
import type { StepsSpec } from '../spec/spec.js'
import { addCounters, createCounters, errorCount } from '../metrics/counters.js'
import { createLatencyHistogram, encodeHistogram, percentileMs, summarizeLatency } from '../metrics/histogram.js'
import { toTotals } from '../metrics/summary.js'
import { formatAgainst, formatLevel, formatMs, formatPercent, stepFigures } from '../metrics/units.js'

/**
 * Measures the steps of a step test, a spike or a breaking-point search from the test thread.
 * Steps are whole seconds long (`StepClock`), so each is a run of one-second intervals; when its
 * last closes, the step's merged figures become a `LoadStep`. In a search, each step is then checked against the
 * condition: the first that meets it is where the target broke, `onBreak` is called once, and
 * nothing after it counts. The seconds of a warm-up (shorter than a step) are left out of the first step.
 */
export class StepWatcher {
  readonly #spec: StepsSpec
  readonly #name: string
  readonly #onBreak: () => void
  readonly #clock: StepClock
  readonly #warmupSeconds: number
  readonly #steps: LoadStep[] = []
  #current = createStep()
  #brokeAt: LoadStep | null = null

  /** `name` is the run's: a step is named `'<name> · 50 users'`. */
  constructor(spec: StepsSpec, name: string, onBreak: () => void, warmupSeconds = 0) {
    this.#spec = spec
    this.#name = name
    this.#onBreak = onBreak
    this.#clock = new StepClock(spec.durationsMs)
    this.#warmupSeconds = warmupSeconds
  }

  /** Takes each closed second in order; may call the user's `check`, and lets it throw. */
  onInterval(interval: ClosedInterval): void {
    const index = this.#clock.indexOf(interval.second)
    if (this.#brokeAt || index === undefined || interval.second < this.#warmupSeconds)
      return
    const current = this.#current
    current.histogram.add(interval.histogram)
    current.serviceHistogram.add(interval.serviceHistogram ?? interval.histogram)
    addCounters(current.counters, interval.counters)
    current.timeline.push(timelinePoint(interval))
    if (interval.second + 1 !== this.#clock.endOf(index))
      return
    const step = this.#finishStep(index)
    this.#steps.push(step)
    this.#current = createStep()
    if (step.tripped.length > 0) {
      this.#brokeAt = step
      this.#onBreak()
    }
  }

  /** Every step that ran to its end, in order. */
  steps(): LoadStep[] {
    return [...this.#steps]
  }

  /**
   * A search's result; `null` for a step test. `steps` are this watcher's steps as the run holds
   * them (with the target's figures added), so the search and `run.steps` share the same objects.
   */
  result(steps: LoadStep[] = this.steps()): BreakingPointResult | null {
    const { until, condition } = this.#spec
    if (!until || condition === null)
      return null
    const brokeAt = this.#brokeAt && steps[this.#brokeAt.index]!
    const good = brokeAt
      ? steps.slice(0, brokeAt.index)
      : steps
    return {
      by: this.#spec.by,
      condition,
      steps,
      brokeAt,
      lastGood: good.at(-1) ?? null,
    }
  }

  #finishStep(index: number): LoadStep {
    const { counters, histogram, serviceHistogram, timeline } = this.#current
    // the first step is judged from the warm-up's end
    const startSecond = Math.max(this.#clock.startOf(index), this.#warmupSeconds)
    const seconds = this.#clock.endOf(index) - startSecond
    const { by } = this.#spec
    const level = this.#spec.levels[index]!
    const errors = errorCount(counters)
    const phase = this.#spec.phases?.[index]
    const step: LoadStep = {
      name: `${this.#name} · ${phase === undefined
        ? ''
        : `${phase}, `}${formatLevel(by, level)}`,
      index,
      ...(phase !== undefined && { phase }),
      by,
      level,
      startSecond,
      durationMs: seconds * 1000,
      totals: toTotals(counters),
      requests: counters.requests,
      errors,
      errorRate: counters.requests === 0
        ? 0
        : errors / counters.requests,
      throughputPerSec: counters.ok / seconds,
      attemptsPerSec: counters.requests / seconds,
      latency: summarizeLatency(histogram),
      serviceTime: summarizeLatency(serviceHistogram),
      timeline,
      histogram: encodeHistogram(histogram),
      // the target's figures arrive apart from the load's: the controller adds them after the run
      observed: null,
      tripped: [],
    }
    if (this.#spec.until)
      step.tripped = tripped(step, this.#spec.until)
    return step
  }
}

/** Where steps of whole seconds fall in the run: step `i` is the seconds `startOf(i) … endOf(i) − 1`. */
export class StepClock {
  readonly #ends: number[]

  constructor(durationsMs: readonly number[]) {
    let end = 0
    this.#ends = durationsMs.map(ms => end += Math.round(ms / 1000))
  }

  /** The step that second `second` belongs to; `undefined` past the last. */
  indexOf(second: number): number | undefined {
    const index = this.#ends.findIndex(end => second < end)
    return index < 0
      ? undefined
      : index
  }

  startOf(index: number): number {
    return index === 0
      ? 0
      : this.#ends[index - 1]!
  }

  /** The second after the step's last. */
  endOf(index: number): number {
    return this.#ends[index]!
  }
}

/** The conditions of `until` that `step` meets, each in numbers: `'mean 100.5 ms > 100 ms'`. */
function tripped(step: LoadStep, until: NonNullable<StepsSpec['until']>): string[] {
  const found: string[] = []
  const latencyChecks: Array<[string, number | undefined, keyof Omit<LatencySummary, 'count'>]> = [
    ['mean', until.meanAboveMs, 'meanMs'],
    ['p50', until.p50AboveMs, 'p50Ms'],
    ['p95', until.p95AboveMs, 'p95Ms'],
    ['p99', until.p99AboveMs, 'p99Ms'],
  ]
  for (const [name, limitMs, figure] of latencyChecks) {
    const actualMs = step.latency[figure]
    if (limitMs !== undefined && actualMs > limitMs) {
      const [actual, limit] = formatAgainst(formatMs, actualMs, limitMs)
      found.push(`${name} ${actual} > ${limit}`)
    }
  }
  if (until.errorRateAbove !== undefined && step.errorRate > until.errorRateAbove) {
    const [actual, limit] = formatAgainst(formatPercent, step.errorRate, until.errorRateAbove)
    found.push(`error rate ${actual} > ${limit}`)
  }
  if (until.check) {
    // the user's function sees a copy: what it changes is not the step's
    const verdict = until.check({
      ...step,
      tripped: [...found],
    })
    if (typeof verdict === 'string' && verdict !== '')
      found.push(verdict)
    else if (verdict === true)
      found.push(`check(step) at ${stepFigures(step)}`)
  }
  return found
}

function timelinePoint(interval: ClosedInterval): TimelinePoint {
  return {
    second: interval.second,
    durationMs: 1000,
    requests: interval.counters.requests,
    errors: errorCount(interval.counters),
    p50Ms: percentileMs(interval.histogram, 50),
    p95Ms: percentileMs(interval.histogram, 95),
    p99Ms: percentileMs(interval.histogram, 99),
    activeUsers: interval.activeUsers,
    droppedArrivals: interval.droppedArrivals ?? 0,
  }
}

interface OpenStep {
  counters: EndpointCounters
  histogram: Histogram
  serviceHistogram: Histogram
  timeline: TimelinePoint[]
}

function createStep(): OpenStep {
  return {
    counters: createCounters(),
    histogram: createLatencyHistogram(),
    serviceHistogram: createLatencyHistogram(),
    timeline: [],
  }
}
