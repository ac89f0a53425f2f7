import type { DurationInput } from '../spec/duration.js'

/** The matchers `import 'vitest-load'` adds to `expect`. Each works with `.not` and `expect.soft`. */
export interface LoadMatchers<R = unknown> {
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
}

declare module 'vitest' {

  interface Matchers<T = any> extends LoadMatchers<T> {}
}
