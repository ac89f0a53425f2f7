import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { droppedByGenerator } from '../../src/metrics/generator-health.js'
import { describeGeneratorHealth } from '../../src/report/generator-health.js'
import { cpuServer, noisyNeighbour } from '../helpers/cpu-target.js'
import { cleanedAfterEach } from '../helpers/processes.js'
import { delayed, fixed, freezing, startServer } from '../helpers/server.js'

describe('the open model against servers with known behaviour', () => {
  it.each([100, 1000, 5000])('sends %i req/s for 2 s, counted at the server within 1 %, or says it fell behind', async (rate) => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { rate, duration: '2s' },
      workers: 2,
    })

    // the workers, the server and the test thread share 2 cores: a stall of the machine can leave
    // 5,000/s short (CI saw 84 % sent, timers 570 ms late). Then the run must say so; else deliver.
    if (server.requests() < rate * 2 * 0.99)
      expect(run.generatorHealth.saturated, `${server.requests()} of ${rate * 2} sent`).toBe(true)
    expect(server.requests()).toBeLessThanOrEqual(rate * 2)
    expect(run.totals.requests + run.droppedArrivals).toBe(rate * 2)
    // the last arrival is due just before 2 s; its response may come later on a busy machine
    expect(run.durationMs).toBeGreaterThanOrEqual(1990)
    expect(run.durationMs).toBeLessThan(2000 + 2000)
  })

  it('makes exactly 333 arrivals at 333/s for 1 s over 3 workers', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { rate: '333/s', duration: '1s', maxUsers: 30 },
      workers: 3,
    })

    expect(server.requests() + run.droppedArrivals).toBe(333)
    expect(run.totals.requests).toBe(server.requests())
  })

  it('a server that freezes for 500 ms every 5 s shows it in p99 at a fixed rate, and a closed loop hides it', async () => {
    const openServer = await startServer(freezing({ freezeMs: 500, everyMs: 5000, firstAfterMs: 2000 }))
    const open = await runLoad({
      target: openServer.url,
      load: { rate: 200, duration: '5s' },
      workers: 2,
    })

    const closedServer = await startServer(freezing({ freezeMs: 500, everyMs: 5000, firstAfterMs: 2000 }))
    const closed = await runLoad({
      target: closedServer.url,
      load: { users: 10, duration: '5s' },
      workers: 2,
    })

    // ~100 of the 1,000 arrivals fall in the freeze and wait up to 500 ms: the top 1 % waits > 300 ms
    expect(open.latency.p99Ms).toBeGreaterThanOrEqual(300)
    expect(open.droppedArrivals).toBe(0)
    expect(open.totals.requests).toBe(1000)
    // the closed loop's 10 users each wait once, and the other thousands of requests are fast
    expect(closed.latency.p99Ms).toBeLessThan(100)
    expect(closed.latency.maxMs).toBeGreaterThanOrEqual(300)
  }, 60_000)

  it('counts arrivals that find no free user: 2 users at 50 ms serve at most 40 of 100 req/s', async () => {
    const server = await startServer(delayed(50))

    const run = await runLoad({
      target: server.url,
      load: { rate: 100, duration: '1s', maxUsers: 2 },
      workers: 1,
    })

    expect(run.totals.requests + run.droppedArrivals).toBe(100)
    expect(run.totals.requests).toBe(server.requests())
    expect(run.totals.requests).toBeLessThanOrEqual(2 * 1000 / 50 + 2)
    expect(run.droppedArrivals).toBeGreaterThanOrEqual(100 - (2 * 1000 / 50 + 2))
    expect(run.timeline.reduce((sum, point) => sum + point.droppedArrivals, 0)).toBe(run.droppedArrivals)
    expect(run.latency.minMs).toBeGreaterThanOrEqual(50)
  })

  it('measures latency from the intended start and service time from the send', async () => {
    const server = await startServer(delayed(20))

    const run = await runLoad({
      target: server.url,
      load: { rate: 50, duration: '1s' },
      workers: 1,
    })

    expect(run.serviceTime.count).toBe(50)
    expect(run.serviceTime.minMs).toBeGreaterThanOrEqual(20)
    // latency also counts the wait from the arrival's place on the clock to the send
    expect(run.latency.p50Ms).toBeGreaterThanOrEqual(run.serviceTime.p50Ms)
    expect(run.latency.maxMs).toBeGreaterThanOrEqual(run.serviceTime.maxMs)
  })

  it('ramps the rate from 0 to 200/s over 1 s, then holds it for 1 s: 100 + 200 arrivals', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: {
        stages: [
          { duration: '1s', rate: 200 },
          { duration: '1s', rate: 200 },
        ],
      },
      workers: 2,
    })

    expect(server.requests()).toBe(300)
    // the timeline counts responses by the second they ended in: one may cross into the next
    const [first, second] = run.timeline.map(point => point.requests)
    expect(first).toBeGreaterThanOrEqual(95)
    expect(first).toBeLessThanOrEqual(100)
    expect(first! + second!).toBeGreaterThanOrEqual(295)
    expect(run.model).toBe('ramping 0 → 200 req/s over 2 s, up to 200 users')
  })
})

describe('ramping users', () => {
  it('runs 0 → 6 users over 1 s, holds 6 for 2 s, then ramps to 0: the timeline shows them', async () => {
    const server = await startServer(delayed(10))

    const run = await runLoad({
      target: server.url,
      load: {
        stages: [
          { duration: '1s', users: 6 },
          { duration: '2s', users: 6 },
          { duration: '1s', users: 0 },
        ],
      },
      workers: 2,
    })

    // each point is read at a second's end: on the ramps a tick of 20 ms may lag by one user
    const active = run.timeline.map(point => point.activeUsers)
    expect(active[0]).toBeGreaterThanOrEqual(5)
    expect(active[1]).toBe(6)
    expect(active[2]).toBeGreaterThanOrEqual(5)
    expect(active[3]).toBe(0)
    expect(run.users).toBe(6)
    expect(run.model).toBe('ramping 0 → 6 → 0 users over 4 s')
    expect(run.totals.errors.total).toBe(0)
  })

  it('cancels a request that outlives load.gracefulStop after the last stage', async () => {
    const server = await startServer(delayed(2000))
    const started = performance.now()

    const run = await runLoad({
      target: server.url,
      load: {
        stages: [
          { duration: '500ms', users: 2 },
        ],
        startUsers: 2,
        gracefulStop: '300ms',
      },
      workers: 1,
      // its cancelled requests are the point, not a fault
      errorBudget: false,
    })

    expect(run.totals.requests).toBe(2)
    expect(run.totals.errors.network).toBe(2)
    expect(Object.keys(run.totals.errorMessages).join()).toContain('load.gracefulStop')
    expect(performance.now() - started).toBeLessThan(2000 + 1500)
  })
})

const { started } = cleanedAfterEach()

describe('the open model watching its own schedule', () => {
  const sum = (run: Awaited<ReturnType<typeof runLoad>>, key: 'arrivals' | 'dropped' | 'droppedLate'): number =>
    run.generatorHealth.workers.reduce((total, worker) => total + worker[key], 0)

  it('a generator that stalls 40 ms every 40 arrivals drops arrivals late, and the run says it was saturated by them', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      scenario: new URL('../fixtures/scenarios/stalls-generator.scenario.ts', import.meta.url),
      load: { rate: 400, duration: '2s', maxUsers: 8 },
      workers: 1,
    })

    expect(sum(run, 'arrivals')).toBe(800)
    expect(sum(run, 'dropped')).toBe(run.droppedArrivals)
    // about 7 of the 16 arrivals due in each stall are dropped late, 20 stalls: far above 0.1 %
    expect(sum(run, 'droppedLate')).toBeGreaterThanOrEqual(20)
    expect(sum(run, 'droppedLate') * 2).toBeGreaterThan(sum(run, 'dropped'))
    expect(run.generatorHealth.workers[0]!.scheduleSlipMaxMs).toBeGreaterThanOrEqual(30)
    expect(run.generatorHealth.saturated).toBe(true)
    expect(describeGeneratorHealth(run.generatorHealth)!.figures).toMatch(/schedule slip p99 [\d.]+ m?s · [\d,]+ arrivals dropped late \(/)
  })

  it('a stalling generator on a ramp over 2 workers still makes every arrival of the schedule, dropped or sent', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      scenario: new URL('../fixtures/scenarios/stalls-generator.scenario.ts', import.meta.url),
      load: {
        stages: [
          { duration: '1s', rate: 400 },
          { duration: '1s', rate: 400 },
        ],
        maxUsers: 8,
      },
      workers: 2,
    })

    // 200 on the ramp, 400 held
    expect(sum(run, 'arrivals')).toBe(600)
    expect(run.totals.requests + run.droppedArrivals).toBe(600)
    expect(sum(run, 'droppedLate')).toBeGreaterThan(0)
  })

  it('control: the same rate and users without the stalls keeps its schedule, and is not called saturated', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { rate: 400, duration: '2s', maxUsers: 8 },
      workers: 1,
    })

    expect(sum(run, 'arrivals')).toBe(800)
    expect(run.generatorHealth.workers[0]!.scheduleSlipP99Ms).toBeLessThan(30)
    // the first arrivals may wait for connections to open: a few dropped, some late, under the 10 that count
    expect(sum(run, 'droppedLate')).toBeLessThan(10)
    expect(describeGeneratorHealth(run.generatorHealth)!.figures).toMatch(/schedule slip p99/)
    if (run.generatorHealth.cpu && run.generatorHealth.cpu.othersBusy < 0.25)
      expect(run.generatorHealth.saturated).toBe(false)
  })

  it('a slow target\'s drops are its own: 2 users at 50 ms, on time', async () => {
    const server = await startServer(delayed(50))

    const run = await runLoad({
      target: server.url,
      load: { rate: 100, duration: '1s', maxUsers: 2 },
      workers: 1,
    })

    expect(run.droppedArrivals).toBeGreaterThan(40)
    expect(sum(run, 'droppedLate') * 2).toBeLessThan(sum(run, 'dropped'))
    expect(run.generatorHealth.saturated).toBe(false)
  })

  it('a CPU-bound target in its own process, slower than the rate, beside a noisy neighbour: its drops are not the generator\'s', async () => {
    // about 10 ms of hashing a request: 2 users serve well under the 200/s asked
    const target = await cpuServer(started, 2000)
    noisyNeighbour(started)

    const run = await runLoad({
      target,
      load: { rate: 200, duration: '3s', maxUsers: 2 },
      workers: 1,
    })

    expect(run.droppedArrivals).toBeGreaterThan(100)
    expect(sum(run, 'droppedLate') * 2).toBeLessThan(sum(run, 'dropped'))
    expect(droppedByGenerator(run.generatorHealth.workers)).toBe(false)
    expect(run.generatorHealth.cause).not.toBe('generator')
  })

  it('the closed model has no schedule', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: { users: 1, iterations: 5 },
      workers: 1,
    })

    expect(run.generatorHealth.workers[0]).toMatchObject({
      scheduleSlipP99Ms: null,
      scheduleSlipMaxMs: null,
      arrivals: 0,
      dropped: 0,
      droppedLate: 0,
    })
    expect(describeGeneratorHealth(run.generatorHealth)!.figures).not.toMatch(/schedule/)
  })
})
