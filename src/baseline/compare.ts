import type { BaselineEnvironment } from './environment.js'
import type { BaselineFigures, BaselineIntervals, BaselineSample } from './sample.js'
import { formatMs, formatPercent, formatRate } from '../metrics/units.js'
import { meanInterval, MIN_INTERVALS, predictionInterval, shiftEstimate } from './statistics.js'

/** The figures `toMatchBaseline` compares, by the names its options use. */
export type BaselineMetric = 'p50' | 'p95' | 'p99' | 'throughput' | 'errorRate'

/**
 * How much worse a figure may get before it counts as a regression, or `false` not to compare it:
 * - latency (`p50`, `p95`, `p99`): an increase relative to the baseline, `'+10%'` or `0.1`;
 * - `throughput`: a decrease relative to the baseline, `'-5%'` or `0.05`;
 * - `errorRate`: an increase in percentage points, `'+1%'` or `0.01` (from 0.2 % to 1.2 % is +1 point).
 */
export type BaselineTolerance = string | number | false

/** Per-metric tolerances: `{ p95: '+10%', throughput: '-5%' }`. Metrics not named keep their defaults. */
export type BaselineTolerances = Partial<Record<BaselineMetric, BaselineTolerance>>

/** Tolerances that suit a shared CI machine: a run-to-run wobble of a few per cent is not a regression. */
export const DEFAULT_TOLERANCES: Readonly<Record<BaselineMetric, number>> = {
  p50: 0.1,
  p95: 0.1,
  p99: 0.2,
  throughput: 0.1,
  errorRate: 0.01,
}

/** The metrics in the order tables show them. */
export const BASELINE_METRICS: readonly BaselineMetric[] = [
  'p50',
  'p95',
  'p99',
  'throughput',
  'errorRate',
]

/**
 * The runs a baseline needs before a change can be called a regression: with fewer, the spread
 * between runs (machine state, process placement, JIT, caches, neighbours) is not known, and it
 * is what dwarfs the spread within one run on a real service.
 */
export const MIN_RUNS = 3
/** The runs a baseline keeps: runs that pass on the machine that records are added until it holds this many. */
export const MAX_RUNS = 5

/**
 * What one metric's comparison concluded, from the change and its 95 % interval:
 * - `regressed`: worse, and the whole interval beyond the tolerance: the test fails;
 * - `improved`: better, and the whole interval beyond the tolerance the other way;
 * - `inconclusive`: worse (or better) beyond the tolerance, but the interval reaches back inside
 *   it, or the baseline holds fewer than `MIN_RUNS` runs: too noisy, or too little known, to say;
 *   the test passes, and the tables show it;
 * - `unchanged`: the interval holds 0;
 * - `within tolerance`: a significant change either way that the tolerance allows.
 */
export type BaselineRowVerdict = 'regressed' | 'improved' | 'inconclusive' | 'within tolerance' | 'unchanged'

/** One metric of a baseline comparison, as the tables show it. */
export interface BaselineRow {
  metric: BaselineMetric
  /** `'p95 latency'`, `'throughput'`, `'error rate'`. */
  label: string
  /** The whole-run figure of the baseline and of this run (ms, req/s, or a ratio 0–1 for the error rate). */
  baseline: number
  now: number
  /**
   * The change: relative for latency and throughput (`0.18` is +18 %), in points for the error rate
   * (`0.004` is +0.4 points). With `MIN_RUNS` baseline runs or more, this run's figure against the
   * mean of the baseline's runs (geometric, for relative changes); with fewer, the Hodges–Lehmann
   * shift between the per-interval values of the baseline's first run and this one.
   */
  change: number
  /**
   * The 95 % interval of `change`: the prediction interval of one more run from the baseline's
   * runs (Student's t over their spread), or, with fewer runs, the confidence interval of the shift
   * within one run, which knows nothing of the spread between runs.
   */
  low: number
  high: number
  /** The confidence the interval reached, e.g. `0.95`; `null` when too few intervals allowed a test and the tolerance alone decided. */
  confidence: number | null
  /** The tolerance, as a number in the units of `change` (always positive). */
  tolerance: number
  verdict: BaselineRowVerdict
  /** The baseline runs the verdict weighed: below `MIN_RUNS`, it calls nothing a regression. */
  runs: number
  /**
   * The smallest change in the worse direction that this comparison would have called a
   * regression, given the spread of the baseline's runs: `0.18` reads "catches p95 regressions of
   * +18 % or more here". `null` with fewer than `MIN_RUNS` runs.
   */
  detectable: number | null
  /** The figures as people read them: `{ baseline: '31 ms', now: '36.6 ms', change: '+18 % (95 % PI +12 % … +24 %, 5 runs)', tolerance: '+10 %', detectable: '+16 %' }`. */
  text: { baseline: string, now: string, change: string, tolerance: string, detectable: string }
}

/** Which direction is worse, how a value reads, and how a change is measured for one metric. */
interface MetricRule {
  label: string
  figure: keyof BaselineFigures & keyof BaselineIntervals
  /** `+1` when a rise is worse (latency, errors), `-1` when a fall is (throughput). */
  worse: 1 | -1
  /** Relative changes (latency, throughput) or absolute ones (the error rate, in points). */
  relative: boolean
  format: (value: number) => string
}

const RULES: Record<BaselineMetric, MetricRule> = {
  p50: {
    label: 'p50 latency',
    figure: 'p50Ms',
    worse: 1,
    relative: true,
    format: formatMs,
  },
  p95: {
    label: 'p95 latency',
    figure: 'p95Ms',
    worse: 1,
    relative: true,
    format: formatMs,
  },
  p99: {
    label: 'p99 latency',
    figure: 'p99Ms',
    worse: 1,
    relative: true,
    format: formatMs,
  },
  throughput: {
    label: 'throughput',
    figure: 'throughputPerSec',
    worse: -1,
    relative: true,
    format: formatRate,
  },
  errorRate: {
    label: 'error rate',
    figure: 'errorRate',
    worse: 1,
    relative: false,
    format: formatPercent,
  },
}

/** The confidence of the interval `toMatchBaseline` asks for. */
export const CONFIDENCE = 0.95

function signed(text: string, value: number): string {
  return value > 0
    ? `+${text}`
    : value < 0
      ? `−${text.replace(/^-/, '')}`
      : text
}

/** `0.18` → `'+18 %'` (relative), `0.004` → `'+0.4 pt'` (points of an error rate). */
export function formatChange(change: number, relative: boolean): string {
  const percent = Math.abs(change) * 100
  const digits = percent >= 10
    ? 0
    : percent >= 1
      ? 1
      : 2
  const text = `${Number(percent.toFixed(digits))} ${relative ? '%' : 'pt'}`
  return signed(text, Number(change.toFixed(digits + 2)))
}

function values(list: readonly (number | null)[]): number[] {
  return list.filter((value): value is number => value !== null && Number.isFinite(value))
}

/** The Hodges–Lehmann change of one metric and its interval, or `null` when either side has too few intervals for a test. */
function shiftOf(rule: MetricRule, baseline: BaselineSample, now: BaselineSample): { change: number, low: number, high: number, confidence: number } | null {
  const before = values(baseline.intervals[rule.figure])
  const after = values(now.intervals[rule.figure])
  if (before.length < MIN_INTERVALS || after.length < MIN_INTERVALS)
    return null
  if (rule.figure === 'throughputPerSec') {
    // differences in req/s, relative to the baseline's rate: a second without responses is 0, not -∞
    const reference = baseline.summary.throughputPerSec
    if (reference <= 0)
      return null
    const shift = shiftEstimate(before, after, CONFIDENCE)
    return {
      change: shift.estimate / reference,
      low: shift.low / reference,
      high: shift.high / reference,
      confidence: shift.confidence,
    }
  }
  if (rule.relative) {
    // latency changes multiply: compare logarithms, then read the shift back as a ratio
    const log = (list: number[]): number[] => list.map(value => Math.log(Math.max(value, 0.001)))
    const shift = shiftEstimate(log(before), log(after), CONFIDENCE)
    return {
      change: Math.expm1(shift.estimate),
      low: Math.expm1(shift.low),
      high: Math.expm1(shift.high),
      confidence: shift.confidence,
    }
  }
  const shift = shiftEstimate(before, after, CONFIDENCE)
  return {
    change: shift.estimate,
    low: shift.low,
    high: shift.high,
    confidence: shift.confidence,
  }
}

/** The whole-run change, for a metric whose intervals are too few for a test. */
function wholeRunChange(rule: MetricRule, before: number, after: number): number {
  if (!rule.relative)
    return after - before
  if (before > 0)
    return after / before - 1
  return after > 0
    ? Number.POSITIVE_INFINITY
    : 0
}

/**
 * The verdict from the change and its interval, both turned so that positive is worse. A
 * regression is a change whose whole interval lies beyond the tolerance: significantly larger than
 * it, not merely significant and larger. On a shared machine the intervals of one run cannot see
 * the drift from run to run, and this is what keeps that drift from raising alarms (see
 * bench/baseline.js, and docs/baselines.md for the figures).
 */
function verdictOf(worse: number, [worseLow, worseHigh]: [number, number], tolerance: number): BaselineRowVerdict {
  if (worseLow > tolerance)
    return 'regressed'
  if (worseHigh < -tolerance)
    return 'improved'
  if (worse > tolerance)
    return 'inconclusive'
  if (worseLow <= 0 && worseHigh >= 0)
    return 'unchanged'
  return 'within tolerance'
}

/** Too few intervals for an interval: the whole-run change against the tolerance decides alone. */
function verdictWithoutInterval(worse: number, tolerance: number): BaselineRowVerdict {
  if (worse > tolerance)
    return 'regressed'
  return worse < -tolerance
    ? 'improved'
    : 'within tolerance'
}

/** Below this, a figure is taken as this for its logarithm: a throughput of 0 (a dead target) stays finite. */
const LOG_FLOOR = 1e-6

/**
 * The change of one metric against the runs of the baseline, with its 95 % prediction interval
 * and the smallest worse change it would flag; `null` with fewer than `MIN_RUNS` runs.
 */
function betweenRuns(rule: MetricRule, tolerance: number, history: readonly BaselineFigures[], now: number): { reference: number, change: number, low: number, high: number, detectable: number } | null {
  if (history.length < MIN_RUNS)
    return null
  if (!rule.relative) {
    const { mean, halfWidth } = predictionInterval(history.map(run => run[rule.figure]))
    const change = now - mean
    return {
      reference: mean,
      change,
      low: change - halfWidth,
      high: change + halfWidth,
      detectable: detectableChange(rule, tolerance, halfWidth),
    }
  }
  // relative changes multiply: logarithms, read back as ratios
  const { mean, halfWidth } = predictionInterval(history.map(run => Math.log(Math.max(run[rule.figure], LOG_FLOOR))))
  const shift = Math.log(Math.max(now, LOG_FLOOR)) - mean
  return {
    reference: Math.exp(mean),
    change: Math.expm1(shift),
    low: Math.expm1(shift - halfWidth),
    high: Math.expm1(shift + halfWidth),
    detectable: detectableChange(rule, tolerance, halfWidth),
  }
}

/**
 * The least rise (or fall, for throughput) whose whole interval, `halfWidth` either side of it (in
 * logarithms for relative changes, in points otherwise), lies beyond the tolerance.
 */
function detectableChange(rule: MetricRule, tolerance: number, halfWidth: number): number {
  if (!rule.relative)
    return tolerance + halfWidth
  return rule.worse === 1
    ? Math.expm1(Math.log1p(tolerance) + halfWidth)
    : tolerance >= 1
      ? 1
      : -Math.expm1(Math.log1p(-tolerance) - halfWidth)
}

/**
 * Whether the seconds of this run, against those of the baseline's recorded run, say the same as
 * the runs do (`regressed` or `improved` beyond the tolerance): a change is called only when the
 * spread between runs and the spread within one both allow it. On a machine with a noisy
 * neighbour neither alone kept false alarms down (bench/baseline-real.js).
 */
function agreesWithin(rule: MetricRule, tolerance: number, verdict: 'regressed' | 'improved', within: ReturnType<typeof shiftOf>, baseline: BaselineSample, now: BaselineSample): boolean {
  if (within === null)
    return verdictWithoutInterval(wholeRunChange(rule, baseline.summary[rule.figure], now.summary[rule.figure]) * rule.worse, tolerance) === verdict
  return verdictOf(within.change * rule.worse, rule.worse === 1
    ? [within.low, within.high]
    : [-within.high, -within.low], tolerance) === verdict
}

function compareMetric(metric: BaselineMetric, tolerance: number, baseline: BaselineSample, history: readonly BaselineFigures[], now: BaselineSample): BaselineRow {
  const rule = RULES[metric]
  const after = now.summary[rule.figure]
  const across = betweenRuns(rule, tolerance, history, after)
  // the shift between the seconds of the baseline's recorded run and this run's: shown when the
  // baseline has too few runs (and then it calls nothing a regression), and required to agree
  // when it has enough
  const within = shiftOf(rule, baseline, now)
  const shift = across === null
    ? within
    : null
  const before = across?.reference ?? baseline.summary[rule.figure]
  const change = across?.change ?? shift?.change ?? wholeRunChange(rule, before, after)
  const [low, high] = across
    ? [across.low, across.high]
    : shift
      ? [shift.low, shift.high]
      : [change, change]
  // in the worse direction, positive: a regression is a large positive `worse`
  const worse = change * rule.worse
  const judged = across === null && shift === null
    ? verdictWithoutInterval(worse, tolerance)
    : verdictOf(worse, rule.worse === 1
        ? [low, high]
        : [-high, -low], tolerance)
  const verdict = (judged === 'regressed' || judged === 'improved') && !(across !== null && agreesWithin(rule, tolerance, judged, within, baseline, now))
    ? 'inconclusive'
    : judged
  const interval = across
    ? ` (${Math.round(CONFIDENCE * 100)} % PI ${formatChange(low, rule.relative)} … ${formatChange(high, rule.relative)}, ${history.length} runs)`
    : shift === null
      ? ' (too few intervals for a confidence interval)'
      // the interval covers at least 95 % (small samples reach a little more, e.g. 96.8 % for 5 and 5): named as asked
      : ` (${Math.round(CONFIDENCE * 100)} % CI ${formatChange(shift.low, rule.relative)} … ${formatChange(shift.high, rule.relative)}, within 1 run)`
  return rowOf(metric, tolerance, {
    before,
    after,
    change,
    low,
    high,
    confidence: across || shift
      ? (shift?.confidence ?? CONFIDENCE)
      : null,
    verdict,
    runs: history.length,
    detectable: across?.detectable ?? null,
    interval,
    missingDetectable: `needs ${MIN_RUNS} runs`,
  })
}

/** What a row is made of, before its figures are put in words. */
interface RowParts {
  before: number
  after: number
  change: number
  low: number
  high: number
  confidence: number | null
  verdict: BaselineRowVerdict
  runs: number
  detectable: number | null
  /** `' (95 % PI +12 % … +24 %, 5 runs)'`: what follows the change in its text. */
  interval: string
  /** What the detectable column says when `detectable` is `null`. */
  missingDetectable: string
}

function rowOf(metric: BaselineMetric, tolerance: number, parts: RowParts): BaselineRow {
  const rule = RULES[metric]
  return {
    metric,
    label: rule.label,
    baseline: parts.before,
    now: parts.after,
    change: parts.change,
    low: parts.low,
    high: parts.high,
    confidence: parts.confidence,
    tolerance,
    verdict: parts.verdict,
    runs: parts.runs,
    detectable: parts.detectable,
    text: {
      baseline: rule.format(parts.before),
      now: rule.format(parts.after),
      change: `${formatChange(parts.change, rule.relative)}${parts.interval}`,
      tolerance: formatChange(tolerance * rule.worse, rule.relative),
      detectable: parts.detectable === null
        ? parts.missingDetectable
        : formatChange(parts.detectable * rule.worse, rule.relative),
    },
  }
}

/** The rows of the metrics whose tolerance is not `false`, in table order. */
function rowsFor(tolerances: Readonly<Record<BaselineMetric, number | false>>, row: (metric: BaselineMetric, tolerance: number) => BaselineRow): BaselineRow[] {
  return BASELINE_METRICS.flatMap((metric) => {
    const tolerance = tolerances[metric]
    return tolerance === false
      ? []
      : [
          row(metric, tolerance),
        ]
  })
}

/**
 * Compares a run with its baseline, metric by metric; metrics whose tolerance is `false` are left
 * out. `history` holds the whole-run figures of the baseline's runs (its first run at least).
 */
export function compareSamples(baseline: BaselineSample, now: BaselineSample, tolerances: Readonly<Record<BaselineMetric, number | false>>, history: readonly BaselineFigures[] = [baseline.summary]): BaselineRow[] {
  return rowsFor(tolerances, (metric, tolerance) => compareMetric(metric, tolerance, baseline, history, now))
}

/**
 * Compares two runs of one test (`toMatchRun`), metric by metric: the Hodges–Lehmann shift between
 * their per-interval figures and its 95 % interval decide, as a baseline of one run shows them, but
 * here a change whose whole interval lies beyond the tolerance is a regression. The interval sees
 * the spread within the runs only: drift between them (a neighbour, the target's caches) reads as
 * a change, which is what alternating slices (`runAB`, `comparePairs`) cancel.
 */
export function compareRuns(before: BaselineSample, now: BaselineSample, tolerances: Readonly<Record<BaselineMetric, number | false>>): BaselineRow[] {
  return rowsFor(tolerances, (metric, tolerance) => {
    const rule = RULES[metric]
    const within = shiftOf(rule, before, now)
    const figureBefore = before.summary[rule.figure]
    const after = now.summary[rule.figure]
    const change = within?.change ?? wholeRunChange(rule, figureBefore, after)
    const [low, high] = within
      ? [within.low, within.high]
      : [change, change]
    const worse = change * rule.worse
    const [worseLow, worseHigh] = rule.worse === 1
      ? [low, high]
      : [-high, -low]
    return rowOf(metric, tolerance, {
      before: figureBefore,
      after,
      change,
      low,
      high,
      confidence: within?.confidence ?? null,
      verdict: within
        ? verdictOf(worse, [worseLow, worseHigh], tolerance)
        : verdictWithoutInterval(worse, tolerance),
      runs: 1,
      // the least worse change whose interval, as wide as this one on its worse side, clears the tolerance
      detectable: within
        ? tolerance + (worse - worseLow)
        : null,
      interval: within
        ? ` (${Math.round(CONFIDENCE * 100)} % CI ${formatChange(low, rule.relative)} … ${formatChange(high, rule.relative)}, within the runs)`
        : ' (too few intervals for a confidence interval)',
      missingDetectable: `needs ${MIN_INTERVALS} intervals`,
    })
  })
}

/** The pairs of slices `comparePairs` needs for an interval: with 2, Student's t has one degree of freedom and the interval is all but useless. */
export const MIN_PAIRS = 3

/**
 * Compares two sides measured in alternating slices (`runAB`): slice i of `before` was measured
 * next to slice i of `now`, so drift that touched both cancels in their difference. Per metric, the
 * mean of the paired differences (of logarithms, for latency and throughput) and its 95 %
 * confidence interval (Student's t over the pairs) decide: a regression is a change whose whole
 * interval lies beyond the tolerance. Needs `MIN_PAIRS` pairs.
 */
export function comparePairs(before: readonly BaselineFigures[], now: readonly BaselineFigures[], tolerances: Readonly<Record<BaselineMetric, number | false>>): BaselineRow[] {
  if (before.length !== now.length || before.length < MIN_PAIRS)
    throw new RangeError(`comparePairs needs two sides of the same length, ${MIN_PAIRS} or more; got ${before.length} and ${now.length}`)
  const pairs = before.length
  return rowsFor(tolerances, (metric, tolerance) => {
    const rule = RULES[metric]
    const scale = (value: number): number => rule.relative
      ? Math.log(Math.max(value, LOG_FLOOR))
      : value
    const unscale = (value: number): number => rule.relative
      ? Math.exp(value)
      : value
    const asChange = (shift: number): number => rule.relative
      ? Math.expm1(shift)
      : shift
    const { mean, halfWidth } = meanInterval(before.map((one, i) => scale(now[i]![rule.figure]) - scale(one[rule.figure])))
    const centre = (side: readonly BaselineFigures[]): number => unscale(side.reduce((sum, one) => sum + scale(one[rule.figure]), 0) / pairs)
    const change = asChange(mean)
    const low = asChange(mean - halfWidth)
    const high = asChange(mean + halfWidth)
    const [worseLow, worseHigh] = rule.worse === 1
      ? [low, high]
      : [-high, -low]
    return rowOf(metric, tolerance, {
      before: centre(before),
      after: centre(now),
      change,
      low,
      high,
      confidence: CONFIDENCE,
      verdict: verdictOf(change * rule.worse, [worseLow, worseHigh], tolerance),
      runs: pairs,
      detectable: detectableChange(rule, tolerance, halfWidth),
      interval: ` (${Math.round(CONFIDENCE * 100)} % CI ${formatChange(low, rule.relative)} … ${formatChange(high, rule.relative)}, ${pairs} pairs)`,
      missingDetectable: '—',
    })
  })
}

/**
 * Whether a row looked worse than its tolerance allows: regressed, or inconclusive with its change
 * beyond the tolerance in the metric's worse direction and its interval wholly on the worse side
 * of no change. A tail that wobbles (p99 +20 %, 95 % CI −47 % … +125 %) is noise, not a slow run.
 */
export function looksWorse(row: BaselineRow): boolean {
  if (row.verdict === 'regressed')
    return true
  const worse = RULES[row.metric].worse
  const worseLow = worse === 1
    ? row.low
    : -row.high
  return row.verdict === 'inconclusive' && row.change * worse > row.tolerance && worseLow > 0
}

/** The intervals of a sample with something measured in them: what the statistics can use. */
export function measuredIntervals(sample: BaselineSample): number {
  return values(sample.intervals.p50Ms).length
}

/**
 * What happened to a baseline in one `toMatchBaseline` call:
 * - `compared`: the run was compared with it (`rows` say how);
 * - `recorded`: there was none, and this run became it (a local run, or `vitest -u`);
 * - `updated`: `vitest -u` replaced it with this run;
 * - `missing`: there is none and baselines are not written here (CI): the test fails;
 * - `different load`: it was recorded for another load model: the test fails until it is recorded again;
 * - `too short`: the run has too few intervals to compare or record: the test fails;
 * - `unreadable`: the baseline file is corrupt or of another schema version: the test fails;
 * - `not comparable`: measured on another class of machine, or while other processes took a very
 *   different share of the CPU (`notComparable` says how): the rows show the figures, their
 *   verdicts are not applied, and the test passes.
 */
export type BaselineStatus = 'compared' | 'recorded' | 'updated' | 'missing' | 'different load' | 'too short' | 'unreadable' | 'not comparable'

/** One `toMatchBaseline` call's outcome, as the reports show it. */
export interface BaselineComparison {
  /** The name the baseline is stored under: the test's full name, maybe with ` > ` and an endpoint's name. */
  name: string
  /** The baseline file, relative to the current folder: `'test/__baselines__/users.load.test.ts.json'`. */
  file: string
  status: BaselineStatus
  /** The day the baseline in use was recorded, `'2026-11-20'`; `null` when there was none. */
  recorded: string | null
  /** Metric by metric, when `status` is `'compared'` or `'not comparable'`; empty otherwise. */
  rows: BaselineRow[]
  /** Why this run cannot be compared with the baseline (status `'not comparable'`); empty when it can. Absent in older reports. */
  notComparable?: string[]
  /** The runs the baseline held when this run was compared (it may add this one); absent in older reports. */
  runs?: number
  /**
   * `toMatchRun` only: what this run was compared with, instead of a stored baseline: `'run "GET
   * /items · before"'`, or `'6 slices of "GET /items · a", in pairs'`. `file` is then empty.
   */
  against?: string
  /** Where the baseline (`null`: not recorded, or none) and this run were measured. Absent in older reports. */
  environment?: { baseline: BaselineEnvironment | null, now: BaselineEnvironment }
}
