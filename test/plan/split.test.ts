import { describe, expect, it } from 'vitest'
import { createStripe, splitEvenly } from '../../src/plan/split.js'

const WEIGHT_SETS: number[][] = [
  [1],
  [1, 1],
  [1, 1, 1],
  [2, 1, 1],
  [3, 5],
  [5, 3, 2],
  [7, 1],
  [1, 2, 3, 4, 5],
  [10, 1, 1, 1],
  [1, 1, 1, 1, 1, 1, 1],
  [4, 6],
]
const MAX_TOTAL = 1000

function sum(numbers: readonly number[]): number {
  return numbers.reduce((total, n) => total + n, 0)
}

function shares(weights: readonly number[], total: number): number[] {
  const stripe = createStripe(weights)
  return weights.map((_, part) => stripe.shareOf(total, part))
}

describe('createStripe', () => {
  // DISTRIBUTED.md section 4.4, "Cycles interleave"
  it.each([
    [
      [1, 1, 1],
      '012',
    ],
    [
      [2, 1, 1],
      '0102',
    ],
    [
      [3, 5],
      '10101101',
    ],
    [
      [5, 3, 2],
      '0102010102',
    ],
    [
      [1],
      '0',
    ],
  ])('interleaves weights %j as the cycle %s', (weights, cycle) => {
    expect(createStripe(weights).cycle.join('')).toBe(cycle)
  })

  it.each(WEIGHT_SETS.map(weights => [weights]))('gives each part as many positions of the cycle as its weight: %j', (weights) => {
    const { cycle } = createStripe(weights)
    expect(cycle).toHaveLength(sum(weights))
    expect(weights.map((_, part) => cycle.filter(owner => owner === part).length)).toEqual(weights)
  })

  // DISTRIBUTED.md section 4.4: 10 VUs over [1,1,1] → 4+3+3; over 7 agents → 2+2+2+1+1+1+1; over [5,3,2] → 5+3+2
  it.each([
    [
      [1, 1, 1],
      [4, 3, 3],
    ],
    [
      [1, 1, 1, 1, 1, 1, 1],
      [2, 2, 2, 1, 1, 1, 1],
    ],
    [
      [5, 3, 2],
      [5, 3, 2],
    ],
    [
      [2, 1, 1],
      [5, 3, 2],
    ],
    [
      [3, 5],
      [4, 6],
    ],
  ])('splits 10 users over weights %j as %j', (weights, expected) => {
    expect(shares(weights, 10)).toEqual(expected)
  })

  it.each(WEIGHT_SETS.map(weights => [weights]))(`never loses or adds a unit for any total up to ${MAX_TOTAL} over weights %j`, (weights) => {
    for (let total = 0; total <= MAX_TOTAL; total++)
      expect(sum(shares(weights, total)), `total ${total}`).toBe(total)
  })

  it.each(WEIGHT_SETS.map(weights => [weights]))(`grows only the owner's share when the total grows by 1, up to ${MAX_TOTAL}, over weights %j`, (weights) => {
    const stripe = createStripe(weights)
    for (let total = 0; total < MAX_TOTAL; total++) {
      const growth = weights.map((_, part) => stripe.shareOf(total + 1, part) - stripe.shareOf(total, part))
      const expected = weights.map((_, part) => part === stripe.ownerOf(total)
        ? 1
        : 0)
      expect(growth, `from total ${total} to ${total + 1}`).toEqual(expected)
    }
  })

  it.each(WEIGHT_SETS.map(weights => [weights]))('gives each part exactly the indices ownerOf assigns it, in order, over weights %j', (weights) => {
    const stripe = createStripe(weights)
    for (const total of [
      0,
      1,
      7,
      sum(weights),
      97,
      250,
    ]) {
      const expected = weights.map(() => [] as number[])
      for (let index = 0; index < total; index++)
        expected[stripe.ownerOf(index)]!.push(index)
      const actual = weights.map((_, part) => stripe.indicesOf(total, part))
      expect(actual, `total ${total}`).toEqual(expected)
      expect(actual.map(indices => indices.length)).toEqual(shares(weights, total))
    }
  })

  it('repeats the cycle for every index: over [5, 3, 2] index 1_000_003 belongs to part 2, like index 3', () => {
    const stripe = createStripe([5, 3, 2])
    expect(stripe.ownerOf(3)).toBe(2)
    expect(stripe.ownerOf(1_000_003)).toBe(2)
    expect(stripe.shareOf(1_000_000, 0)).toBe(500_000)
  })

  it.each([
    ['[]', []],
    [
      '[0]',
      [0],
    ],
    [
      '[1, 0]',
      [1, 0],
    ],
    [
      '[-1]',
      [-1],
    ],
    [
      '[1.5]',
      [1.5],
    ],
    [
      '[NaN]',
      [Number.NaN],
    ],
    [
      '[Infinity]',
      [Infinity],
    ],
  ])('rejects the weights %s with a RangeError that shows them', (shown, weights) => {
    expect(() => createStripe(weights)).toThrow(new RangeError(`weights must be whole numbers of at least 1, got ${shown}`))
  })
})

describe('splitEvenly', () => {
  it('splits 10 users over 3 workers as 4, 3, 3', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3])
  })

  it('splits 10 users over 7 workers as 2, 2, 2, 1, 1, 1, 1', () => {
    expect(splitEvenly(10, 7)).toEqual([2, 2, 2, 1, 1, 1, 1])
  })

  it('gives 2 users over 3 workers as 1, 1, 0 and 0 users as 0, 0, 0', () => {
    expect(splitEvenly(2, 3)).toEqual([1, 1, 0])
    expect(splitEvenly(0, 3)).toEqual([0, 0, 0])
  })

  it('never loses a user, whatever the worker count: 1001 users over 1 to 16 workers', () => {
    for (let parts = 1; parts <= 16; parts++)
      expect(sum(splitEvenly(1001, parts)), `${parts} parts`).toBe(1001)
  })

  it('gives the first total % parts shares one more, so shares differ by at most 1', () => {
    for (let parts = 1; parts <= 16; parts++) {
      for (let total = 0; total <= 100; total++) {
        const base = Math.floor(total / parts)
        const expected = Array.from({ length: parts }, (_, part) => base + (part < total % parts
          ? 1
          : 0))
        expect(splitEvenly(total, parts), `${total} over ${parts}`).toEqual(expected)
      }
    }
  })

  it('rejects 0 parts with a RangeError', () => {
    expect(() => splitEvenly(10, 0)).toThrow(RangeError)
  })
})
