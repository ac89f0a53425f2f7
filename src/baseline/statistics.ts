/**
 * The Hodges–Lehmann shift between two samples and its distribution-free confidence interval,
 * from the Mann–Whitney U distribution: the statistics behind `toMatchBaseline`.
 *
 * For samples x (baseline) and y (now), every difference `y[j] - x[i]` is formed; the estimate is
 * their median and the interval runs between two of their order statistics chosen from the null
 * distribution of U. It assumes the intervals are exchangeable within a run; what varies from run
 * to run on a noisy machine is covered by the tolerance, not by this interval.
 */

/** A shift and its confidence interval, in the units of the samples' differences. */
export interface ShiftEstimate {
  /** The median of all pairwise differences (Hodges–Lehmann). */
  estimate: number
  low: number
  high: number
  /** The confidence actually reached: at least the one asked for, higher when the samples are small. */
  confidence: number
}

/** Samples at most this large on both sides use U's exact distribution; larger ones its normal approximation. */
const EXACT_LIMIT = 20

/**
 * `P(U ≤ u)` for u = 0…n·m under the null hypothesis, exactly: the coefficients of the Gaussian
 * binomial `[n+m choose n]_q` over `C(n+m, n)`, built by the recurrence
 * `p(n, m, u) = n/(n+m) · p(n-1, m, u-m) + m/(n+m) · p(n, m-1, u)`, which only ever mixes
 * probabilities (no cancellation).
 */
export function exactUDistribution(n: number, m: number): Float64Array {
  // table[a][b] is the distribution of U for sizes (a, b), over u = 0…a·b
  let previous: Float64Array[] = [] // row a - 1
  for (let a = 0; a <= n; a++) {
    const row: Float64Array[] = []
    for (let b = 0; b <= m; b++) {
      const cells = new Float64Array(a * b + 1)
      if (a === 0 || b === 0) {
        cells[0] = 1
      }
      else {
        const fromA = previous[b]! // sizes (a - 1, b): one x placed above every y, adds b
        const fromB = row[b - 1]! // sizes (a, b - 1): one y placed above every x, adds 0
        const wa = a / (a + b)
        const wb = b / (a + b)
        for (let u = 0; u < fromA.length; u++)
          cells[u + b]! += wa * fromA[u]!
        for (let u = 0; u < fromB.length; u++)
          cells[u]! += wb * fromB[u]!
      }
      row.push(cells)
    }
    previous = row
  }
  const density = previous[m]!
  const cumulative = new Float64Array(density.length)
  let sum = 0
  for (let u = 0; u < density.length; u++) {
    sum += density[u]!
    cumulative[u] = sum
  }
  return cumulative
}

/** The standard normal distribution function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2)
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2)
  return z >= 0
    ? (1 + erf) / 2
    : (1 - erf) / 2
}

/**
 * The number of pairwise differences to leave out at each end for a two-sided interval of at
 * least `confidence`: the largest k with `P(U < k) ≤ (1 - confidence) / 2`. 0 when the samples
 * are too small to reach it (the interval is then the whole range of differences).
 */
export function trimCount(n: number, m: number, confidence: number): number {
  const tail = (1 - confidence) / 2
  if (n <= EXACT_LIMIT && m <= EXACT_LIMIT) {
    const cumulative = exactUDistribution(n, m)
    let k = 0
    // P(U ≤ k) ≤ tail, with a little room for rounding in the sums
    while (k < cumulative.length && cumulative[k]! <= tail + 1e-12)
      k++
    return k
  }
  // U is close to normal with mean nm/2 and variance nm(n+m+1)/12; continuity-corrected
  const mean = n * m / 2
  const sd = Math.sqrt(n * m * (n + m + 1) / 12)
  let k = Math.max(0, Math.floor(mean - zFor(tail) * sd - 0.5))
  while (k > 0 && normalCdf((k - 1 + 0.5 - mean) / sd) > tail)
    k--
  while (normalCdf((k + 0.5 - mean) / sd) <= tail)
    k++
  return k
}

/** The z with `Φ(z) = 1 - tail`, by bisection (tail in (0, 0.5)). */
function zFor(tail: number): number {
  let low = 0
  let high = 10
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2
    if (1 - normalCdf(mid) > tail)
      low = mid
    else
      high = mid
  }
  return (low + high) / 2
}

/** The confidence a trim of k at each end reaches: `1 - 2·P(U < k)`. */
function confidenceOf(n: number, m: number, k: number): number {
  if (k === 0)
    return 0
  if (n <= EXACT_LIMIT && m <= EXACT_LIMIT)
    return 1 - 2 * exactUDistribution(n, m)[k - 1]!
  const mean = n * m / 2
  const sd = Math.sqrt(n * m * (n + m + 1) / 12)
  return 1 - 2 * normalCdf((k - 1 + 0.5 - mean) / sd)
}

/**
 * The Hodges–Lehmann shift of `now` against `baseline` (`now - baseline`) with its two-sided
 * interval at `confidence`. Both samples must be non-empty; with too few values for the confidence
 * asked, `confidence` in the result says what was reached (the interval is then every difference).
 */
export function shiftEstimate(baseline: readonly number[], now: readonly number[], confidence = 0.95): ShiftEstimate {
  const n = baseline.length
  const m = now.length
  if (n === 0 || m === 0)
    throw new RangeError('shiftEstimate needs at least one value on each side')
  const differences = new Float64Array(n * m)
  let index = 0
  for (const x of baseline) {
    for (const y of now)
      differences[index++] = y - x
  }
  differences.sort()
  const size = differences.length
  const estimate = size % 2 === 1
    ? differences[(size - 1) / 2]!
    : (differences[size / 2 - 1]! + differences[size / 2]!) / 2
  const k = trimCount(n, m, confidence)
  // 1-based order statistics k and size - k + 1; with k = 0, the whole range
  const low = differences[Math.max(k - 1, 0)]!
  const high = differences[size - Math.max(k, 1)]!
  return {
    estimate,
    low,
    high,
    confidence: confidenceOf(n, m, k),
  }
}

/** The smallest sample on each side for which a 95 % interval exists: 5 and 5 give `P(U ≤ 2) = 4/252 < 2.5 %`. */
export const MIN_INTERVALS = 5

/** Two-sided 95 % quantiles of Student's t, for 1 to 30 degrees of freedom. */
const T_975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
]

/** The 97.5 % quantile of Student's t with `df` degrees of freedom: a table to 30, a Cornish–Fisher expansion above (within 0.001). */
export function studentT975(df: number): number {
  if (!Number.isInteger(df) || df < 1)
    throw new RangeError(`degrees of freedom must be a whole number above 0, got ${df}`)
  if (df <= T_975.length)
    return T_975[df - 1]!
  const z = 1.959964
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
}

/**
 * Where one more observation is expected, from `history` (at least 2): the mean, and the half-width
 * of its 95 % prediction interval, `t(k − 1) · s · √(1 + 1/k)` for k observations of sample
 * standard deviation s. It holds the spread between the observations and the uncertainty of their
 * mean, under a normal model (of logarithms, for figures whose changes multiply).
 */
export function predictionInterval(history: readonly number[]): { mean: number, halfWidth: number } {
  const k = history.length
  if (k < 2)
    throw new RangeError(`a prediction interval needs at least 2 observations, got ${k}`)
  const mean = history.reduce((sum, value) => sum + value, 0) / k
  const variance = history.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (k - 1)
  return { mean, halfWidth: studentT975(k - 1) * Math.sqrt(variance) * Math.sqrt(1 + 1 / k) }
}

/**
 * The mean of `differences` (at least 2: paired differences, such as slice i of one side against
 * slice i of the other) and the half-width of its 95 % confidence interval, `t(k − 1) · s / √k`.
 */
export function meanInterval(differences: readonly number[]): { mean: number, halfWidth: number } {
  const k = differences.length
  if (k < 2)
    throw new RangeError(`a confidence interval of a mean needs at least 2 observations, got ${k}`)
  const mean = differences.reduce((sum, value) => sum + value, 0) / k
  const variance = differences.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (k - 1)
  return { mean, halfWidth: studentT975(k - 1) * Math.sqrt(variance / k) }
}
