// vitest-load/scenario: what a scenario module imports. Workers import scenario modules outside
// Vitest, so nothing here (or below it) imports vitest.
export { defineScenario } from './scenario/define.js'
export { between, constant, pacing } from './scenario/think-time.js'
export type { ThinkTime } from './scenario/think-time.js'
export type {
  Scenario,
  ScenarioContext,
  ScenarioFunction,
  ScenarioHttp,
  ScenarioRequest,
  ScenarioRequestOptions,
  ScenarioResponse,
  ScenarioState,
  ScenarioTask,
  ScenarioUserInfo,
} from './scenario/types.js'
