// The whole public API. Nothing inside src/ imports this file.
import { expect } from 'vitest'
import { loadMatchers } from './matchers/index.js'
import './matchers/augment.js'

expect.extend(loadMatchers)

export {
  InvalidMatcherArgumentError,
  InvalidOptionsError,
  LoadAbortedError,
  LoadTestError,
  LoadTimeoutError,
  TargetUnreachableError,
  UnknownEndpointError,
  WorkerCrashedError,
} from './errors.js'
export { loadTest } from './load-test.js'
export type { LoadAssertions, LoadTestFunction, LoadTestOptionsInput } from './load-test.js'
export type { LoadMatchers } from './matchers/augment.js'
export { loadMatchers } from './matchers/index.js'

export type { EncodedHistogram, LatencySummary } from './metrics/histogram.js'
export type { EndpointResult, ErrorCounts, LoadRun, RequestTotals, TimelinePoint } from './metrics/summary.js'
export type { RunReport } from './report/run-report.js'
export { runLoad } from './run-load.js'
export type { RunLoadSettings } from './run-load.js'
export { parseDurationMs } from './spec/duration.js'
export type { DurationInput } from './spec/duration.js'
export type { ClosedLoadOptions, LoadModelOptions, LoadTestOptions, RequestOptions, StatusMatcher } from './spec/types.js'
