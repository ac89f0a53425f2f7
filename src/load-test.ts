import type { TestContext } from 'vitest'
import type { LoadRun } from './metrics/summary.js'
import type { LoadTestSpec } from './spec/spec.js'
import type { LoadTestOptions } from './spec/types.js'
import { test } from 'vitest'
import { distributedSettingsFromEnv } from './distributed/settings.js'
import { totalBudgetMs } from './engine/controller.js'
import { secretValuesOfRun } from './engine/secrets.js'
import { ErrorBudgetExceededError } from './errors.js'
import { applyErrorBudget } from './metrics/error-budget.js'
import { trackVerdicts } from './metrics/verdicts.js'
import { partialRunOf } from './report/publish.js'
import { createPublisher, resolveSpec, runValidatedSpec } from './run-load.js'
import { redactText, secretValuesOf } from './spec/redact.js'

/** Options, or a function returning them, called when the test starts (after `beforeAll`). */
export type LoadTestOptionsInput = LoadTestOptions | (() => LoadTestOptions | Promise<LoadTestOptions>)

/** Receives the finished run; may be async. Assert on it with the load matchers. */
export type LoadAssertions = (run: LoadRun) => void | Promise<void>

/** Declares a load test: a Vitest test that runs the load, then your assertions on the result. */
export interface LoadTestFunction {
  (name: string, options: LoadTestOptionsInput, assertions?: LoadAssertions): void
  /** Declares the load test but skips it, like `test.skip`. */
  skip: (name: string, options: LoadTestOptionsInput, assertions?: LoadAssertions) => void
  /** Runs only this test (and other `.only` tests) in the file, like `test.only`. */
  only: (name: string, options: LoadTestOptionsInput, assertions?: LoadAssertions) => void
}

/** Vitest's timeout when options come from a function: the run's own deadline applies once they are known. */
export const DYNAMIC_OPTIONS_TIMEOUT_MS = 6 * 60 * 60 * 1000
/** A test whose static options are invalid fails at once; this bounds it anyway. */
const INVALID_OPTIONS_TIMEOUT_MS = 60_000
/** How long an options function may take to return. */
const OPTIONS_FUNCTION_TIMEOUT_MS = 60_000

function timeoutFor(name: string, options: LoadTestOptionsInput): number {
  if (typeof options === 'function')
    return DYNAMIC_OPTIONS_TIMEOUT_MS
  let spec: LoadTestSpec
  try {
    spec = resolveSpec(name, options)
  }
  catch {
    return INVALID_OPTIONS_TIMEOUT_MS
  }
  // distributed, the test also waits for its agents, up to the start timeout
  let startTimeoutMs = 0
  try {
    startTimeoutMs = spec.distributed === false
      ? 0
      : distributedSettingsFromEnv()?.startTimeoutMs ?? 0
  }
  catch {}
  return totalBudgetMs(spec) + startTimeoutMs
}

async function resolveOptions(name: string, options: LoadTestOptionsInput): Promise<unknown> {
  if (typeof options !== 'function')
    return options
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      options(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The options function of load test "${name}" did not return within ${OPTIONS_FUNCTION_TIMEOUT_MS / 1000} s`)), OPTIONS_FUNCTION_TIMEOUT_MS)
      }),
    ])
  }
  finally {
    clearTimeout(timer)
  }
}

function body(name: string, options: LoadTestOptionsInput, assertions: LoadAssertions | undefined) {
  return async (context: TestContext): Promise<void> => {
    const spec = resolveSpec(name, await resolveOptions(name, options))
    const publisher = createPublisher(spec, context.task.meta)
    const run = await runValidatedSpec(spec, context.signal, publisher.partial, publisher.report).catch((error: unknown) => {
      publisher.partial(partialRunOf(error))
      throw error
    })
    trackVerdicts(run)
    try {
      await assertions?.(run)
    }
    finally {
      // after the assertions, which may have judged errors themselves; its verdict joins the report
      const budgetFailure = applyErrorBudget(run, spec.errorBudget)
      // thrown from a hook, so that beside a failed assertion it is a second error of the test, not lost
      if (budgetFailure !== null) {
        const error = new ErrorBudgetExceededError(redactText(budgetFailure, secretValuesOfRun(run) ?? secretValuesOf(spec.request)))
        context.onTestFinished(() => {
          throw error
        })
      }
      // after the assertions, so the report holds their verdicts; reported even when one throws
      publisher.finished(run)
    }
  }
}

function declare(register: typeof test | typeof test.skip | typeof test.only) {
  return (name: string, options: LoadTestOptionsInput, assertions?: LoadAssertions): void => {
    register(name, body(name, options, assertions), timeoutFor(name, options))
  }
}

/**
 * Declares a load test as an ordinary Vitest test: `-t` filters it, `.skip` and `.only` work, and
 * its timeout follows the planned duration plus a grace period.
 * @example
 * loadTest('GET /users', { target: 'http://127.0.0.1:3000', load: { users: 20, duration: '5s' } }, (run) => {
 *   expect(run).toHaveP95Below('50ms')
 *   expect(run).toHaveErrorRateBelow(0.01)
 * })
 */
export const loadTest: LoadTestFunction = Object.assign(declare(test), {
  skip: declare(test.skip),
  only: declare(test.only),
})
