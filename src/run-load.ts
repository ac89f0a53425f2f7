import type { LoadRun } from './metrics/summary.js'
import type { LoadTestSpec } from './spec/spec.js'
import type { LoadTestOptions } from './spec/types.js'
import { availableParallelism } from 'node:os'
import { runSpec } from './engine/controller.js'
import { probeTarget } from './http/probe.js'
import { observeProgress } from './progress/observer.js'
import { publishRun } from './report/publish.js'
import { describeRequest, secretValuesOf } from './spec/redact.js'
import { validateOptions } from './spec/validate.js'

/** Settings of one `runLoad()` call that are not part of the load itself. */
export interface RunLoadSettings {
  /** Names the run in results and messages. @default the request's endpoint name, e.g. 'GET /users' */
  name?: string
  /** Stops the run early: requests in flight are cancelled, the pool destroyed, and the promise rejects. */
  signal?: AbortSignal
}

/** Validates options into a spec: every problem at once, before anything touches the network. */
export function resolveSpec(name: string | undefined, options: unknown): LoadTestSpec {
  const spec = validateOptions(name ?? 'runLoad()', options, availableParallelism())
  return name === undefined
    ? { ...spec, name: spec.request.name }
    : spec
}

/**
 * Checks the target takes connections, then runs the load, with its live progress (ended however
 * the run ends). Used by `runLoad` and `loadTest`.
 */
export async function runValidatedSpec(spec: LoadTestSpec, signal?: AbortSignal): Promise<LoadRun> {
  await probeTarget(spec.request.origin)
  const progress = observeProgress(spec)
  try {
    return await runSpec(spec, { signal, observer: progress })
  }
  finally {
    await progress.close()
  }
}

/**
 * Runs one load test and resolves with its result, for use inside your own `test()`.
 * Options are checked before any load is sent; an unreachable target rejects without load.
 * The summary is printed (or, with the `vitestLoad()` plugin, handed to its reporter) as for `loadTest`.
 * @example
 * test('GET /users holds up', async () => {
 *   const run = await runLoad({ target, request: { path: '/users' }, load: { users: 10, duration: '5s' } })
 *   expect(run).toHaveP95Below('50ms')
 * })
 */
export async function runLoad(options: LoadTestOptions, settings: RunLoadSettings = {}): Promise<LoadRun> {
  const spec = resolveSpec(settings.name, options)
  const run = await runValidatedSpec(spec, settings.signal)
  // published when the test finishes, with the verdicts of the matchers run on it until then
  publishRun(run, {
    // a scenario's requests are its own: there is no one request to show
    request: spec.scenario
      ? undefined
      : describeRequest(spec.request),
    secretValues: secretValuesOf(spec.request),
    errorBudget: spec.errorBudget,
  })
  return run
}
