import type { WorkerShare } from '../../src/plan/plan.js'
import type { ClosedLoadSpec, LoadSpec, LoadTestSpec, Profile } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { plannedDurationMs, planShares } from '../../src/plan/plan.js'
import { ArrivalClock, totalArrivals } from '../../src/plan/profile.js'
import { splitEvenly } from '../../src/plan/split.js'

function spec(load: Partial<ClosedLoadSpec>, workers: number): LoadTestSpec {
  return withLoad({
    kind: 'closed',
    users: 10,
    durationMs: 5000,
    iterationsPerUser: null,
    maxDurationMs: 5000,
    rampUpMs: 0,
    ...load,
  }, workers)
}

function withLoad(load: LoadSpec, workers: number): LoadTestSpec {
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
    load,
    workers,
    errorBudget: 0.01,
  }
}

function open(rate: Profile, users: number): LoadSpec {
  const durationMs = rate.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  return {
    kind: 'open',
    users,
    rate,
    durationMs,
    constantRate: rate.stages.length === 1 && rate.stages[0]!.target === rate.start,
  }
}

function constantRate(rate: number, durationMs: number, users: number): LoadSpec {
  return open({
    start: rate,
    stages: [
      { durationMs, target: rate },
    ],
  }, users)
}

function rampingUsers(profile: Profile, gracefulStopMs = 30_000): LoadSpec {
  const durationMs = profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  const users = Math.max(profile.start, ...profile.stages.map(stage => stage.target))
  return {
    kind: 'ramping-users',
    users,
    profile,
    durationMs,
    gracefulStopMs,
  }
}

/**
 * The arrivals one worker fires, walked as the open executor walks them: the positions of the
 * cycle it owns, round after round, each asked of its own clock in increasing order.
 */
function ownedArrivals(share: WorkerShare, rate: Profile): Array<{ index: number, timeMs: number }> {
  const { cycle, workerIndex } = share
  const owned = cycle.flatMap((owner, position) => owner === workerIndex
    ? [position]
    : [])
  const clock = new ArrivalClock(rate)
  const arrivals: Array<{ index: number, timeMs: number }> = []
  for (let round = 0; owned.length > 0; round++) {
    for (const position of owned) {
      const index = round * cycle.length + position
      const timeMs = clock.timeOfMs(index)
      if (!Number.isFinite(timeMs))
        return arrivals
      arrivals.push({ index, timeMs })
    }
  }
  return arrivals
}

/** Every arrival of the profile on one clock: the single-process schedule. */
function globalArrivals(rate: Profile): Array<{ index: number, timeMs: number }> {
  const clock = new ArrivalClock(rate)
  const arrivals: Array<{ index: number, timeMs: number }> = []
  for (let index = 0; ; index++) {
    const timeMs = clock.timeOfMs(index)
    if (!Number.isFinite(timeMs))
      return arrivals
    arrivals.push({ index, timeMs })
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
    expect(shares.map(share => share.workerCount)).toEqual([3, 3, 3])
    shares.forEach(share => expect(share.spec).toEqual(loadTest))
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

describe('planShares: the cycle and the open and ramping models', () => {
  it('gives every share the cycle [0, 1, 2] for 3 workers, and [0] for 1 worker', () => {
    const shares = planShares(spec({ users: 10 }, 3))
    expect(shares.map(share => share.cycle)).toEqual([
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
    ])
    expect(planShares(spec({ users: 10 }, 1))[0]!.cycle).toEqual([0])
  })

  it('stripes maxUsers 50 of the open model over 4 workers as 13 + 13 + 12 + 12 users', () => {
    const shares = planShares(withLoad(constantRate(200, 30_000, 50), 4))
    expect(shares.map(share => share.userIndices.length)).toEqual([13, 13, 12, 12])
    expect(shares[3]!.userIndices.slice(0, 3)).toEqual([3, 7, 11])
  })

  it('stripes the peak of 20 users of a ramp 0 → 20 → 0 over 3 workers as 7 + 7 + 6 users', () => {
    const shares = planShares(withLoad(rampingUsers({
      start: 0,
      stages: [
        { durationMs: 10_000, target: 20 },
        { durationMs: 10_000, target: 0 },
      ],
    }), 3))
    expect(shares.map(share => share.userIndices.length)).toEqual([7, 7, 6])
    expect(shares[2]!.userIndices).toEqual([2, 5, 8, 11, 14, 17])
  })

  it('gives worker 1 of 3 the arrivals 1, 4, 7… of 200/s for 1 s: 67 of the 200, at 5, 20, 35… ms', () => {
    const rate = {
      start: 200,
      stages: [
        { durationMs: 1000, target: 200 },
      ],
    }
    const share = planShares(withLoad(open(rate, 200), 3))[1]!
    const arrivals = ownedArrivals(share, rate)
    expect(arrivals).toHaveLength(67)
    expect(arrivals.slice(0, 3).map(arrival => arrival.index)).toEqual([1, 4, 7])
    arrivals.forEach(({ index, timeMs }) => expect(timeMs).toBeCloseTo(index * 5, 9))
  })

  const profiles: Array<[string, Profile]> = [
    [
      '200/s for 1 s',
      {
        start: 200,
        stages: [
          { durationMs: 1000, target: 200 },
        ],
      },
    ],
    [
      '333/s for 3 s',
      {
        start: 333,
        stages: [
          { durationMs: 3000, target: 333 },
        ],
      },
    ],
    [
      '0.5/s for 3 s',
      {
        start: 0.5,
        stages: [
          { durationMs: 3000, target: 0.5 },
        ],
      },
    ],
    [
      'a ramp 0 → 100/s over 10 s',
      {
        start: 0,
        stages: [
          { durationMs: 10_000, target: 100 },
        ],
      },
    ],
    [
      '0 → 50/s, a step to 100/s, a pause and 100 → 0/s',
      {
        start: 0,
        stages: [
          { durationMs: 2000, target: 50 },
          { durationMs: 0, target: 100 },
          { durationMs: 1000, target: 100 },
          { durationMs: 0, target: 0 },
          { durationMs: 1000, target: 0 },
          { durationMs: 0, target: 100 },
          { durationMs: 1500, target: 0 },
        ],
      },
    ],
  ]

  it.each(profiles)('splits the arrivals of %s over 1 to 8 workers so each is fired once, at its global time', (_label, rate) => {
    const global = globalArrivals(rate)
    expect(global).toHaveLength(totalArrivals(rate))
    for (let workers = 1; workers <= 8; workers++) {
      const shares = planShares(withLoad(open(rate, 8), workers))
      const byWorker = shares.map(share => ownedArrivals(share, rate))
      const union = byWorker.flat().sort((a, b) => a.index - b.index)
      // the union is the single-process schedule, the same times to the last bit
      expect(union, `${workers} workers`).toEqual(global)
      expect(byWorker.map(arrivals => arrivals.length), `${workers} workers`).toEqual(splitEvenly(global.length, workers))
      byWorker.forEach((arrivals, workerIndex) => {
        expect(arrivals.every(({ index }) => index % workers === workerIndex)).toBe(true)
        for (let k = 1; k < arrivals.length; k++)
          expect(arrivals[k]!.timeMs).toBeGreaterThan(arrivals[k - 1]!.timeMs)
      })
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

  it('is the duration, 30000 ms, for the open model { rate: 200, duration: \'30s\' }', () => {
    expect(plannedDurationMs(withLoad(constantRate(200, 30_000, 200), 1))).toBe(30_000)
  })

  it('is the sum of the stages, 25000 ms, for a ramping rate of 10 s + 0 ms + 15 s', () => {
    expect(plannedDurationMs(withLoad(open({
      start: 0,
      stages: [
        { durationMs: 10_000, target: 100 },
        { durationMs: 0, target: 50 },
        { durationMs: 15_000, target: 50 },
      ],
    }, 100), 1))).toBe(25_000)
  })

  it('is the sum of the stages, 80000 ms, for ramping users, without the graceful stop of 30 s', () => {
    expect(plannedDurationMs(withLoad(rampingUsers({
      start: 0,
      stages: [
        { durationMs: 10_000, target: 20 },
        { durationMs: 60_000, target: 20 },
        { durationMs: 10_000, target: 0 },
      ],
    }), 1))).toBe(80_000)
  })
})
