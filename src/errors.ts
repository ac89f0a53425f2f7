import type { LoadRun } from './metrics/summary.js'

/** Every error this package throws on purpose has a stable `code`. Listed in docs/errors.md. */
export class LoadTestError extends Error {
  override name = 'LoadTestError'
  readonly code: string = 'VL_ERR'
}

/** The options of one load test are invalid. Thrown before any request is sent. */
export class InvalidOptionsError extends LoadTestError {
  override name = 'InvalidOptionsError'
  override readonly code = 'VL_ERR_INVALID_OPTIONS'

  constructor(readonly testName: string, readonly problems: readonly string[]) {
    super(`Invalid options for load test "${testName}":\n${problems.map(p => `  - ${p}`).join('\n')}`)
  }
}

/** A matcher was called with an argument it cannot use, such as `toHaveP95Below('fast')`. */
export class InvalidMatcherArgumentError extends LoadTestError {
  override name = 'InvalidMatcherArgumentError'
  override readonly code = 'VL_ERR_INVALID_MATCHER_ARGUMENT'
}

/** The target did not accept a TCP connection before the load started. No load was sent. */
export class TargetUnreachableError extends LoadTestError {
  override name = 'TargetUnreachableError'
  override readonly code = 'VL_ERR_TARGET_UNREACHABLE'

  constructor(readonly address: string, readonly systemError: string, options?: ErrorOptions) {
    super(`Cannot reach ${address} (${systemError}). Is the server started before the load test? No load was sent.`, options)
  }
}

/** A worker thread of the load generator failed: it threw, exited or could not start. */
export class WorkerCrashedError extends LoadTestError {
  override name = 'WorkerCrashedError'
  override readonly code: string = 'VL_ERR_WORKER_CRASHED'
  /** What was measured until the run stopped, marked `incomplete`; absent when no load was sent. Not enumerable. */
  declare readonly run?: LoadRun
}

/**
 * A worker thread reached its memory limit (`workerMemoryMb`) and was stopped: a scenario keeps
 * too much per user or per iteration. A `WorkerCrashedError`, with its own code.
 */
export class WorkerOutOfMemoryError extends WorkerCrashedError {
  override name = 'WorkerOutOfMemoryError'
  override readonly code: string = 'VL_ERR_WORKER_OUT_OF_MEMORY'
}

/** The load test ran past its planned duration plus the grace period and was stopped. */
export class LoadTimeoutError extends LoadTestError {
  override name = 'LoadTimeoutError'
  override readonly code = 'VL_ERR_LOAD_TIMEOUT'
  /** What was measured until the run stopped, marked `incomplete`; absent when no load was sent. Not enumerable. */
  declare readonly run?: LoadRun
}

/**
 * A distributed run could not start or go on for a reason of its own: Redis unreachable, too few
 * agents within the start timeout, an agent that refused the run. Before the start, no load was sent.
 */
export class DistributedRunError extends LoadTestError {
  override name = 'DistributedRunError'
  override readonly code = 'VL_ERR_DISTRIBUTED'
  /** Redis lost during the run: what was measured until then, marked `incomplete`; absent when no load was sent. Not enumerable. */
  declare readonly run?: LoadRun
}

/**
 * An agent of a distributed run stopped during the run: killed, frozen, or cut off from Redis (its
 * lease ran out), or one of its workers failed. A `WorkerCrashedError`, with its own code.
 */
export class AgentLostError extends WorkerCrashedError {
  override name = 'AgentLostError'
  override readonly code = 'VL_ERR_AGENT_LOST'
}

/** The load test was aborted from outside (Vitest cancelled or timed out the test). */
export class LoadAbortedError extends LoadTestError {
  override name = 'LoadAbortedError'
  override readonly code = 'VL_ERR_LOAD_ABORTED'
  /** What was measured until the run stopped, marked `incomplete`; absent when no load was sent. Not enumerable. */
  declare readonly run?: LoadRun
}

/**
 * A load test's error rate was above its `errorBudget` (1 % unless set) and its assertions did not
 * judge errors themselves: the target stopped answering, or answered with errors.
 */
export class ErrorBudgetExceededError extends LoadTestError {
  override name = 'ErrorBudgetExceededError'
  override readonly code = 'VL_ERR_ERROR_BUDGET'
}

/** `run.endpoint(name)` was asked for a name that the run never recorded. */
export class UnknownEndpointError extends LoadTestError {
  override name = 'UnknownEndpointError'
  override readonly code = 'VL_ERR_UNKNOWN_ENDPOINT'
}

/** `run.step(level)` was asked for a level at which no step of the run ran to its end. */
export class UnknownStepError extends LoadTestError {
  override name = 'UnknownStepError'
  override readonly code = 'VL_ERR_UNKNOWN_STEP'
}

/** The options of the `vitestLoad()` plugin are invalid. Thrown when the Vitest config is loaded. */
export class InvalidPluginOptionsError extends LoadTestError {
  override name = 'InvalidPluginOptionsError'
  override readonly code = 'VL_ERR_INVALID_PLUGIN_OPTIONS'

  /** `plugin` names the call, `'vitestLoad()'`; `problems` are the lines of the message. */
  constructor(readonly plugin: string, readonly problems: readonly string[]) {
    super(`Invalid options for ${plugin}:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  }
}

/**
 * A scenario module could not be loaded: the file is missing, it does not parse or throws while
 * it loads, or its default export is not a scenario. Thrown before any request is sent; `cause`
 * holds the original error (with its own stack) when there is one.
 */
export class ScenarioLoadError extends LoadTestError {
  override name = 'ScenarioLoadError'
  override readonly code = 'VL_ERR_SCENARIO_LOAD'

  /** `file` is the module's path; `problems` say what is wrong with it, one a line. */
  constructor(readonly file: string, readonly problems: readonly string[], options?: ErrorOptions) {
    super(problems.length === 1
      ? `Cannot load the scenario module ${file}: ${problems[0]}. No load was sent.`
      : `Cannot load the scenario module ${file}:\n${problems.map(p => `  - ${p}`).join('\n')}\nNo load was sent.`, options)
  }
}
