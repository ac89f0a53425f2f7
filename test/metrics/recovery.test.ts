import type { Sample } from './record-run.js'
import { describe, expect, it } from 'vitest'
import { assessRecovery, describeRecovery } from '../../src/metrics/recovery.js'
import { recordRun } from './record-run.js'

/** 20 answers a second of `latencyMs` in each second listed, and `errors` refused connects in it. */
function seconds(latencies: number[], errorsAt: Record<number, number> = {}): Sample[] {
  return latencies.flatMap((latencyMs, second) => [
    ...Array.from({ length: 20 }, () => ({ second, latencyMs })),
    ...Array.from({ length: errorsAt[second] ?? 0 }, () => ({
      second,
      error: { kind: 'network' as const, message: 'ECONNREFUSED' },
    })),
  ])
}

/** A spike of 2 s before, 1 s at the peak and 4 s after, with these latencies a second. */
function spike(latencies: number[], errorsAt: Record<number, number> = {}) {
  return recordRun(seconds(latencies, errorsAt), {
    stepsSpec: {
      by: 'users',
      levels: [2, 20, 2],
      durationsMs: [2000, 1000, 4000],
      phases: ['before', 'peak', 'after'],
      until: null,
      condition: null,
    },
  })
}

describe('assessRecovery', () => {
  it('finds the first second after the peak from which every second is back under the limit', () => {
    // 20 ms before; 300 at the peak; then 200, 90, 24, 21
    const run = spike([20, 20, 300, 200, 90, 24, 21])
    expect(run.steps.map(step => [
      step.phase,
      step.level,
      step.startSecond,
      step.durationMs,
    ])).toEqual([
      ['before', 2, 0, 2000],
      ['peak', 20, 2, 1000],
      ['after', 2, 3, 4000],
    ])
    expect(run.recovery).toMatchObject({
      tolerance: 0.5,
      recoveredAfterMs: 2000,
      afterMs: 4000,
    })
    expect(run.recovery?.beforeP95Ms).toBeCloseTo(20, 1)
    expect(run.recovery?.limitP95Ms).toBeCloseTo(30, 1)
    expect(describeRecovery(run.recovery!)).toBe('back 2 s after the peak (p95 under 30 ms, 20 ms before it +50 %, and no errors)')
  })

  it('a second back, then one that is not: recovery starts after the last bad second, and errors count as not back', () => {
    expect(spike([20, 20, 300, 22, 90, 22, 21]).recovery?.recoveredAfterMs).toBe(2000)
    expect(spike([20, 20, 300, 22, 22, 22, 21], { 4: 1 }).recovery?.recoveredAfterMs).toBe(2000)
    expect(spike([20, 20, 300, 22, 22, 22, 22]).recovery?.recoveredAfterMs).toBe(0)
  })

  it('a target still slow at the end never recovered, and says what its last second was', () => {
    const run = spike([20, 20, 300, 300, 250, 200, 180], { 6: 3 })
    expect(run.recovery?.recoveredAfterMs).toBeNull()
    expect(describeRecovery(run.recovery!)).toBe('not back within the 4 s after the peak: its last second had p95 180 ms and 3 errors (the limit: p95 under 30 ms, 20 ms before it +50 %, and no errors)')
  })

  it('a fast service gets 5 ms of slack, and the tolerance is the caller\'s to set', () => {
    const fast = spike([2, 2, 50, 6, 6, 6, 6])
    expect(fast.recovery?.limitP95Ms).toBeCloseTo(7, 1)
    expect(fast.recovery?.recoveredAfterMs).toBe(0)
    expect(describeRecovery(fast.recovery!)).toContain('p95 under 7 ms, 2 ms before it +50 % (5 ms at least)')
    expect(assessRecovery(spike([20, 20, 300, 28, 28, 28, 28]).steps, 0.2)?.recoveredAfterMs).toBeNull()
  })

  it('no spike, no recovery', () => {
    expect(recordRun(seconds([5, 5])).recovery).toBeNull()
  })
})
