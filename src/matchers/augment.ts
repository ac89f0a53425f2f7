import type { BaselineTolerances } from '../baseline/compare.js'
import type { BaselineOptions } from '../baseline/options.js'
import type { EndpointResult } from '../metrics/summary.js'
import type { DurationInput } from '../spec/duration.js'
import type { RecoveryOptions } from './recovery.js'

/** The matchers `import 'vitest-load'` adds to `expect`. Each works with `expect.soft`, and all but `toMatchBaseline` and `toMatchRun` with `.not`. */
export interface LoadMatchers<R = void> {
  /** Passes when the median latency is below `limit`, e.g. `'50ms'`. */
  toHaveP50Below: (limit: DurationInput) => R
  /** Passes when the 90th-percentile latency is below `limit`. */
  toHaveP90Below: (limit: DurationInput) => R
  /** Passes when the 95th-percentile latency is below `limit`, e.g. `'100ms'`. */
  toHaveP95Below: (limit: DurationInput) => R
  /** Passes when the 99th-percentile latency is below `limit`. */
  toHaveP99Below: (limit: DurationInput) => R
  /** Passes when latency at `percentile` (0–100, e.g. 99.9) is below `limit`. */
  toHavePercentileBelow: (percentile: number, limit: DurationInput) => R
  /** Passes when the mean latency is below `limit`. */
  toHaveMeanLatencyBelow: (limit: DurationInput) => R
  /** Passes when the slowest response took less than `limit`. */
  toHaveMaxLatencyBelow: (limit: DurationInput) => R
  /** Passes when errors of every kind are below `ratio` (0–1) of finished requests: `0.01` is 1 %. */
  toHaveErrorRateBelow: (ratio: number) => R
  /** Passes when finished requests per second exceed `perSec`. */
  toHaveThroughputAbove: (perSec: number) => R
  /** On a breaking-point search stepping users: passes when its last good step had at least `users`. */
  toSustainUsers: (users: number) => R
  /** On a breaking-point search stepping rate: passes when its last good step had at least `perSec` arrivals a second. */
  toSustainRate: (perSec: number) => R
  /**
   * Passes when a scenario's checks (`ctx.check()`) passed more than `ratio` (0–1) of the time: all
   * checks together, or only the one named `check`. An unknown check name throws, listing the known ones.
   * @example expect(run).toHaveCheckPassRateAbove(0.99, 'status is 200')
   */
  toHaveCheckPassRateAbove: (ratio: number, check?: string) => R
  /**
   * Compares the run (or one endpoint) with its baseline in `__baselines__/<test file>.json` beside
   * the test file, recording it when there is none (on a local run, or always with `vitest -u`;
   * never in CI, where a missing baseline fails). Fails when p50, p95, p99, throughput or the error
   * rate got worse beyond its tolerance and significantly so. No `.not` form.
   * @example expect(run).toMatchBaseline({ p95: '+10%', throughput: '-5%' })
   */
  toMatchBaseline: (options?: BaselineOptions) => R
  /**
   * Compares the run (or one endpoint) with another of the same test, by the statistics and with
   * the tolerances of `toMatchBaseline`: fails when p50, p95, p99, throughput or the error rate got
   * worse beyond its tolerance with 95 % confidence. Given the slices of `runAB()` (arrays), pairs
   * slice i of each side, so drift that touched both cancels. No `.not` form.
   * @example expect(after).toMatchRun(before, { p95: '+10%' })
   * @example const { a, b } = await runAB({ a: OLD, b: NEW }, options); expect(b).toMatchRun(a)
   */
  toMatchRun: (before: EndpointResult | readonly EndpointResult[], tolerances?: BaselineTolerances) => R
  /**
   * On a run with `observe.process` (or one of its steps): passes when the target's CPU, the mean
   * over the judged seconds, stayed below `cores` (1 is one core busy all the time: top's 100 %).
   * @example expect(run).toHaveTargetCpuBelow(0.8)
   */
  toHaveTargetCpuBelow: (cores: number) => R
  /**
   * On a run with `observe.process`: passes when the target's memory (the V8 heap for `'self'`,
   * else resident memory) grew slower than `rate` over the steady part of the run, by the
   * least-squares slope, not the last reading against the first.
   * @example expect(run).toHaveMemoryGrowthBelow('5MB/min')
   */
  toHaveMemoryGrowthBelow: (rate: string | number) => R
  /**
   * On a run with `observe` (or one of its steps): passes when an observed figure's most (or, with
   * `'mean'`, its mean) over the judged seconds stayed below `limit`: `cpu`, `rss`, `heap`,
   * `threads`, `openFiles`, `eventLoopDelayP99`, or a Prometheus series by its name.
   * @example expect(run).toHaveTargetMetricBelow('openFiles', 1000)
   */
  toHaveTargetMetricBelow: (name: string, limit: number, stat?: 'max' | 'mean') => R
  /**
   * On a spike (`load.spike`): passes when, within `limit` of the peak's end, the target came back
   * and stayed back: every second from then on had its p95 within `options.latency` (`'+50%'` by
   * default, 5 ms at least) of its p95 before the peak, and no errors.
   * @example expect(run).toRecoverWithin('5s')
   */
  toRecoverWithin: (limit: DurationInput, options?: RecoveryOptions) => R
}

// Vitest 4 declares `Matchers<T = any>` and Vitest 5 `Matchers<R = …, T = unknown>`: merged
// declarations must repeat the type parameters by name, so one written with either list breaks
// type-checking on the other version (TS2428). A declaration with no type parameters merges with
// both, because every parameter of either has a default.
declare module 'vitest' {

  interface Matchers extends LoadMatchers {}
}
