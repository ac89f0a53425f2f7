import type { RunOptions } from './engine/controller.js'
import type { LoadRun } from './metrics/summary.js'
import type { LoadTestSpec } from './spec/spec.js'
import type { LoadTestOptions } from './spec/types.js'
import { availableParallelism } from 'node:os'
import { runSpec } from './engine/controller.js'
import { watchParent } from './engine/parent-watch.js'
import { probeTarget } from './http/probe.js'
import { observeProgress } from './progress/observer.js'
import { partialRunOf, publishRun } from './report/publish.js'
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
 * the run ends). Used by `runLoad` and `loadTest`; `onAbort` as in `RunOptions`.
 */
export async function runValidatedSpec(spec: LoadTestSpec, signal?: AbortSignal, onAbort?: RunOptions['onAbort']): Promise<LoadRun> {
  await probeTarget(spec.request.origin)
  const progress = observeProgress(spec)
  // Vitest's main process killed (SIGTERM, SIGINT, SIGHUP) leaves its test process orphaned:
  // the run is aborted as by the test's signal, so no load outlives the process that asked for it
  const orphaned = new AbortController()
  const stopWatching = watchParent(reason => orphaned.abort(`the process that started this test process is gone: ${reason}`))
  try {
    return await runSpec(spec, {
      signal: signal
        ? AbortSignal.any([signal, orphaned.signal])
        : orphaned.signal,
      observer: progress,
      onAbort,
    })
  }
  finally {
    stopWatching()
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
  const publishContext = {
    // a scenario's requests are its own: there is no one request to show
    request: spec.scenario
      ? undefined
      : describeRequest(spec.request),
    secretValues: secretValuesOf(spec.request),
  }
  // a run that stopped early (a crash, the deadline, an abort) still reports what it measured; an
  // abort, at once (Vitest cancelling the test ends it without waiting for the load to stop)
  let published = false
  const publishPartial = (partial: LoadRun | undefined): void => {
    if (partial && !published)
      publishRun(partial, publishContext)
    published ||= partial !== undefined
  }
  const run = await runValidatedSpec(spec, settings.signal, publishPartial).catch((error: unknown) => {
    publishPartial(partialRunOf(error))
    throw error
  })
  // published when the test finishes, with the verdicts of the matchers run on it until then
  publishRun(run, publishContext)
  return run
}
