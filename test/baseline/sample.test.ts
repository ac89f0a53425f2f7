import { describe, expect, it } from 'vitest'
import { MAX_INTERVALS, sampleOf } from '../../src/baseline/sample.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** HDR reads a bucket's top, within 0.1 %: 95.039 for 95. */
function ms(list: readonly (number | null)[]): (number | null)[] {
  return list.map(value => value === null
    ? null
    : Math.round(value))
}

describe('what a baseline keeps of a run', () => {
  it('reads per-second p50/p95/p99, throughput and error rate from the timeline\'s histograms', () => {
    // second s: 100 responses of (s + 1) × 1…100 ms; second 2 also has 25 errors
    const run = recordRun([
      ...[0, 1, 2, 3, 4].flatMap(second => responses(100, second + 1, { second })),
      ...responses(25, 1, { second: 2, status: 500, ok: false }),
    ])
    const sample = sampleOf(run, '1 user for 5 s')
    expect(sample.load).toBe('1 user for 5 s')
    expect(sample.requests).toBe(525)
    expect(sample.intervalSeconds).toBe(1)
    expect(ms(sample.intervals.p95Ms.slice(0, 2))).toEqual([95, 190])
    expect(ms(sample.intervals.p50Ms)[1]).toBe(100)
    // successes a second: the 25 errors of second 2 are attempts, not throughput
    expect(sample.intervals.throughputPerSec).toEqual([100, 100, 100, 100, 100])
    expect(sample.intervals.errorRate).toEqual([0, 0, 0.2, 0, 0])
    expect(sample.summary).toEqual({
      p50Ms: run.latency.p50Ms,
      p95Ms: run.latency.p95Ms,
      p99Ms: run.latency.p99Ms,
      throughputPerSec: run.throughputPerSec,
      errorRate: run.errorRate,
    })
  })

  it('keeps null for a second without responses, so it is left out rather than read as 0 ms', () => {
    const run = recordRun([
      ...responses(10, 1, { second: 0 }),
      {
        second: 1,
        error: { kind: 'network', message: 'ECONNRESET' },
      },
      ...responses(10, 1, { second: 2 }),
    ])
    const sample = sampleOf(run, 'x')
    expect(ms(sample.intervals.p95Ms)).toEqual([10, null, 10])
    expect(sample.intervals.errorRate).toEqual([0, 1, 0])
  })

  it(`merges the seconds of a long run into at most ${MAX_INTERVALS} intervals: 150 s make 50 of 3 s`, () => {
    const run = recordRun(Array.from({ length: 150 }, (_, second) => responses(4, second + 1, { second })).flat())
    const sample = sampleOf(run, 'x')
    expect(sample.intervalSeconds).toBe(3)
    expect(sample.intervals.p95Ms).toHaveLength(50)
    // seconds 0–2 hold 1–4, 2–8 and 3–12 ms: the merged p95 is 12 ms
    expect(ms(sample.intervals.p95Ms)[0]).toBe(12)
    expect(sample.intervals.throughputPerSec[0]).toBe(4)
  })
})
