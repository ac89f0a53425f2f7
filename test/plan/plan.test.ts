import type { LoadSpec, LoadTestSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { plannedDurationMs, planShares } from '../../src/plan/plan.js'
import { splitEvenly } from '../../src/plan/split.js'

function spec(load: Partial<LoadSpec>, workers: number): LoadTestSpec {
  return {
    name: 'GET /users',
    request: {
      name: 'GET /users',
      method: 'GET',
      origin: 'http://127.0.0.1:3000',
      path: '/users',
      headers: {},
      body: null,
      timeoutMs: 10_000,
      successStatuses: [
        [200, 399],
      ],
    },
    load: {
      kind: 'closed',
      users: 10,
      durationMs: 5000,
      iterationsPerUser: null,
      maxDurationMs: 5000,
      ...load,
    },
    workers,
  }
}

describe('planShares', () => {
  it('stripes 10 users over 3 workers as [0, 3, 6, 9], [1, 4, 7], [2, 5, 8]', () => {
    const loadTest = spec({ users: 10 }, 3)
    const shares = planShares(loadTest)
    expect(shares.map(share => share.userIndices)).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ])
    expect(shares.map(share => share.workerIndex)).toEqual([0, 1, 2])
    expect(shares.every(share => share.workerCount === 3 && share.spec === loadTest)).toBe(true)
  })

  it('gives 1 worker all 5 users', () => {
    expect(planShares(spec({ users: 5 }, 1)).map(share => share.userIndices)).toEqual([
      [0, 1, 2, 3, 4],
    ])
  })

  it('gives each of 4 workers 1 user when there are 4 users', () => {
    expect(planShares(spec({ users: 4 }, 4)).map(share => share.userIndices)).toEqual([
      [0],
      [1],
      [2],
      [3],
    ])
  })

  it('runs every user exactly once, for 1 to 40 users over 1 to 8 workers', () => {
    for (let users = 1; users <= 40; users++) {
      for (let workers = 1; workers <= Math.min(8, users); workers++) {
        const shares = planShares(spec({ users }, workers))
        const all = shares.flatMap(share => share.userIndices).sort((a, b) => a - b)
        expect(all, `${users} users over ${workers} workers`).toEqual(Array.from({ length: users }, (_, index) => index))
        expect(shares.map(share => share.userIndices.length)).toEqual(splitEvenly(users, workers))
      }
    }
  })
})

describe('plannedDurationMs', () => {
  it('is the duration, 5000 ms, for { users, duration: \'5s\' }', () => {
    expect(plannedDurationMs(spec({ durationMs: 5000, maxDurationMs: 5000 }, 1))).toBe(5000)
  })

  it('is the limit, 60000 ms, for { users, iterations, maxDuration: \'1m\' }', () => {
    expect(plannedDurationMs(spec({ durationMs: null, iterationsPerUser: 20, maxDurationMs: 60_000 }, 1))).toBe(60_000)
  })
})
