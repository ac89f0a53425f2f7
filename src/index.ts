// The whole public API. Nothing inside src/ imports this file.
import { expect } from 'vitest'
import { loadMatchers } from './matchers/index.js'
import './matchers/augment.js'

expect.extend(loadMatchers)

export type { BaselineComparison, BaselineMetric, BaselineRow, BaselineRowVerdict, BaselineStatus, BaselineTolerance, BaselineTolerances } from './baseline/compare.js'
export type { BaselineEnvironment, EnvironmentStrictness } from './baseline/environment.js'
export type { BaselineOptions } from './baseline/options.js'
export type { BaselineFigures, BaselineIntervals, BaselineSample } from './baseline/sample.js'
export type { BaselineEntry, BaselineFile } from './baseline/store.js'
export {
  AgentLostError,
  DistributedRunError,
  ErrorBudgetExceededError,
  InvalidMatcherArgumentError,
  InvalidOptionsError,
  InvalidPluginOptionsError,
  LoadAbortedError,
  LoadTestError,
  LoadTimeoutError,
  ScenarioLoadError,
  TargetUnreachableError,
  UnknownEndpointError,
  UnknownStepError,
  WorkerCrashedError,
  WorkerOutOfMemoryError,
} from './errors.js'
export { loadTest } from './load-test.js'
export type { LoadAssertions, LoadTestFunction, LoadTestOptionsInput } from './load-test.js'
export type { LoadMatchers } from './matchers/augment.js'
export { loadMatchers } from './matchers/index.js'
export type { RecoveryOptions } from './matchers/recovery.js'
export type { CheckResult, CounterResult, CustomMetricResult, RateResult, TrendResult } from './metrics/custom.js'

export type { EncodedHistogram, LatencySummary } from './metrics/histogram.js'
export type { RunOverlap } from './metrics/overlap.js'
export type { RecoveryAssessment } from './metrics/recovery.js'
export type { BreakingPointResult, BreakingPointStep, EndpointResult, ErrorCounts, GeneratorHealth, LoadModelKind, LoadRun, LoadStep, MachineCpu, ObservedFigure, ObservedPoint, ObservedTarget, RequestTotals, SaturationCause, TimelinePoint, WarmupResult, WorkerHealth } from './metrics/summary.js'
export type { MatcherVerdict } from './metrics/verdicts.js'
export type { JsonReport, ReportTest } from './report/format-json.js'
export type { RunReport } from './report/run-report.js'
export { runAB } from './run-ab.js'
export type { ABRuns, ABTargets, RunABSettings } from './run-ab.js'
export { runLoad } from './run-load.js'
export type { RunLoadSettings } from './run-load.js'
// everything a scenario module can import from vitest-load/scenario, from here too
export * from './scenario.js'
export { parseDurationMs } from './spec/duration.js'
export type { DurationInput } from './spec/duration.js'
export type { RateInput } from './spec/rate.js'
export type { RequestDescription } from './spec/redact.js'
export type { BreakCondition, BreakingPointLoadOptions, ClosedLoadOptions, LoadModelOptions, LoadTestOptions, ObserveOptions, OpenLoadOptions, RampingRateOptions, RampingUsersOptions, RateStage, RequestOptions, SpikeLoadOptions, StatusMatcher, StepLoadOptions, StepOptions, UsersStage } from './spec/types.js'
