import type { LoadSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { describeLoad } from '../../src/plan/describe.js'

function closed(users: number, durationMs: number | null, iterationsPerUser: number | null): LoadSpec {
  return {
    kind: 'closed',
    users,
    durationMs,
    iterationsPerUser,
    maxDurationMs: durationMs ?? 600_000,
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
  ])('describes %s as \'%s\'', (_label, expected, load) => {
    expect(describeLoad(load)).toBe(expected)
  })
})
