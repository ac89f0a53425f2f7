import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { delayed, erroring, fixed, startServer } from '../helpers/server.js'
import { TOLERANCE } from '../helpers/tolerance.js'

describe('the closed model against servers with known behaviour', () => {
  it('a server that answers after 20 ms gives a p50 between 20 and 23 ms', async () => {
    const server = await startServer(delayed(20))

    const run = await runLoad({
      target: server.url,
      load: { users: 10, duration: '2s' },
      workers: 2,
    })

    expect(run.latency.minMs).toBeGreaterThanOrEqual(20)
    expect(run.latency.p50Ms).toBeGreaterThanOrEqual(20)
    expect(run.latency.p50Ms).toBeLessThanOrEqual(20 + TOLERANCE.medianOverheadMs)
    // 10 users, each at most one request per 20 ms, for 2 s
    expect(run.totals.requests).toBeLessThanOrEqual(10 * (2000 / 20) + 10)
    expect(run.totals.requests).toBe(server.requests())
  })

  it('a server that fails 10 % of requests with 500 gives an error rate of 10 % ± 2 %', async () => {
    const server = await startServer(erroring(1, 10))

    const run = await runLoad({
      target: server.url,
      load: { users: 4, duration: '1s' },
      workers: 2,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(run.errorRate).toBeGreaterThanOrEqual(0.1 - TOLERANCE.errorRateBand)
    expect(run.errorRate).toBeLessThanOrEqual(0.1 + TOLERANCE.errorRateBand)
    expect(run.totals.errors.http).toBe(run.totals.statusCodes['500'])
    expect(run.totals.errors.network + run.totals.errors.timeout).toBe(0)
    expect(run.totals.ok).toBe(run.totals.statusCodes['200'])
  })

  it('{ users: 5, iterations: 20 } makes exactly 100 requests, counted at the server too', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { users: 5, iterations: 20 },
      workers: 2,
    })

    expect(server.requests()).toBe(100)
    expect(run.totals.requests).toBe(100)
    expect(run.totals.ok).toBe(100)
    expect(run.latency.count).toBe(100)
  })

  it('7 users × 13 iterations over 3 workers makes exactly 91 requests', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { users: 7, iterations: 13 },
      workers: 3,
    })

    expect(server.requests()).toBe(91)
    expect(run.totals.requests).toBe(91)
    expect(run.workers).toBe(3)
  })

  it('load.rampUp starts the users evenly, across workers: 4 users over 2 s send their first requests 0.5 s apart', async () => {
    // the time of each connection's first request, one connection per user
    const firstRequestAt = new Map<object, number>()
    const server = await startServer((req, res) => {
      if (!firstRequestAt.has(req.socket))
        firstRequestAt.set(req.socket, performance.now())
      setTimeout(() => res.end('ok'), 10)
    })

    const run = await runLoad({
      target: server.url,
      load: { users: 4, duration: '3s', rampUp: '2s' },
      workers: 2,
    })

    const starts = [
      ...firstRequestAt.values(),
    ].sort((a, b) => a - b)
    expect(starts).toHaveLength(4)
    const offsets = starts.map(at => (at - starts[0]!) / 1000)
    for (const [index, offset] of offsets.entries())
      expect(Math.abs(offset - index * 0.5), `user ${index} started at ${offset.toFixed(3)} s (all: ${offsets.map(o => o.toFixed(3)).join(', ')} s)`).toBeLessThan(0.15)
    expect(run.model).toBe('4 users for 3 s, started over 2 s')
    expect(run.timeline[0]!.activeUsers).toBeLessThanOrEqual(3)
    expect(Math.max(...run.timeline.map(point => point.activeUsers))).toBe(4)
  })

  it('control: without rampUp, all 4 users send their first request at once', async () => {
    const firstRequestAt = new Map<object, number>()
    const server = await startServer((req, res) => {
      if (!firstRequestAt.has(req.socket))
        firstRequestAt.set(req.socket, performance.now())
      setTimeout(() => res.end('ok'), 10)
    })
    await runLoad({
      target: server.url,
      load: { users: 4, duration: '1s' },
      workers: 2,
    })
    const starts = [
      ...firstRequestAt.values(),
    ].sort((a, b) => a - b)
    expect(starts).toHaveLength(4)
    expect(starts.at(-1)! - starts[0]!).toBeLessThan(200)
  })

  it('load.spawnRate with iterations keeps the total exact: 3 users × 5 iterations, 2 users a second', async () => {
    const server = await startServer(fixed())
    const run = await runLoad({
      target: server.url,
      load: { users: 3, iterations: 5, spawnRate: 2 },
      workers: 2,
    })
    expect(server.requests()).toBe(15)
    expect(run.totals.requests).toBe(15)
    // the last user starts 1 s after the first
    expect(run.durationMs).toBeGreaterThanOrEqual(1000)
  })

  it('the timeline has a point per second with the users that were active', async () => {
    const server = await startServer(delayed(5))

    const run = await runLoad({
      target: server.url,
      load: { users: 3, duration: '2.5s' },
      workers: 1,
    })

    expect(run.timeline.map(point => point.second)).toEqual([0, 1, 2])
    expect(run.timeline[0]!.activeUsers).toBe(3)
    expect(run.timeline[1]!.activeUsers).toBe(3)
    expect(run.timeline.reduce((sum, point) => sum + point.requests, 0)).toBe(run.totals.requests)
    expect(run.timeline[0]!.p50Ms).toBeGreaterThanOrEqual(5)
    // the last point covers the half second that is left, plus the last responses
    expect(run.timeline[2]!.durationMs).toBeGreaterThan(400)
    expect(run.timeline[2]!.durationMs).toBeLessThan(1000)
    expect(run.durationMs).toBeGreaterThanOrEqual(2500)
    expect(run.durationMs).toBeLessThan(2500 + 200)
  })

  it('throughput is successful responses over the measured time, attempts beside it', async () => {
    const server = await startServer(delayed(10))

    const run = await runLoad({
      target: server.url,
      load: { users: 2, duration: '1s' },
      workers: 1,
    })

    expect(run.throughputPerSec).toBeCloseTo(run.totals.ok / (run.durationMs / 1000), 6)
    expect(run.attemptsPerSec).toBeCloseTo(run.totals.requests / (run.durationMs / 1000), 6)
    // two users, each at most 100 requests a second against a 10 ms server
    expect(run.throughputPerSec).toBeLessThanOrEqual(200)
    expect(run.throughputPerSec).toBeGreaterThan(100)
    // the worker reports on itself: a share of its time, measured (the verdict's rule is unit-tested)
    expect(run.generatorHealth.workers).toHaveLength(1)
    expect(run.generatorHealth.workers[0]!.meanUtilization).toBeGreaterThan(0)
    expect(run.generatorHealth.workers[0]!.meanUtilization).toBeLessThan(1)
  })
})
