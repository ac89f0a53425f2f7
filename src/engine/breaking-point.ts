import type { Histogram } from '../metrics/histogram.js'
import type { ClosedInterval } from '../metrics/merge.js'
import type { BreakingPointResult, BreakingPointStep } from '../metrics/summary.js'
import type { BreakingPointSpec } from '../spec/spec.js'
import { errorCount } from '../metrics/counters.js'
import { createLatencyHistogram, summarizeLatency } from '../metrics/histogram.js'
import { formatMs, formatPercent } from '../metrics/units.js'

/**
 * Watches a breaking-point search from the test thread. Steps are whole seconds long, so step `k`
 * is the seconds `k·S … (k+1)·S − 1`; when the last of them closes, the step's merged figures are
 * checked against the condition. The first step that meets it is where the target broke:
 * `onBreak` is called once, and nothing after it counts. The seconds of a warm-up (shorter than a
 * step) are left out of the first step.
 */
export class BreakingPointWatcher {
  readonly #spec: BreakingPointSpec
  readonly #onBreak: () => void
  readonly #stepSeconds: number
  readonly #warmupSeconds: number
  readonly #steps: BreakingPointStep[] = []
  #current = createStep()
  #brokeAt: BreakingPointStep | null = null

  constructor(spec: BreakingPointSpec, onBreak: () => void, warmupSeconds = 0) {
    this.#spec = spec
    this.#onBreak = onBreak
    this.#stepSeconds = spec.stepMs / 1000
    this.#warmupSeconds = warmupSeconds
  }

  /** Takes each closed second in order; may call the user's `check`, and lets it throw. */
  onInterval(interval: ClosedInterval): void {
    const index = Math.floor(interval.second / this.#stepSeconds)
    if (this.#brokeAt || index >= this.#spec.levels.length || interval.second < this.#warmupSeconds)
      return
    this.#current.histogram.add(interval.histogram)
    this.#current.requests += interval.counters.requests
    this.#current.errors += errorCount(interval.counters)
    if ((interval.second + 1) % this.#stepSeconds !== 0)
      return
    const step = this.#finishStep(index)
    this.#steps.push(step)
    this.#current = createStep()
    if (step.tripped.length > 0) {
      this.#brokeAt = step
      this.#onBreak()
    }
  }

  result(): BreakingPointResult {
    const brokeAt = this.#brokeAt
    const good = brokeAt
      ? this.#steps.slice(0, brokeAt.index)
      : this.#steps
    return {
      by: this.#spec.by,
      condition: this.#spec.condition,
      steps: this.#steps,
      brokeAt,
      lastGood: good.at(-1) ?? null,
    }
  }

  #finishStep(index: number): BreakingPointStep {
    const { requests, errors, histogram } = this.#current
    // the first step is judged from the warm-up's end
    const startSecond = Math.max(index * this.#stepSeconds, this.#warmupSeconds)
    const seconds = (index + 1) * this.#stepSeconds - startSecond
    const step: BreakingPointStep = {
      index,
      level: this.#spec.levels[index]!,
      startSecond,
      durationMs: seconds * 1000,
      requests,
      errors,
      errorRate: requests === 0
        ? 0
        : errors / requests,
      throughputPerSec: (requests - errors) / seconds,
      latency: summarizeLatency(histogram),
      tripped: [],
    }
    const { until } = this.#spec
    const latencyChecks = [
      ['p50', until.p50AboveMs, step.latency.p50Ms],
      ['p95', until.p95AboveMs, step.latency.p95Ms],
      ['p99', until.p99AboveMs, step.latency.p99Ms],
    ] as const
    for (const [name, limitMs, actualMs] of latencyChecks) {
      if (limitMs !== undefined && actualMs > limitMs)
        step.tripped.push(`${name} ${formatMs(actualMs)} > ${formatMs(limitMs)}`)
    }
    if (until.errorRateAbove !== undefined && step.errorRate > until.errorRateAbove)
      step.tripped.push(`error rate ${formatPercent(step.errorRate)} > ${formatPercent(until.errorRateAbove)}`)
    if (until.check?.({
      ...step,
      tripped: [...step.tripped],
    })) {
      step.tripped.push('check(step)')
    }
    return step
  }
}

function createStep(): { histogram: Histogram, requests: number, errors: number } {
  return {
    histogram: createLatencyHistogram(),
    requests: 0,
    errors: 0,
  }
}
