import type { ClosedInterval } from '../../src/metrics/merge.js'
import type { StepsSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { StepWatcher } from '../../src/engine/steps.js'
import { createCounters } from '../../src/metrics/counters.js'
import { createLatencyHistogram } from '../../src/metrics/histogram.js'

/** One closed second: `ok` responses of `latencyMs` each, and `failed` refused connects. */
function second(index: number, latencyMs: number, ok = 10, failed = 0): ClosedInterval {
  const histogram = createLatencyHistogram()
  const counters = createCounters()
  for (let n = 0; n < ok; n++) {
    histogram.recordValue(latencyMs * 1000)
    counters.requests++
    counters.ok++
  }
  counters.requests += failed
  counters.networkErrors += failed
  return {
    second: index,
    activeUsers: 10,
    counters,
    histogram,
    droppedArrivals: 0,
  }
}

function search(until: StepsSpec['until'], condition: string): StepsSpec {
  return {
    by: 'users',
    levels: [10, 20, 30],
    durationsMs: [2000, 2000, 2000],
    until,
    condition,
  }
}

function watch(spec: StepsSpec, seconds: ClosedInterval[]): { watcher: StepWatcher, broke: number } {
  let broke = 0
  const watcher = new StepWatcher(spec, 'GET /x', () => broke++)
  seconds.forEach(interval => watcher.onInterval(interval))
  return { watcher, broke }
}

describe('stepWatcher', () => {
  it('a step test: every level measured on its own seconds, none judged', () => {
    const spec: StepsSpec = {
      by: 'users',
      levels: [10, 20],
      durationsMs: [2000, 2000],
      until: null,
      condition: null,
    }
    const { watcher, broke } = watch(spec, [
      second(0, 10),
      second(1, 10),
      second(2, 40, 10, 5),
      second(3, 40),
    ])
    expect(broke).toBe(0)
    expect(watcher.result()).toBeNull()
    const [first, next] = watcher.steps()
    expect(first).toMatchObject({
      name: 'GET /x · 10 users',
      index: 0,
      by: 'users',
      level: 10,
      startSecond: 0,
      durationMs: 2000,
      requests: 20,
      errors: 0,
      errorRate: 0,
      throughputPerSec: 10,
      attemptsPerSec: 10,
      tripped: [],
    })
    expect(first!.latency.p50Ms).toBeCloseTo(10, 1)
    expect(next).toMatchObject({
      name: 'GET /x · 20 users',
      requests: 25,
      errors: 5,
      errorRate: 0.2,
      throughputPerSec: 10,
      attemptsPerSec: 12.5,
    })
    expect(next!.totals.errors).toEqual({
      total: 5,
      http: 0,
      network: 5,
      timeout: 0,
    })
    expect(next!.timeline.map(point => [point.second, point.requests, point.errors])).toEqual([
      [2, 15, 5],
      [3, 10, 0],
    ])
    expect(next!.latency.p50Ms).toBeCloseTo(40, 0)
  })

  it('a search says what broke a step in numbers: mean 100.1 ms > 100 ms', () => {
    const { watcher, broke } = watch(search({ meanAboveMs: 100 }, 'mean > 100 ms'), [
      second(0, 50),
      second(1, 50),
      second(2, 100.1),
      second(3, 100.1),
      // after the break nothing counts
      second(4, 900),
      second(5, 900),
    ])
    expect(broke).toBe(1)
    const result = watcher.result()!
    expect(result.brokeAt?.level).toBe(20)
    // three digits would read 100 ms > 100 ms
    expect(result.brokeAt?.tripped).toEqual(['mean 100.1 ms > 100 ms'])
    expect(result.lastGood?.level).toBe(10)
    expect(watcher.steps()).toHaveLength(2)
  })

  it('an error rate just above its limit reads above it', () => {
    // 251 failed of 25,000: 1.004 %, which three digits would show as 1 %
    const { watcher } = watch(search({ errorRateAbove: 0.01 }, 'error rate > 1 %'), [
      second(0, 5, 12_374, 126),
      second(1, 5, 12_375, 125),
    ])
    expect(watcher.result()!.brokeAt?.tripped).toEqual(['error rate 1.004 % > 1 %'])
  })

  it('a check says why in its own words, or `true` and the figures it saw; false and \'\' hold', () => {
    const seconds = [
      second(0, 10),
      second(1, 10),
      second(2, 30),
      second(3, 30),
    ]
    const worded = watch(search({
      check: step => step.latency.p90Ms > 20 && `p90 ${Math.round(step.latency.p90Ms)} ms > 20 ms`,
    }, 'check(step)'), seconds)
    expect(worded.watcher.result()!.brokeAt?.tripped).toEqual(['p90 30 ms > 20 ms'])
    const bare = watch(search({
      check: step => step.level === 20,
    }, 'check(step)'), seconds)
    expect(bare.watcher.result()!.brokeAt?.tripped).toEqual([
      expect.stringMatching(/^check\(step\) at mean 30(\.\d+)? ms, p95 30(\.\d+)? ms, 0 % errors, 10 req\/s$/),
    ])
    const held = watch(search({
      check: () => '',
    }, 'check(step)'), seconds)
    expect(held.broke).toBe(0)
    expect(held.watcher.result()!.lastGood?.level).toBe(20)
  })
})
