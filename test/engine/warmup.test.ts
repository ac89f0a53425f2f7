import type { RequestListener } from 'node:http'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

/**
 * A server with a cold start: for 600 ms after its first request it answers in 150 ms (caches
 * filling, a JIT warming up), then in 5 ms. With 4 users the slow answers end before 1 s.
 */
function coldStart(): RequestListener {
  let firstAt: number | undefined
  return (_req, res) => {
    const now = performance.now()
    firstAt ??= now
    setTimeout(() => res.end('ok'), now - firstAt < 600
      ? 150
      : 5)
  }
}

describe('a warm-up against a server with a cold start', () => {
  it('warmup \'1s\': the slow first second is sent and marked in the timeline, but no matcher sees it', async () => {
    const server = await startServer(coldStart())
    const run = await runLoad({
      target: server.url,
      load: { users: 4, duration: '3s' },
      workers: 1,
      warmup: '1s',
    })

    expect(run.latency.maxMs).toBeLessThan(100)
    expect(run).toHaveP99Below('100ms')
    expect(run.warmup?.durationMs).toBe(1000)
    expect(run.warmup!.totals.requests).toBeGreaterThanOrEqual(16)
    // every request counted somewhere: the warm-up's apart, the rest in the totals
    expect(run.warmup!.totals.requests + run.totals.requests).toBe(server.requests())
    // the last point may be the partial tail of requests still in flight at 3 s
    const [first, ...rest] = run.timeline.map(point => point.warmup ?? false)
    expect(first).toBe(true)
    expect(rest).not.toContain(true)
    expect(rest.length).toBeGreaterThanOrEqual(2)
    expect(run.timeline[0]!.p95Ms).toBeGreaterThan(140)
    // over the 2 s after the warm-up
    expect(run.throughputPerSec).toBeCloseTo(run.totals.ok / ((run.durationMs - 1000) / 1000), 6)
  })

  it('control: without it, the cold start is in the figures', async () => {
    const server = await startServer(coldStart())
    const run = await runLoad({
      target: server.url,
      load: { users: 4, duration: '3s' },
      workers: 1,
    })

    expect(run.latency.maxMs).toBeGreaterThan(140)
    expect(run.warmup).toBeNull()
    expect(run.totals.requests).toBe(server.requests())
  })
})
