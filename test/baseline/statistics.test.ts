import { describe, expect, it } from 'vitest'
import { exactUDistribution, normalCdf, predictionInterval, shiftEstimate, studentT975, trimCount } from '../../src/baseline/statistics.js'
import { createRandom } from '../metrics/record-run.js'

/** Box–Muller from a seeded uniform source. */
function normals(count: number, random: () => number, mean = 0, sd = 1): number[] {
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()))
}

describe('the Mann–Whitney U distribution', () => {
  it('is exact for 3 and 4: counts 1 1 2 3 4 4 5 4 4 3 2 1 1 of 35', () => {
    const cumulative = exactUDistribution(3, 4)
    const counts = [1, 1, 2, 3, 4, 4, 5, 4, 4, 3, 2, 1, 1]
    let sum = 0
    counts.forEach((count, u) => {
      sum += count
      expect(cumulative[u]).toBeCloseTo(sum / 35, 12)
    })
  })

  it('gives P(U ≤ 2) = 4/252 and P(U ≤ 3) = 7/252 for 5 and 5', () => {
    const cumulative = exactUDistribution(5, 5)
    expect(cumulative[2]).toBeCloseTo(4 / 252, 12)
    expect(cumulative[3]).toBeCloseTo(7 / 252, 12)
    expect(cumulative.at(-1)).toBeCloseTo(1, 12)
  })

  it('trims as the published two-sided 5 % critical values say: 5/5 → U 2, 10/10 → 23, 20/20 → 127, 8/12 → 22', () => {
    // trimCount is the critical value + 1: differences d(k) and d(nm - k + 1) bound the interval
    expect(trimCount(5, 5, 0.95)).toBe(3)
    expect(trimCount(10, 10, 0.95)).toBe(24)
    expect(trimCount(20, 20, 0.95)).toBe(128)
    expect(trimCount(8, 12, 0.95)).toBe(23)
  })

  it('needs 4 and 4 at least for a 95 % interval (P(U = 0) = 1/70), and trims nothing below', () => {
    expect(trimCount(3, 3, 0.95)).toBe(0)
    expect(trimCount(4, 4, 0.95)).toBe(1)
  })

  it('has a normal approximation that meets the exact one where they join (20/20 within 1)', () => {
    // 21/21 uses the approximation; it must not jump away from the exact 20/20 value
    expect(Math.abs(trimCount(21, 21, 0.95) - 128 - (21 * 21 - 400) / 2)).toBeLessThan(8)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
  })
})

describe('the Hodges–Lehmann shift', () => {
  it('finds a shift of 10 between 1…5 and 11…15, inside its interval', () => {
    const shift = shiftEstimate([1, 2, 3, 4, 5], [11, 12, 13, 14, 15])
    expect(shift.estimate).toBe(10)
    expect(shift.low).toBeLessThan(10)
    expect(shift.high).toBeGreaterThan(10)
    expect(shift.low).toBeGreaterThan(0)
    expect(shift.confidence).toBeCloseTo(1 - 8 / 252, 12)
  })

  it('finds no shift between a sample and itself: the interval holds 0', () => {
    const sample = [3, 1, 4, 1, 5, 9, 2, 6]
    const shift = shiftEstimate(sample, [...sample].reverse())
    expect(shift.estimate).toBe(0)
    expect(shift.low).toBeLessThan(0)
    expect(shift.high).toBeGreaterThan(0)
  })

  it.each([
    [8, 8],
    [10, 15],
    [30, 30],
  ])('covers the true shift in ≥ 93 % of 1,000 seeded trials of %i and %i normal values', (n, m) => {
    const random = createRandom(n * 1000 + m)
    let covered = 0
    for (let trial = 0; trial < 1000; trial++) {
      const shift = shiftEstimate(normals(n, random), normals(m, random, 2))
      if (shift.low <= 2 && shift.high >= 2)
        covered++
    }
    expect(covered).toBeGreaterThanOrEqual(930)
    // a 95 % interval (95.01 % for 8 and 8) misses about 50 in 1,000: seeded, so the same count every run
    // not absurdly wide either
    expect(covered).toBeLessThanOrEqual(995)
  })

  it('refuses an empty side', () => {
    expect(() => shiftEstimate([], [1])).toThrow(RangeError)
  })
})

describe('the prediction interval of one more run', () => {
  it('uses Student\'s t at 97.5 %: 12.706 for 1 degree of freedom, 2.042 for 30, 1.984 for 100 (within 0.001)', () => {
    expect(studentT975(1)).toBe(12.706)
    expect(studentT975(4)).toBe(2.776)
    expect(studentT975(30)).toBe(2.042)
    expect(studentT975(100)).toBeCloseTo(1.984, 3)
    expect(() => studentT975(0)).toThrow(RangeError)
  })

  it('is the mean ± t(k − 1) · s · √(1 + 1/k): 10, 12, 11, 13, 9 gives 11 ± 2.776 · 1.581 · 1.095', () => {
    const { mean, halfWidth } = predictionInterval([10, 12, 11, 13, 9])
    expect(mean).toBe(11)
    expect(halfWidth).toBeCloseTo(2.776 * Math.sqrt(2.5) * Math.sqrt(1.2), 9)
    expect(() => predictionInterval([1])).toThrow(RangeError)
  })

  it('covers about 95 % of new draws from the same normal population, with 5 earlier ones (2,000 seeded trials)', () => {
    const random = createRandom(7)
    let covered = 0
    for (let trial = 0; trial < 2000; trial++) {
      const [next, ...history] = normals(6, random, 50, 4)
      const { mean, halfWidth } = predictionInterval(history)
      if (Math.abs(next! - mean) <= halfWidth)
        covered++
    }
    expect(covered / 2000).toBeGreaterThan(0.93)
    expect(covered / 2000).toBeLessThan(0.97)
  })
})
