import type { ClosedInterval } from '../../src/metrics/merge.js'
import type { StepsSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { StepWatcher } from '../../src/engine/steps.js'
import { createCounters } from '../../src/metrics/counters.js'
import { createLatencyHistogram } from '../../src/metrics/histogram.js'

const spec: StepsSpec = {
  by: 'users',
  levels: [10, 20, 30],
  durationsMs: [3000, 3000, 3000],
  until: { p95AboveMs: 100 },
  condition: 'p95 > 100 ms',
}

/** One closed second of 10 responses of `latencyMs`. */
function second(index: number, latencyMs: number): ClosedInterval {
  const histogram = createLatencyHistogram()
  const counters = createCounters()
  for (let n = 0; n < 10; n++) {
    histogram.recordValue(latencyMs * 1000)
    counters.requests++
    counters.ok++
  }
  return {
    second: index,
    activeUsers: 10,
    counters,
    histogram,
  }
}

describe('a breaking-point search with a warm-up', () => {
  // a cold first second (2 s), then 10 ms
  const seconds = [
    second(0, 2000),
    ...[1, 2, 3, 4, 5].map(index => second(index, 10)),
  ]

  it('judges the first step on its seconds after the warm-up: a cold start does not break it', () => {
    let broke = false
    const watcher = new StepWatcher(spec, 'GET /x', () => broke = true, 1)
    seconds.forEach(interval => watcher.onInterval(interval))
    const result = watcher.result()!
    expect(broke).toBe(false)
    expect(result.steps.map(step => [step.startSecond, step.durationMs, step.requests])).toEqual([
      [1, 2000, 20],
      [3, 3000, 30],
    ])
    expect(result.steps[0]!.throughputPerSec).toBe(10)
  })

  it('control: without it, the cold second breaks the first step', () => {
    let broke = false
    const watcher = new StepWatcher(spec, 'GET /x', () => broke = true)
    seconds.forEach(interval => watcher.onInterval(interval))
    expect(broke).toBe(true)
    expect(watcher.result()!.brokeAt).toMatchObject({ index: 0, startSecond: 0, durationMs: 3000 })
  })
})
