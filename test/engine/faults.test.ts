import { describe, expect, it } from 'vitest'
import { InvalidOptionsError, LoadAbortedError, LoadTimeoutError, runLoad, TargetUnreachableError } from '../../src/index.js'
import { delayed, fixed, resetting, stalling, startServer } from '../helpers/server.js'

async function closedPortUrl(): Promise<string> {
  const server = await startServer(fixed())
  await server.close()
  return server.url
}

describe('faults fail clearly and send no load when they can be seen first', () => {
  it('an unreachable target fails fast with the address and the system error, and no load', async () => {
    const url = await closedPortUrl()
    const started = performance.now()

    const error = await runLoad({
      target: url,
      load: { users: 5, duration: '10s' },
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(TargetUnreachableError)
    expect((error as TargetUnreachableError).code).toBe('VL_ERR_TARGET_UNREACHABLE')
    expect((error as Error).message).toBe(`Cannot reach ${url} (connect ECONNREFUSED). Is the server started before the load test? No load was sent.`)
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('invalid options throw before the target sees any request', async () => {
    const server = await startServer(fixed())

    await expect(runLoad({
      target: server.url,
      load: { users: 0, duration: '1s' },
    })).rejects.toBeInstanceOf(InvalidOptionsError)

    expect(server.requests()).toBe(0)
  })

  it('a server that never answers gives timeout errors after request.timeout', async () => {
    const server = await startServer(stalling())

    const run = await runLoad({
      target: server.url,
      request: { timeout: '200ms' },
      load: { users: 2, iterations: 2 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(run.totals.requests).toBe(4)
    expect(run.totals.errors.timeout).toBe(4)
    expect(run.errorRate).toBe(1)
    expect(run.latency.count).toBe(0)
    // two timeouts in a row per user: at least 400 ms, and the sweep adds at most 20 ms each
    expect(run.durationMs).toBeGreaterThanOrEqual(400)
    expect(run.durationMs).toBeLessThan(1500)
  })

  it('a server that resets every connection gives network errors, grouped by message', async () => {
    const server = await startServer(resetting())

    const run = await runLoad({
      target: server.url,
      load: { users: 2, iterations: 5 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(run.totals.requests).toBe(10)
    expect(run.totals.errors.network).toBe(10)
    expect(Object.values(run.totals.errorMessages).reduce((sum, count) => sum + count, 0)).toBe(10)
    expect(Object.keys(run.totals.errorMessages).join()).toMatch(/ECONNRESET|other side closed|socket/i)
    // messages group alike errors: no port numbers that differ per connection
    expect(Object.keys(run.totals.errorMessages).join()).not.toMatch(/:\d{4,5}\b/)
  })

  it('a run past load.maxDuration is stopped and fails with LoadTimeoutError', async () => {
    const server = await startServer(delayed(50))
    const started = performance.now()

    const error = await runLoad({
      target: server.url,
      load: { users: 1, iterations: 1000, maxDuration: '500ms' },
    }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(LoadTimeoutError)
    expect((error as Error).message).toMatch(/did not finish within 0\.5 s \(1 user × 1000 iterations\)/)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('an aborted signal stops the run, cancels requests in flight and rejects', async () => {
    const server = await startServer(stalling())
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('test cancelled')), 300)
    const started = performance.now()

    const error = await runLoad({
      target: server.url,
      load: { users: 2, duration: '30s' },
    }, { signal: controller.signal }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(LoadAbortedError)
    expect((error as Error).message).toContain('test cancelled')
    expect(performance.now() - started).toBeLessThan(5000)
  })
})
