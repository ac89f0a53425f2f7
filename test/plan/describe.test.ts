import type { LoadSpec, Profile, StepsSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { describeLoad, describeSteps } from '../../src/plan/describe.js'

function closed(users: number, durationMs: number | null, iterationsPerUser: number | null, rampUpMs = 0): LoadSpec {
  return {
    kind: 'closed',
    users,
    durationMs,
    iterationsPerUser,
    maxDurationMs: durationMs ?? 600_000,
    rampUpMs,
  }
}

/** `start`, then `[durationMs, target]` for each stage. */
function profile(start: number, ...stages: Array<[number, number]>): Profile {
  return {
    start,
    stages: stages.map(([durationMs, target]) => ({ durationMs, target })),
  }
}

function durationOf(shape: Profile): number {
  return shape.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
}

function constantRate(rate: number, durationMs: number, users: number): LoadSpec {
  return {
    kind: 'open',
    users,
    rate: profile(rate, [durationMs, rate]),
    durationMs,
    constantRate: true,
  }
}

function rampingRate(rate: Profile, users: number): LoadSpec {
  return {
    kind: 'open',
    users,
    rate,
    durationMs: durationOf(rate),
    constantRate: false,
  }
}

function rampingUsers(shape: Profile): LoadSpec {
  return {
    kind: 'ramping-users',
    users: Math.max(shape.start, ...shape.stages.map(stage => stage.target)),
    profile: shape,
    durationMs: durationOf(shape),
    gracefulStopMs: 30_000,
  }
}

describe('describeLoad', () => {
  it.each<[string, string, LoadSpec]>([
    [
      '20 users, durationMs 5000',
      '20 users for 5 s',
      closed(20, 5000, null),
    ],
    [
      '1 user, durationMs 30000',
      '1 user for 30 s',
      closed(1, 30_000, null),
    ],
    [
      '10 users, durationMs 90000',
      '10 users for 90 s',
      closed(10, 90_000, null),
    ],
    [
      '2 users, durationMs 1500',
      '2 users for 1500 ms',
      closed(2, 1500, null),
    ],
    [
      '2 users, durationMs 250',
      '2 users for 250 ms',
      closed(2, 250, null),
    ],
    [
      '5 users, 20 iterations each',
      '5 users × 20 iterations',
      closed(5, null, 20),
    ],
    [
      '1 user, 1 iteration',
      '1 user × 1 iteration',
      closed(1, null, 1),
    ],
    [
      '3 users, 1 iteration each',
      '3 users × 1 iteration',
      closed(3, null, 1),
    ],
    [
      '20 users, durationMs 30000, a ramp-up of 5000 ms',
      '20 users for 30 s, started over 5 s',
      closed(20, 30_000, null, 5000),
    ],
    [
      '4 users, 10 iterations each, a ramp-up of 1500 ms',
      '4 users × 10 iterations, started over 1500 ms',
      closed(4, null, 10, 1500),
    ],
  ])('describes %s as \'%s\'', (_label, expected, load) => {
    expect(describeLoad(load)).toBe(expected)
  })

  it.each<[string, string, LoadSpec]>([
    [
      '200/s for 30 s, maxUsers 200',
      '200 req/s for 30 s, up to 200 users',
      constantRate(200, 30_000, 200),
    ],
    [
      '0.5/s for 1500 ms, maxUsers 1',
      '0.5 req/s for 1500 ms, up to 1 user',
      constantRate(0.5, 1500, 1),
    ],
    [
      '7/m (0.11666…/s) for 60 s, maxUsers 1',
      '0.117 req/s for 60 s, up to 1 user',
      constantRate(7 / 60, 60_000, 1),
    ],
    [
      'a ramp 0 → 100/s (10 s), hold (1 min), → 0 (0 ms), maxUsers 100',
      'ramping 0 → 100 → 0 req/s over 70 s, up to 100 users',
      rampingRate(profile(0, [10_000, 100], [60_000, 100], [0, 0]), 100),
    ],
    [
      'a step 0 → 50/s, hold 1 min, then 1/3 per second for 2.5 s, maxUsers 50',
      'ramping 0 → 50 → 0.333 req/s over 62500 ms, up to 50 users',
      rampingRate(profile(0, [0, 50], [60_000, 50], [2500, 1 / 3]), 50),
    ],
    [
      'a ramp 0 → 20 users (10 s), hold (1 min), → 0 (10 s)',
      'ramping 0 → 20 → 0 users over 80 s',
      rampingUsers(profile(0, [10_000, 20], [60_000, 20], [10_000, 0])),
    ],
    [
      'steps of 10, 20 and 30 users for 10 s each',
      'ramping 0 → 10 → 20 → 30 users over 30 s',
      rampingUsers(profile(0, [0, 10], [10_000, 10], [0, 20], [10_000, 20], [0, 30], [10_000, 30])),
    ],
    [
      'a ramp down from 5 users to 1 over 1500 ms',
      'ramping 5 → 1 users over 1500 ms',
      rampingUsers(profile(5, [1500, 1])),
    ],
  ])('describes %s as \'%s\'', (_label, expected, load) => {
    expect(describeLoad(load)).toBe(expected)
  })
})

describe('describeSteps', () => {
  const steps = (levels: number[], until: boolean, by: 'users' | 'rate' = 'users'): StepsSpec => ({
    by,
    levels,
    durationsMs: levels.map(() => 10_000),
    until: until
      ? { p95AboveMs: 100 }
      : null,
    condition: until
      ? 'p95 > 100 ms'
      : null,
  })

  it.each([
    [
      'a step test',
      steps([10, 50, 100, 200], false),
      0,
      'steps of 10 → 50 → 100 → 200 users, 10 s each',
    ],
    [
      'a step test that ran',
      steps([10, 50, 100, 200], false),
      4,
      'steps of 10 → 50 → 100 → 200 users, 10 s each',
    ],
    [
      'steps of rate, down and up',
      steps([200, 50, 200], false, 'rate'),
      3,
      'steps of 200 → 50 → 200 req/s, 10 s each',
    ],
    [
      'one user',
      steps([1], false),
      1,
      'steps of 1 user, 10 s each',
    ],
    [
      'a search before any step',
      steps([5, 10, 15, 20, 25, 30, 35, 40, 45, 50], true),
      0,
      'breaking-point search over 5 → 10 → … → 50 users, 10 s a step',
    ],
    [
      'a search that stopped at its third step',
      steps([5, 10, 15, 20, 25, 30, 35, 40, 45, 50], true),
      3,
      'breaking-point search over 5 → 10 → 15 users, 10 s a step (stopped after 3 of 10 steps, planned up to 50 users)',
    ],
    [
      'a search that ran every step',
      steps([5, 10, 15], true),
      3,
      'breaking-point search over 5 → 10 → 15 users, 10 s a step',
    ],
    [
      'a step test stopped early',
      steps([10, 20, 30], false),
      1,
      'steps of 10 users, 10 s each (stopped after 1 of 3 steps, planned up to 30 users)',
    ],
  ])('%s', (_, spec, ran, line) => {
    expect(describeSteps(spec, ran)).toBe(line)
  })
})
