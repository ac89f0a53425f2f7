import type { BaselineSample } from '../../src/baseline/sample.js'
import { describe, expect, it } from 'vitest'
import { comparePairs, compareRuns, compareSamples, DEFAULT_TOLERANCES, formatChange, looksWorse } from '../../src/baseline/compare.js'

/** A sample whose every interval has the given p95 (ms), throughput (req/s) and error rate; p50 and p99 follow p95. */
function sample(p95: readonly number[], throughput: readonly number[] = p95.map(() => 100), errorRate: readonly (number | null)[] = p95.map(() => 0)): BaselineSample {
  const mean = (list: readonly number[]): number => list.reduce((sum, value) => sum + value, 0) / list.length
  return {
    load: '10 users for 10 s',
    requests: 1000,
    intervalSeconds: 1,
    summary: {
      p50Ms: mean(p95) / 2,
      p95Ms: mean(p95),
      p99Ms: mean(p95) * 1.2,
      throughputPerSec: mean(throughput),
      errorRate: mean(errorRate.map(rate => rate ?? 0)),
    },
    intervals: {
      p50Ms: p95.map(value => value / 2),
      p95Ms: [...p95],
      p99Ms: p95.map(value => value * 1.2),
      throughputPerSec: [...throughput],
      errorRate: [...errorRate],
    },
  }
}

/** Ten per-second p95s around 30 ms with ±3 % of wobble. */
const steady = [
  30.2,
  29.6,
  30.9,
  29.1,
  30.4,
  30.0,
  29.8,
  30.7,
  29.4,
  30.1,
]
/** Ten per-second throughputs around 1,000 req/s with ±1 % of wobble. */
const RATES = [
  1000,
  990,
  1012,
  1004,
  996,
  1008,
  993,
  1001,
  1003,
  995,
]
const scaled = (list: readonly number[], factor: number): number[] => list.map(value => value * factor)
const row = (rows: ReturnType<typeof compareSamples>, metric: string) => rows.find(one => one.metric === metric)!

// a baseline of one run: the shift within one run is shown, and no change is called a regression or
// an improvement, since the spread between runs is not known (MIN_RUNS)
describe('comparing a run with a baseline of one run', () => {
  it('calls the same figures in another order unchanged, on every metric', () => {
    const rows = compareSamples(sample(steady), sample([...steady].reverse()), DEFAULT_TOLERANCES)
    expect(rows.map(one => one.metric)).toEqual([
      'p50',
      'p95',
      'p99',
      'throughput',
      'errorRate',
    ])
    expect(rows.every(one => one.verdict === 'unchanged')).toBe(true)
    expect(row(rows, 'p95').change).toBeCloseTo(0, 12)
  })

  it('shows 18 % slower as p95 +18 % (95 % CI …, within 1 run), inconclusive: one run cannot tell it from the spread between runs', () => {
    const rows = compareSamples(sample(steady), sample(scaled(steady, 1.18)), DEFAULT_TOLERANCES)
    const p95 = row(rows, 'p95')
    expect(p95.verdict).toBe('inconclusive')
    expect(p95.runs).toBe(1)
    expect(p95.detectable).toBeNull()
    expect(p95.text.detectable).toBe('needs 3 runs')
    expect(p95.change).toBeCloseTo(0.18, 2)
    expect(p95.low).toBeGreaterThan(0.1)
    expect(p95.low).toBeLessThan(0.18)
    expect(p95.high).toBeGreaterThan(0.18)
    expect(p95.confidence).toBeGreaterThanOrEqual(0.95)
    expect(p95.text.change).toMatch(/^\+18 % \(9\d % CI \+1\d % … \+2\d %, within 1 run\)$/)
    expect(p95.text.tolerance).toBe('+10 %')
    expect(p95.text.baseline).toBe('30 ms')
  })

  it('calls a significant 5 % slowdown within tolerance, and not a regression even with p95: \'+2%\' (its interval lies above 2 %)', () => {
    const slower = sample(scaled(steady, 1.05))
    expect(row(compareSamples(sample(steady), slower, DEFAULT_TOLERANCES), 'p95').verdict).toBe('within tolerance')
    const strict = row(compareSamples(sample(steady), slower, { ...DEFAULT_TOLERANCES, p95: 0.02 }), 'p95')
    expect(strict.low).toBeGreaterThan(0.02)
    expect(strict.verdict).toBe('inconclusive')
  })

  it('calls a change beyond the tolerance whose interval reaches back inside it inconclusive, not a regression', () => {
    // +16 % on the whole, but two of six seconds as fast as ever: the interval starts near 0
    const now = sample([35.2, 34.6, 30.1, 35.5, 29.4, 35.0])
    const p95 = row(compareSamples(sample([30.2, 29.6, 30.9, 29.1, 30.4, 30.0]), now, DEFAULT_TOLERANCES), 'p95')
    expect(p95.change).toBeGreaterThan(0.1)
    expect(p95.low).toBeLessThan(0.1)
    expect(p95.verdict).toBe('inconclusive')
  })

  it('does not call a large change a regression when it is not significant: 5 noisy seconds either way', () => {
    const noisy = [20, 45, 28, 60, 33]
    const rows = compareSamples(sample(noisy), sample([48, 22, 65, 30, 41]), DEFAULT_TOLERANCES)
    expect(row(rows, 'p95').verdict).toBe('unchanged')
  })

  it('calls 20 % less throughput and 20 % more inconclusive', () => {
    const rates = RATES.slice(0, 8)
    const p95 = rates.map(() => 30)
    const lower = compareSamples(sample(p95, rates), sample(p95, scaled(rates, 0.8)), DEFAULT_TOLERANCES)
    expect(row(lower, 'throughput').verdict).toBe('inconclusive')
    expect(row(lower, 'throughput').text.change).toMatch(/^−20 % /)
    expect(row(lower, 'throughput').text.tolerance).toBe('−10 %')
    const higher = compareSamples(sample(p95, rates), sample(p95, scaled(rates, 1.2)), DEFAULT_TOLERANCES)
    expect(row(higher, 'throughput').verdict).toBe('inconclusive')
  })

  it('measures the error rate in points: 0 % → 5 % is +5 pt, beyond +1 pt', () => {
    const p95 = [30, 30, 30, 30, 30, 30]
    const rows = compareSamples(sample(p95, undefined, [0, 0, 0, 0, 0, 0]), sample(p95, undefined, [0.05, 0.04, 0.06, 0.05, 0.05, 0.05]), DEFAULT_TOLERANCES)
    expect(row(rows, 'errorRate').verdict).toBe('inconclusive')
    expect(row(rows, 'errorRate').text.change).toMatch(/^\+5 pt /)
  })

  it('skips intervals without responses, and decides by the tolerance alone when fewer than 5 are left', () => {
    const now = sample(scaled(steady, 1.5))
    now.intervals.p95Ms = [
      45,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      46,
    ]
    const p95 = row(compareSamples(sample(steady), now, DEFAULT_TOLERANCES), 'p95')
    expect(p95.confidence).toBeNull()
    expect(p95.verdict).toBe('inconclusive')
    expect(p95.text.change).toBe('+50 % (too few intervals for a confidence interval)')
  })

  it('leaves out a metric whose tolerance is false', () => {
    const rows = compareSamples(sample(steady), sample(steady), { ...DEFAULT_TOLERANCES, p99: false, errorRate: false })
    expect(rows.map(one => one.metric)).toEqual(['p50', 'p95', 'throughput'])
  })
})

// a run that passes joins a young baseline unless it looked worse: a slow run must not widen the
// spread, and a wobbling tail must not keep every run out
describe('looksWorse: which passing runs are kept out of a baseline', () => {
  it('keeps out a run 18 % slower in every second, and one with a tenth less throughput in every second', () => {
    expect(looksWorse(row(compareSamples(sample(steady), sample(scaled(steady, 1.18)), DEFAULT_TOLERANCES), 'p95'))).toBe(true)
    const rates = RATES.slice(0, 8)
    const p95 = rates.map(() => 30)
    expect(looksWorse(row(compareSamples(sample(p95, rates), sample(p95, scaled(rates, 0.8)), DEFAULT_TOLERANCES), 'throughput'))).toBe(true)
  })

  it('lets in a run whose p95 is +16 % on the whole but whose interval reaches below no change, and one that is faster', () => {
    const wobbly = sample([30.2, 29.6, 30.9, 29.1, 30.4, 30.0])
    const tail = row(compareSamples(wobbly, sample([48, 25, 36, 50, 26, 38]), DEFAULT_TOLERANCES), 'p95')
    expect(tail.change).toBeGreaterThan(0.1)
    expect(tail.low).toBeLessThan(0)
    expect(looksWorse(tail)).toBe(false)
    const faster = compareSamples(sample(steady), sample(scaled(steady, 0.7)), DEFAULT_TOLERANCES)
    expect(faster.some(looksWorse)).toBe(false)
    const rates = RATES.slice(0, 8)
    expect(looksWorse(row(compareSamples(sample(rates.map(() => 30), rates), sample(rates.map(() => 30), scaled(rates, 1.3)), DEFAULT_TOLERANCES), 'throughput'))).toBe(false)
  })
})

/** The whole-run figures of a baseline's run whose p95 is `p95` ms, throughput `throughput` and error rate `errorRate`. */
function figures(p95: number, throughput = 100, errorRate = 0) {
  return {
    p50Ms: p95 / 2,
    p95Ms: p95,
    p99Ms: p95 * 1.2,
    throughputPerSec: throughput,
    errorRate,
  }
}

describe('comparing a run with the runs of a baseline: the spread between runs decides', () => {
  // five runs whose p95 wobbles by about 2 % between runs
  const history = [30, 30.6, 29.5, 30.3, 29.7].map(p95 => figures(p95))
  const baseline = sample(steady)

  it('calls 18 % slower a regression, against the runs\' geometric mean, with its prediction interval and what it could detect', () => {
    const p95 = row(compareSamples(baseline, sample(scaled(steady, 1.18)), DEFAULT_TOLERANCES, history), 'p95')
    const logs = history.map(run => Math.log(run.p95Ms))
    const mean = logs.reduce((a, b) => a + b) / 5
    const sd = Math.sqrt(logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 4)
    // t(4) = 2.776; the prediction interval of one more run is t · s · √(1 + 1/5)
    const half = 2.776 * sd * Math.sqrt(1.2)
    expect(p95.baseline).toBeCloseTo(Math.exp(mean), 6)
    expect(p95.change).toBeCloseTo(Math.expm1(Math.log(steady.reduce((a, b) => a + b) / 10 * 1.18) - mean), 6)
    expect(p95.low).toBeCloseTo(Math.expm1(Math.log1p(p95.change) - half), 6)
    expect(p95.verdict).toBe('regressed')
    expect(p95.runs).toBe(5)
    expect(p95.detectable).toBeCloseTo(Math.expm1(Math.log(1.1) + half), 6)
    expect(p95.text.change).toMatch(/^\+1\d % \(95 % PI \+1\d % … \+2\d %, 5 runs\)$/)
    expect(p95.text.detectable).toMatch(/^\+1\d %$/)
  })

  it('calls the same run unchanged, and 5 % slower within tolerance or unchanged, never worse', () => {
    expect(row(compareSamples(baseline, sample(steady), DEFAULT_TOLERANCES, history), 'p95').verdict).toBe('unchanged')
    expect(['unchanged', 'within tolerance']).toContain(row(compareSamples(baseline, sample(scaled(steady, 1.05)), DEFAULT_TOLERANCES, history), 'p95').verdict)
  })

  it('calls 18 % slower inconclusive when the runs spread by ±15 %: it could only detect a larger change', () => {
    const wide = [30, 35, 26, 33, 27].map(p95 => figures(p95))
    const p95 = row(compareSamples(baseline, sample(scaled(steady, 1.18)), DEFAULT_TOLERANCES, wide), 'p95')
    expect(p95.verdict).toBe('inconclusive')
    expect(p95.detectable).toBeGreaterThan(0.4)
  })

  it('calls 20 % less throughput a regression, 20 % more an improvement; the detectable fall is a fall', () => {
    const rates = history.map((run, index) => figures(run.p95Ms, RATES[index]))
    const perSecond = RATES
    const withRates = sample(steady, perSecond)
    const lower = row(compareSamples(withRates, sample(steady, scaled(perSecond, 0.8)), DEFAULT_TOLERANCES, rates), 'throughput')
    expect(lower.verdict).toBe('regressed')
    expect(lower.detectable).toBeGreaterThan(0.1)
    expect(lower.detectable).toBeLessThan(0.2)
    expect(lower.text.detectable).toMatch(/^−1\d(\.\d)? %$/)
    const higher = row(compareSamples(withRates, sample(steady, scaled(perSecond, 1.2)), DEFAULT_TOLERANCES, rates), 'throughput')
    expect(higher.verdict).toBe('improved')
  })

  it('weighs the error rate in points: runs at 0–0.2 %, then 5 %, a regression against +1 pt', () => {
    const errors = [0, 0.001, 0, 0.002, 0].map(rate => figures(30, 100, rate))
    const now = sample(steady, undefined, [
      0.05,
      0.04,
      0.06,
      0.05,
      0.05,
      0.05,
      0.04,
      0.06,
      0.05,
      0.05,
    ])
    const errorRate = row(compareSamples(baseline, now, DEFAULT_TOLERANCES, errors), 'errorRate')
    expect(errorRate.verdict).toBe('regressed')
    expect(errorRate.text.change).toMatch(/^\+4\.9 pt /)
  })

  it('calls nothing when the runs say regressed but this run\'s seconds do not: both spreads must agree', () => {
    // the run's whole figure is 30 % higher, but its seconds overlap the baseline's (two slow seconds)
    const now = sample([
      30.2,
      29.6,
      30.9,
      29.1,
      30.4,
      30.0,
      29.8,
      30.7,
      120,
      121,
    ])
    const p95 = row(compareSamples(baseline, now, DEFAULT_TOLERANCES, history), 'p95')
    expect(p95.change).toBeGreaterThan(0.3)
    expect(p95.verdict).toBe('inconclusive')
  })
})

describe('compareRuns and comparePairs: two runs of one test', () => {
  it('compareRuns calls 18 % slower in every second a regression, which a baseline of one run only shows, and says what it could detect', () => {
    const p95 = row(compareRuns(sample(steady), sample(scaled(steady, 1.18)), DEFAULT_TOLERANCES), 'p95')
    expect(p95.verdict).toBe('regressed')
    expect(p95.text.change).toMatch(/^\+18 % \(95 % CI \+1\d % … \+2\d %, within the runs\)$/)
    expect(p95.detectable).toBeGreaterThan(0.1)
    expect(p95.detectable).toBeLessThan(0.2)
    expect(row(compareRuns(sample(steady), sample(scaled(steady, 1.03)), DEFAULT_TOLERANCES), 'p95').verdict).not.toBe('regressed')
  })

  it('comparePairs weighs throughput and the error rate pair by pair: −20 % and +5 pt regressed, their controls not', () => {
    const side = (throughput: number[], errorRate: number[]) => throughput.map((rate, i) => ({
      ...figures(30, rate, errorRate[i]),
    }))
    const a = side([500, 800, 650, 720, 560], [0, 0.001, 0, 0.002, 0])
    const slower = side([400, 652, 515, 580, 441], [0.05, 0.052, 0.049, 0.051, 0.05])
    const rows = comparePairs(a, slower, DEFAULT_TOLERANCES)
    expect(row(rows, 'throughput').verdict).toBe('regressed')
    expect(row(rows, 'throughput').text.change).toMatch(/^−20 % \(95 % CI −2\d % … −1\d %, 5 pairs\)$/)
    expect(row(rows, 'errorRate').verdict).toBe('regressed')
    expect(row(rows, 'errorRate').text.change).toMatch(/^\+5 pt \(95 % CI \+4\.9 pt … \+5\.1 pt, 5 pairs\)$/)
    const same = comparePairs(a, side([505, 790, 655, 712, 566], [0, 0, 0.001, 0.001, 0]), DEFAULT_TOLERANCES)
    expect(same.every(one => one.verdict === 'unchanged' || one.verdict === 'within tolerance')).toBe(true)
    expect(() => comparePairs(a.slice(0, 2), slower.slice(0, 2), DEFAULT_TOLERANCES)).toThrow(RangeError)
  })
})

describe('formatChange', () => {
  it.each([
    [0.18, true, '+18 %'],
    [-0.052, true, '−5.2 %'],
    [0.0042, true, '+0.42 %'],
    [0, true, '0 %'],
    [0.004, false, '+0.4 pt'],
  ])('%d (relative %s) reads %s', (change, relative, text) => {
    expect(formatChange(change, relative)).toBe(text)
  })
})
