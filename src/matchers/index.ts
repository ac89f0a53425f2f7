import { toMatchBaseline } from './baseline.js'
import { toSustainRate, toSustainUsers } from './breaking-point.js'
import { toHaveCheckPassRateAbove } from './checks.js'
import { toHaveErrorRateBelow } from './error-rate.js'
import { toHaveMaxLatencyBelow, toHaveMeanLatencyBelow, toHaveP50Below, toHaveP90Below, toHaveP95Below, toHaveP99Below, toHavePercentileBelow } from './latency.js'
import { toRecoverWithin } from './recovery.js'
import { toMatchRun } from './run.js'
import { toHaveMemoryGrowthBelow, toHaveTargetCpuBelow, toHaveTargetMetricBelow } from './target.js'
import { toHaveThroughputAbove } from './throughput.js'

/** Every matcher of vitest-load, for `expect.extend()`. */
export const loadMatchers = {
  toHaveP50Below,
  toHaveP90Below,
  toHaveP95Below,
  toHaveP99Below,
  toHavePercentileBelow,
  toHaveMeanLatencyBelow,
  toHaveMaxLatencyBelow,
  toHaveErrorRateBelow,
  toHaveThroughputAbove,
  toSustainUsers,
  toSustainRate,
  toHaveCheckPassRateAbove,
  toMatchBaseline,
  toMatchRun,
  toHaveTargetCpuBelow,
  toHaveMemoryGrowthBelow,
  toHaveTargetMetricBelow,
  toRecoverWithin,
}
