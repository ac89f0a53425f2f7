import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { fixed, kneeAt, startServer } from '../helpers/server.js'

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
    expect(search.steps.map(step => [step.level, step.requests])).toEqual([
      [50, 50],
      [100, 100],
      [150, 150],
    ])
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
    expect(run.breakingPoint?.brokeAt?.tripped).toEqual(['check(step)'])
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
