import type { ClosedInterval } from '../../src/metrics/merge.js'
import { describe, expect, it } from 'vitest'
import { runSpec } from '../../src/engine/controller.js'
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentileMs } from '../../src/metrics/histogram.js'
import { resolveSpec } from '../../src/run-load.js'
import { delayed, startServer } from '../helpers/server.js'

describe('a real run whose timeline may keep only 2 points', () => {
  it('merges its 5 seconds into points of 4 s whose figures equal the seconds they span', async () => {
    const server = await startServer(delayed(5))
    const spec = resolveSpec('GET /', {
      target: server.url,
      load: { users: 2, duration: '5s' },
      workers: 2,
    })
    // every closed second, as the live progress sees it: its counts and its histogram, copied
    const seconds: Array<{ second: number, requests: number, histogram: string }> = []
    const observer = {
      started: () => {},
      interval: (interval: ClosedInterval) => seconds.push({
        second: interval.second,
        requests: interval.counters.requests,
        histogram: encodeHistogram(interval.histogram),
      }),
    }

    const run = await runSpec(spec, { observer, timelinePoints: 2 })

    // 5 whole seconds and the last responses' few ms: a point of 0–4 s and one from 4 s
    expect(run.timeline.map(point => point.second)).toEqual([0, 4])
    expect(run.timeline[0]!.durationMs).toBe(4000)
    expect(run.timeline[1]!.durationMs).toBe(run.durationMs - 4000)
    expect(seconds.map(closed => closed.second)).toEqual(Array.from({ length: seconds.length }, (_, second) => second))
    expect(seconds.length).toBeGreaterThanOrEqual(5)
    for (const point of run.timeline) {
      const spanned = seconds.filter(closed => closed.second >= point.second && closed.second < point.second + 4)
      const exact = createLatencyHistogram()
      for (const closed of spanned)
        exact.add(decodeHistogram(closed.histogram))
      expect(point.requests).toBe(spanned.reduce((sum, closed) => sum + closed.requests, 0))
      expect([point.p50Ms, point.p95Ms, point.p99Ms]).toEqual([50, 95, 99].map(percentile => percentileMs(exact, percentile)))
      expect(decodeHistogram(point.histogram!).totalCount).toBe(exact.totalCount)
      // a 5 ms server: no point's median can be faster
      expect(point.p50Ms).toBeGreaterThanOrEqual(5)
    }
    expect(run.timeline.reduce((sum, point) => sum + point.requests, 0)).toBe(run.totals.requests)
    expect(run.totals.requests).toBe(server.requests())
  })
})
