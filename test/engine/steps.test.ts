import type { LoadStep } from '../../src/index.js'
import { describe, expect, it } from 'vitest'
import { runLoad, UnknownStepError } from '../../src/index.js'
import { verdictsOf } from '../../src/metrics/verdicts.js'
import { cpuServer, noisyNeighbour } from '../helpers/cpu-target.js'
import { cleanedAfterEach } from '../helpers/processes.js'
import { delayed, fixed, kneeAt, startServer } from '../helpers/server.js'

const { started } = cleanedAfterEach()

/** Little's law for a closed model: users ≈ responses a second × mean latency (s), within `share`. */
function expectLittlesLaw(step: LoadStep, share: number): void {
  const users = step.attemptsPerSec * step.latency.meanMs / 1000
  expect(Math.abs(users - step.level) / step.level, `${step.name}: ${users.toFixed(2)} users by Little's law`).toBeLessThan(share)
}

describe('the breaking-point search', () => {
  it('finds within one step the knee of a server that slows past 12 requests in flight', async () => {
    const server = await startServer(kneeAt(12, 5, 150))

    const run = await runLoad({
      target: server.url,
      load: {
        breakingPoint: {
          users: { start: 4, step: 4, max: 40 },
          stepDuration: '1s',
          until: { p95Above: '100ms' },
        },
      },
      workers: 2,
    })

    const search = run.breakingPoint!
    expect(search.by).toBe('users')
    expect(search.condition).toBe('p95 > 100 ms')
    // 12 users keep at most 12 in flight: fast; 16 cannot
    expect(search.lastGood?.level).toBe(12)
    expect(search.brokeAt?.level).toBe(16)
    expect(search.brokeAt?.tripped[0]).toMatch(/^p95 1\d\d(\.\d+)? ms > 100 ms$/)
    expect(search.steps.map(step => step.level)).toEqual([4, 8, 12, 16])
    expect(search.steps.every((step, index) => step.startSecond === index)).toBe(true)
    // the search stopped at the break instead of running all 10 steps
    expect(run.durationMs).toBeLessThan(7000)
    expect(run.totals.errors.total).toBe(0)
    expect(run).toSustainUsers(12)
    expect(() => expect(run).toSustainUsers(16)).toThrow('expected the users sustained of "GET /" to be at least 16 users, but it was 12 users: it broke at 16 users (p95')
  })

  it('steps the rate of the open model and runs every step when nothing breaks', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: {
        breakingPoint: {
          rate: { start: 50, step: 50, max: 150 },
          stepDuration: '1s',
          until: {
            errorRateAbove: 0.01,
            check: step => step.requests === 0,
          },
        },
      },
      workers: 2,
    })

    const search = run.breakingPoint!
    expect(search.brokeAt).toBeNull()
    expect(search.steps.map(step => step.level)).toEqual([50, 100, 150])
    // a step counts the answers that came in its seconds: the last arrival of a step may be
    // answered just after it, in the next step (or, for the last, in the run's tail)
    for (const step of search.steps) {
      expect(step.requests).toBeGreaterThanOrEqual(step.level - 1)
      expect(step.requests).toBeLessThanOrEqual(step.level + 1)
    }
    expect(run.totals.requests).toBe(300)
    expect(search.lastGood?.level).toBe(150)
    expect(search.condition).toBe('error rate > 1 % or check(step)')
    expect(server.requests()).toBe(300)
    expect(run).toSustainRate(150)
    expect(() => expect(run).toSustainUsers(1)).toThrow('toSustainUsers() needs the run of a breaking-point search that steps users, got one that steps rate')
  })

  it('stops at the first step the custom check rejects, and a check that throws fails the run', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: {
        breakingPoint: {
          users: { start: 1, step: 1, max: 5 },
          stepDuration: '1s',
          until: {
            check: step => step.level >= 2,
          },
        },
      },
      workers: 1,
    })
    expect(run.breakingPoint?.brokeAt?.level).toBe(2)
    // a check that says only `true`: the figures it saw
    expect(run.breakingPoint?.brokeAt?.tripped).toEqual([
      expect.stringMatching(/^check\(step\) at mean [\d.]+ [µm]s, p95 [\d.]+ [µm]s, 0 % errors, [\d.,]+ req\/s$/),
    ])
    expect(run.breakingPoint?.lastGood?.level).toBe(1)

    await expect(runLoad({
      target: server.url,
      load: {
        breakingPoint: {
          users: { start: 1, step: 1, max: 3 },
          stepDuration: '1s',
          until: {
            check: () => { throw new Error('my aggregate failed') },
          },
        },
      },
      workers: 1,
    })).rejects.toThrow('my aggregate failed')
  })
})

describe('the step test', () => {
  it('measures each level on its own: fast at 4 and 12 users, slow at 20, past the knee at 12 in flight', async () => {
    const server = await startServer(kneeAt(12, 5, 150))

    const run = await runLoad({
      target: server.url,
      load: {
        steps: {
          users: [4, 12, 20],
          stepDuration: '2s',
        },
      },
      workers: 2,
    }, { name: 'GET /knee' })

    expect(run.model).toBe('steps of 4 → 12 → 20 users, 2 s each')
    expect(run.breakingPoint).toBeNull()
    expect(run.steps.map(step => [
      step.index,
      step.level,
      step.startSecond,
      step.durationMs,
      step.tripped,
    ])).toEqual([
      [0, 4, 0, 2000, []],
      [1, 12, 2, 2000, []],
      [2, 20, 4, 2000, []],
    ])
    // each step's figures come from its own seconds: they add up to the run's over those seconds
    // (requests in flight at the end finish in a seventh second, which no step has)
    expect(run.steps.reduce((sum, step) => sum + step.totals.requests, 0))
      .toBe(run.timeline.filter(point => point.second < 6).reduce((sum, point) => sum + point.requests, 0))
    expect(run.steps.map(step => step.timeline.map(point => point.second))).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ])
    expect(run.step(4).latency.p95Ms).toBeLessThan(50)
    expect(run.step(12).latency.p95Ms).toBeLessThan(50)
    expect(run.step(20).latency.p50Ms).toBeGreaterThan(100)
    // at 12 users, 12 in flight: about 12 / 5 ms; at 20, the slow requests hold the rate down
    expect(run.step(12).throughputPerSec).toBeGreaterThan(run.step(4).throughputPerSec * 2)
    for (const step of run.steps)
      expectLittlesLaw(step, 0.25)
    expect(run.step(20).name).toBe('GET /knee · 20 users')

    // every matcher judges a step, and its verdict says which
    expect(run.step(12)).toHaveP95Below('50ms')
    expect(() => expect(run.step(20)).toHaveP95Below('50ms')).toThrow('expected p95 latency of "GET /knee · 20 users" to be below 50 ms')
    expect(verdictsOf(run).map(verdict => [verdict.step, verdict.endpoint, verdict.pass])).toEqual([
      ['12 users', null, true],
      ['20 users', null, false],
    ])
    expect(() => run.step(8)).toThrow(UnknownStepError)
    expect(() => run.step(8)).toThrow('Load test "GET /knee" has no step at 8. The steps that ran to their end: 4 users, 12 users, 20 users')
  })

  it('on a CPU-bound service beside a noisy neighbour: the rate levels off at the service\'s capacity while latency grows with users', async () => {
    noisyNeighbour(started)
    const target = await cpuServer(started, 400)

    const run = await runLoad({
      target,
      load: {
        steps: {
          users: [1, 4],
          stepDuration: '2s',
        },
      },
      workers: 1,
    })

    const [one, four] = [
      run.step(1),
      run.step(4),
    ]
    // one process, one core: four users queue behind each other for the same CPU. One user leaves
    // the core idle during each round trip, which four fill, so the rate may grow a little, never
    // fourfold (CI saw 1.71 beside the neighbour's bursts)
    expect(four.throughputPerSec / one.throughputPerSec).toBeGreaterThan(0.6)
    expect(four.throughputPerSec / one.throughputPerSec).toBeLessThan(2)
    expect(four.latency.p50Ms / one.latency.p50Ms).toBeGreaterThan(2.2)
    for (const step of run.steps)
      expectLittlesLaw(step, 0.25)
    expect(run.totals.errors.total).toBe(0)
  })

  it('steps the arrival rate of the open model, down as well as up', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      load: {
        steps: {
          rate: [100, '50/s', 100],
          stepDuration: '1s',
        },
      },
      workers: 2,
    })

    expect(run.model).toBe('steps of 100 → 50 → 100 req/s, 1 s each')
    expect(run.steps.map(step => [step.by, step.level])).toEqual([
      ['rate', 100],
      ['rate', 50],
      ['rate', 100],
    ])
    // each step's arrivals, answered in its seconds but for one that may come back just after
    for (const step of run.steps)
      expect(Math.abs(step.totals.requests - step.level)).toBeLessThanOrEqual(1)
    expect(run.totals.requests).toBe(250)
    // the first step at a level that repeats
    expect(run.step(100)).toBe(run.steps[0])
    expect(server.requests()).toBe(250)
  })
})

describe('a spike and the recovery after it', () => {
  /**
   * A server that answers in 5 ms, and in 80 ms while more than 6 requests are in flight and for
   * `lingerMs` after the last time they were (a cache rebuilt, a pool refilled): the truth of its recovery.
   */
  function lingering(lingerMs: number) {
    let inFlight = 0
    let overloadedAt = -Infinity
    return startServer((req, res) => {
      inFlight++
      if (inFlight > 6)
        overloadedAt = performance.now()
      res.once('close', () => inFlight--)
      delayed(performance.now() - overloadedAt < lingerMs
        ? 80
        : 5)(req, res)
    })
  }

  it('a server that stays slow 2 s after the peak recovers 2 to 3 s after it; one slow only during the peak, within a second', async () => {
    const load = {
      spike: {
        users: 2,
        peak: 12,
        before: '2s',
        during: '2s',
        after: '5s',
      },
    }
    const slow = await lingering(2000)
    const run = await runLoad({ target: slow.url, load, workers: 2 })
    expect(run.model).toBe('spike of 2 → 12 → 2 users: 2 s before, 2 s at the peak, 5 s after')
    expect(run.steps.map(step => [step.phase, step.level])).toEqual([
      ['before', 2],
      ['peak', 12],
      ['after', 2],
    ])
    expect(run.step(12).latency.p50Ms).toBeGreaterThan(50)
    expect(run.recovery?.recoveredAfterMs).toBeGreaterThanOrEqual(2000)
    expect(run.recovery?.recoveredAfterMs).toBeLessThanOrEqual(3000)
    expect(run).toRecoverWithin('4s')
    expect(() => expect(run).toRecoverWithin('1s')).toThrow(/^expected recovery time after the peak of "GET \/" to be at most 1 s, but it was back [23] s after the peak \(p95 under [\d.]+ ms, [\d.]+ ms before it \+50 % \(5 ms at least\), and no errors\)/)

    // control: as slow at the peak, back 100 ms after it
    const quick = await lingering(100)
    const control = await runLoad({ target: quick.url, load, workers: 2 })
    expect(control.step(12).latency.p50Ms).toBeGreaterThan(50)
    expect(control).toRecoverWithin('1s')
  })

  it('a CPU-bound service beside a noisy neighbour drains its queue within 2 s of the peak', async () => {
    noisyNeighbour(started)
    const target = await cpuServer(started, 400)
    const run = await runLoad({
      target,
      load: {
        spike: {
          users: 1,
          peak: 6,
          before: '2s',
          during: '2s',
          after: '4s',
        },
      },
      workers: 1,
    })
    // six users queue for one core at the peak; one user after it finds no queue
    expect(run.step(6).latency.p50Ms / run.steps[0]!.latency.p50Ms).toBeGreaterThan(3)
    expect(run).toRecoverWithin('2s', { latency: '+100%' })
  })

  it('toRecoverWithin needs a spike', async () => {
    const server = await startServer(fixed())
    const run = await runLoad({
      target: server.url,
      load: { users: 1, duration: '1s' },
    })
    expect(() => expect(run).toRecoverWithin('1s')).toThrow('toRecoverWithin() needs the run of a spike that went to its end')
  })
})
