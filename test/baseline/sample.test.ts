import { describe, expect, it } from 'vitest'
import { baselineWarmupSeconds, MAX_DEFAULT_WARMUP_SECONDS, MAX_INTERVALS, sampleOf } from '../../src/baseline/sample.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** HDR reads a bucket's top, within 0.1 %: 95.039 for 95. */
function ms(list: readonly (number | null)[]): (number | null)[] {
  return list.map(value => value === null
    ? null
    : Math.round(value))
}

describe('what a baseline keeps of a run', () => {
  it('reads per-second p50/p95/p99, throughput and error rate from the timeline\'s histograms, after the warm-up', () => {
    // second s: 100 responses of (s + 1) × 1…100 ms; second 2 also has 25 errors; second 0 is the
    // default warm-up of a 5 s run, left out
    const run = recordRun([
      ...[0, 1, 2, 3, 4].flatMap(second => responses(100, second + 1, { second })),
      ...responses(25, 1, { second: 2, status: 500, ok: false }),
    ])
    const sample = sampleOf(run, '1 user for 5 s')
    expect(sample.load).toBe('1 user for 5 s')
    expect(sample.requests).toBe(525)
    expect(sample.intervalSeconds).toBe(1)
    expect(ms(sample.intervals.p95Ms.slice(0, 2))).toEqual([190, 282])
    expect(ms(sample.intervals.p50Ms)[0]).toBe(100)
    // successes a second: the 25 errors of second 2 are attempts, not throughput
    expect(sample.intervals.throughputPerSec).toEqual([100, 100, 100, 100])
    expect(sample.intervals.errorRate).toEqual([0, 0.2, 0, 0])
    // the whole-run figures of the same seconds: 400 successes over 4 s, 25 errors of 425
    expect(sample.summary.throughputPerSec).toBe(100)
    expect(sample.summary.errorRate).toBe(25 / 425)
    expect(sample.summary.p95Ms).toBeLessThan(run.latency.p95Ms + 100)
    expect(sample.summary.p50Ms).toBeGreaterThan(run.latency.p50Ms)
  })

  it(`leaves out the first tenth of a run without a warm-up, from 1 to ${MAX_DEFAULT_WARMUP_SECONDS} s, and exactly a run's own warm-up`, () => {
    const seconds = (count: number) => recordRun(Array.from({ length: count }, (_, second) => responses(10, 1, { second })).flat()).timeline
    expect(baselineWarmupSeconds(seconds(2))).toBe(0)
    expect(baselineWarmupSeconds(seconds(5))).toBe(1)
    expect(baselineWarmupSeconds(seconds(30))).toBe(3)
    expect(baselineWarmupSeconds(seconds(120))).toBe(5)
    // a run with a warm-up of 2 s marks its points: that is what is left out, however long the run
    const marked = seconds(120).map(point => point.second < 2
      ? { ...point, warmup: true as const }
      : point)
    expect(baselineWarmupSeconds(marked)).toBe(2)
  })

  it('keeps null for a second without responses, so it is left out rather than read as 0 ms', () => {
    // second 0 is the warm-up
    const run = recordRun([
      ...responses(10, 1, { second: 0 }),
      ...responses(10, 1, { second: 1 }),
      {
        second: 2,
        error: { kind: 'network', message: 'ECONNRESET' },
      },
      ...responses(10, 1, { second: 3 }),
    ])
    const sample = sampleOf(run, 'x')
    expect(ms(sample.intervals.p95Ms)).toEqual([10, null, 10])
    expect(sample.intervals.errorRate).toEqual([0, 1, 0])
  })

  it(`merges the seconds of a long run into at most ${MAX_INTERVALS} intervals: 150 s less a 5 s warm-up make 48 of 3 s`, () => {
    const run = recordRun(Array.from({ length: 150 }, (_, second) => responses(4, second + 1, { second })).flat())
    const sample = sampleOf(run, 'x')
    expect(sample.intervalSeconds).toBe(3)
    // 145 s in 3 s groups: 48, and the last single second joins the one before
    expect(sample.intervals.p95Ms).toHaveLength(48)
    // seconds 5–7 hold 6–24, 7–28 and 8–32 ms: the merged p95 is 32 ms
    expect(ms(sample.intervals.p95Ms)[0]).toBe(32)
    expect(sample.intervals.throughputPerSec[0]).toBe(4)
  })
})
