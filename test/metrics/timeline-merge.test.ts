import type { EndpointResult } from '../../src/metrics/summary.js'
import type { SyntheticRun } from './synthetic-run.js'
import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, decodeHistogram, percentileMs, summarizeLatency } from '../../src/metrics/histogram.js'
import { MAX_SERIES_POINTS, MAX_TIMELINE_POINTS } from '../../src/metrics/merge.js'
import { endpointName, fedHistogram, pointHistogram, syntheticRun } from './synthetic-run.js'

/** What was fed over the seconds of one point, for one endpoint or all (`null`). */
function fedCounts(synthetic: SyntheticRun, name: string | null, from: number, to: number): { requests: number, errors: number } {
  let requests = 0
  let errors = 0
  for (const bySecond of synthetic.fed.slice(from, to)) {
    for (const [endpoint, entry] of bySecond) {
      if (name === null || endpoint === name) {
        requests += entry.requests
        errors += entry.errors
      }
    }
  }
  return { requests, errors }
}

/** Every point of `result`'s timeline against an exact merge of the seconds it spans. */
function expectExactPoints(synthetic: SyntheticRun, result: EndpointResult, name: string | null, width: number): void {
  result.timeline.forEach((point, index) => {
    expect(point.second).toBe(index * width)
    const to = point.second + width
    const exact = fedHistogram(synthetic, name, point.second, to)
    expect([point.p50Ms, point.p95Ms, point.p99Ms]).toEqual([50, 95, 99].map(percentile => percentileMs(exact, percentile)))
    expect(pointHistogram(point.histogram).totalCount).toBe(exact.totalCount)
    expect({ requests: point.requests, errors: point.errors }).toEqual(fedCounts(synthetic, name, point.second, to))
  })
}

describe('a run longer than the timeline\'s limit', () => {
  // 1,000 s with at most 8 points: the width doubles 7 times, to 128 s (8 points, the last cut short)
  const synthetic = syntheticRun({
    seconds: 1000,
    endpoints: 3,
    workers: 2,
    timelinePoints: 8,
  })
  const { run } = synthetic

  it('keeps at most 8 points at any time, 128 s each after 7 doublings', () => {
    expect(synthetic.mostPoints).toBeLessThanOrEqual(8)
    expect(run.timeline.map(point => point.second)).toEqual([0, 128, 256, 384, 512, 640, 768, 896])
    expect(run.timeline.map(point => point.durationMs)).toEqual([
      ...Array.from({ length: 7 }).fill(128_000),
      103_600,
    ])
    for (const endpoint of run.endpoints)
      expect(endpoint.timeline.map(point => point.second)).toEqual(run.timeline.map(point => point.second))
  })

  it('gives each merged point the exact percentiles and counts of the seconds it spans', () => {
    expectExactPoints(synthetic, run, null, 128)
    for (let endpoint = 0; endpoint < 3; endpoint++)
      expectExactPoints(synthetic, run.endpoint(endpointName(endpoint)), endpointName(endpoint), 128)
  })

  it('loses nothing: the points add up to the totals fed, requests, errors and dropped arrivals', () => {
    const fed = fedCounts(synthetic, null, 0, 1000)
    expect(run.totals.requests).toBe(fed.requests)
    expect(run.totals.errors.http).toBe(fed.errors)
    expect(run.timeline.reduce((sum, point) => sum + point.requests, 0)).toBe(fed.requests)
    expect(run.timeline.reduce((sum, point) => sum + point.errors, 0)).toBe(fed.errors)
    // 1 arrival dropped every odd second by each of the 2 workers
    expect(run.timeline.reduce((sum, point) => sum + point.droppedArrivals, 0)).toBe(1000)
    expect(run.droppedArrivals).toBe(1000)
  })

  it('merges the points\' histograms into the whole run\'s, equal to the exact merge of every second', () => {
    const fromPoints = createLatencyHistogram()
    for (const point of run.timeline)
      fromPoints.add(pointHistogram(point.histogram))
    const exact = fedHistogram(synthetic, null, 0, 1000)
    expect(summarizeLatency(fromPoints)).toEqual(summarizeLatency(exact))
    expect(run.latency).toEqual(summarizeLatency(exact))
    expect(summarizeLatency(decodeHistogram(run.histogram))).toEqual(summarizeLatency(exact))
  })

  it('gives a merged point the most users of its seconds', () => {
    run.timeline.forEach((point) => {
      expect(point.activeUsers).toBe(Math.max(...synthetic.users.slice(point.second, point.second + 128)))
    })
  })
})

describe('the timeline\'s limit', () => {
  it('keeps one point a second up to the limit: 8 seconds, 8 points', () => {
    const { run } = syntheticRun({ seconds: 8, endpoints: 1, timelinePoints: 8 })
    expect(run.timeline.map(point => point.second)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('merges pairs at the ninth second: points of 2 s, the last one 600 ms', () => {
    const synthetic = syntheticRun({ seconds: 9, endpoints: 1, timelinePoints: 8 })
    expect(synthetic.run.timeline.map(point => [point.second, point.durationMs])).toEqual([
      [0, 2000],
      [2, 2000],
      [4, 2000],
      [6, 2000],
      [8, 600],
    ])
    expectExactPoints(synthetic, synthetic.run, null, 2)
  })

  it('keeps every second of a 10-minute run by default, and at most 600 points of a longer one', () => {
    expect(MAX_TIMELINE_POINTS).toBe(600)
    const short = syntheticRun({ seconds: 600, endpoints: 1 })
    expect(short.run.timeline).toHaveLength(600)
    const longer = syntheticRun({ seconds: 601, endpoints: 1 })
    expect(longer.run.timeline).toHaveLength(301)
    expect(longer.run.timeline[1]!.second).toBe(2)
  })

  it('counts seconds without any snapshot inside merged points: 0 requests there, the rest exact', () => {
    const synthetic = syntheticRun({
      seconds: 40,
      endpoints: 2,
      timelinePoints: 4,
      silent: second => second >= 12 && second < 26,
    })
    const { run } = synthetic
    // 40 s in at most 4 points: 16 s each; seconds 16–23 fall inside the second point
    expect(run.timeline.map(point => point.second)).toEqual([0, 16, 32])
    expectExactPoints(synthetic, run, null, 16)
    expect(run.timeline.reduce((sum, point) => sum + point.requests, 0)).toBe(run.totals.requests)
  })

  it('keeps a point with no snapshot at all without a histogram, as a single empty second is', () => {
    const { run } = syntheticRun({
      seconds: 40,
      endpoints: 1,
      timelinePoints: 8,
      silent: second => second >= 8 && second < 16,
    })
    expect(run.timeline.map(point => point.second)).toEqual([0, 8, 16, 24, 32])
    expect(run.timeline[1]).toMatchObject({ requests: 0, p99Ms: 0, activeUsers: 0 })
    expect(run.timeline[1]!.histogram).toBeUndefined()
  })

  it(`keeps fewer points when many endpoints appear: 110 endpoints, at most ${Math.floor(MAX_SERIES_POINTS / 111)} points`, () => {
    // one endpoint a second, each a new name, so the series grow as the run goes on
    const { run } = syntheticRun({
      seconds: 220,
      endpoints: 110,
      endpointsIn: second => [second % 110],
    })
    expect(run.endpoints).toHaveLength(110)
    expect(run.timeline.length).toBeLessThanOrEqual(Math.floor(MAX_SERIES_POINTS / 111))
    expect(run.timeline.reduce((sum, point) => sum + point.requests, 0)).toBe(run.totals.requests)
  })
})
