import type { LoadRun } from '../../src/index.js'
import { describe, expect, it } from 'vitest'
import { runSpec } from '../../src/engine/controller.js'
import { LoadAbortedError, LoadTimeoutError, runLoad, WorkerCrashedError } from '../../src/index.js'
import { resolveSpec } from '../../src/run-load.js'
import { delayed, startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

/** The run the error carries: what was measured until the run stopped. */
function partialRun(error: unknown): LoadRun {
  const run = (error as { run?: LoadRun }).run
  expect(run, String(error)).toBeDefined()
  return run!
}

/** What every partial run must show: counted requests the server saw, the reason, a usable summary. */
function expectKeptRun(error: unknown, served: number): LoadRun {
  const run = partialRun(error)
  expect(run.incomplete).toBe((error as Error).message)
  expect(run.totals.requests).toBeGreaterThan(0)
  // no more than the server saw: what the workers counted, at most what arrived
  expect(run.totals.requests).toBeLessThanOrEqual(served)
  // the healthy target answered everything; only requests in flight at the stop (at most one per
  // user) were cancelled, and count as errors
  expect(run.totals.requests - run.totals.ok).toBeLessThanOrEqual(2)
  expect(run.latency.count).toBe(run.totals.ok)
  expect(run.durationMs).toBeGreaterThan(500)
  expect(run.timeline.length).toBeGreaterThanOrEqual(1)
  // not enumerable: Vitest prints an error's own properties, and a whole run would flood that
  expect(Object.keys(error as object)).not.toContain('run')
  return run
}

describe('a run that stops early keeps what it measured', () => {
  it('a scenario that kills its worker (process.exit): WorkerCrashedError with the run so far', async () => {
    const server = await startServer(delayed(10))

    const error = await runLoad({
      target: server.url,
      scenario: scenario('exits-worker.scenario.mjs'),
      load: { users: 2, duration: '20s' },
      workers: 1,
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(WorkerCrashedError)
    expectKeptRun(error, server.requests())
    expect(partialRun(error).endpoints.map(endpoint => endpoint.name)).toEqual(['GET /exits'])
  })

  it('a scenario that throws where nothing catches it (the worker dies): WorkerCrashedError with the run so far', async () => {
    const server = await startServer(delayed(10))

    const error = await runLoad({
      target: server.url,
      scenario: scenario('throws-in-worker.scenario.mjs'),
      load: { users: 2, duration: '20s' },
      workers: 1,
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect((error as Error).message).toContain('scenario timer blew up')
    expect(partialRun(error).incomplete).toContain('scenario timer blew up')
    expectKeptRun(error, server.requests())
  })

  it('past its deadline: LoadTimeoutError with the run so far', async () => {
    const server = await startServer(delayed(20))

    const error = await runLoad({
      target: server.url,
      load: { users: 2, iterations: 100_000, maxDuration: '1500ms' },
      workers: 1,
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(LoadTimeoutError)
    expectKeptRun(error, server.requests())
  })

  it('aborted by its signal: LoadAbortedError with the run so far', async () => {
    const controller = new AbortController()
    const answer = delayed(20)
    // aborted once the load is well under way: about 1.3 s of it at 2 users and 20 ms a request
    const server = await startServer((req, res) => {
      answer(req, res)
      if (server.requests() === 120)
        controller.abort(new Error('test cancelled'))
    })

    const error = await runLoad({
      target: server.url,
      load: { users: 2, duration: '20s' },
      workers: 1,
    }, { signal: controller.signal }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(LoadAbortedError)
    expect(partialRun(error).incomplete).toContain('test cancelled')
    expectKeptRun(error, server.requests())
  })

  it('an abort hands over the run so far at once, in the abort event; the error then carries the fuller run', async () => {
    const controller = new AbortController()
    const answer = delayed(20)
    const handed: LoadRun[] = []
    let handedInAbortEvent = false
    const server = await startServer((req, res) => {
      answer(req, res)
      // a listener added after the run's own: it sees what the run's listener did
      if (server.requests() === 1)
        controller.signal.addEventListener('abort', () => handedInAbortEvent = handed.length === 1)
      if (server.requests() === 150)
        controller.abort(new Error('test cancelled'))
    })

    const error = await runSpec(resolveSpec('GET /', {
      target: server.url,
      load: { users: 2, duration: '20s' },
      workers: 1,
    }), {
      signal: controller.signal,
      onAbort: run => handed.push(run),
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(LoadAbortedError)
    expect(handed).toHaveLength(1)
    expect(handedInAbortEvent).toBe(true)
    const [soFar] = handed as [LoadRun]
    expect(soFar.incomplete).toBe((error as Error).message)
    // the closed seconds only: at least one, and no more than the run with its last snapshots
    expect(soFar.totals.requests).toBeGreaterThan(0)
    expect(soFar.totals.requests).toBeLessThanOrEqual(partialRun(error).totals.requests)
  })

  it('control: a run that goes to its end is not incomplete', async () => {
    const server = await startServer(delayed(20))

    const run = await runLoad({
      target: server.url,
      load: { users: 2, duration: '1500ms' },
      workers: 1,
    })

    expect(run.incomplete).toBeNull()
    expect(run.totals.requests).toBeGreaterThan(0)
  })
})
