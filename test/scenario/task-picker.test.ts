import { describe, expect, it } from 'vitest'
import { createRandom } from '../../src/scenario/random.js'
import { TaskPicker } from '../../src/scenario/task-picker.js'

function picks(weights: number[], seed: number, count: number): number[] {
  const picker = new TaskPicker(weights, createRandom(seed))
  return Array.from({ length: count }, () => picker.next())
}

function tally(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const value of values)
    counts[value] = (counts[value] ?? 0) + 1
  return counts
}

describe('picking tasks by weight', () => {
  it('runs 3:1 exactly 3 and 1 times in every round of 4 iterations', () => {
    const sequence = picks([3, 1], 7, 400)
    for (let round = 0; round < 100; round++)
      expect(tally(sequence.slice(round * 4, round * 4 + 4))).toEqual({ 0: 3, 1: 1 })
  })

  it('runs 5:3:2 exactly 50, 30 and 20 times in 100 iterations, for any user', () => {
    for (const seed of [0, 1, 2, 99, 12345])
      expect(tally(picks([5, 3, 2], seed, 100))).toEqual({ 0: 50, 1: 30, 2: 20 })
  })

  it('repeats the same order for the same user, and shuffles it differently for another', () => {
    expect(picks([3, 1], 4, 40)).toEqual(picks([3, 1], 4, 40))
    expect(picks([3, 1], 4, 40)).not.toEqual(picks([3, 1], 5, 40))
  })

  it('draws numbers in [0, 1) spread over the whole range', () => {
    const random = createRandom(0)
    const draws = Array.from({ length: 10_000 }, random)
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...draws)).toBeLessThan(1)
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length
    expect(mean).toBeGreaterThan(0.48)
    expect(mean).toBeLessThan(0.52)
  })
})
