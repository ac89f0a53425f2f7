// vitest-load/scenario: what a scenario module imports. Workers import scenario modules outside
// Vitest, so nothing here (or below it) imports vitest.
export { defineScenario } from './scenario/define.js'
export { csvFeeder, CsvFeederError, feeder } from './scenario/feeder.js'
export type { CsvFeederOptions, Feeder, FeederOptions, FeederRow } from './scenario/feeder.js'
export { between, constant, pacing } from './scenario/think-time.js'
export type { ThinkTime } from './scenario/think-time.js'
export type {
  CounterMetric,
  RateMetric,
  Scenario,
  ScenarioChecks,
  ScenarioContext,
  ScenarioData,
  ScenarioFunction,
  ScenarioHttp,
  ScenarioIterationInfo,
  ScenarioMetrics,
  ScenarioRequest,
  ScenarioRequestOptions,
  ScenarioResponse,
  ScenarioRows,
  ScenarioState,
  ScenarioTask,
  ScenarioUserInfo,
  TrendMetric,
} from './scenario/types.js'
