import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runLoad } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

// runLoad() runs a load and resolves with the result, inside an ordinary test (`it` or `test`): for more than
// one run in a test, or checks on the server's side after the load. The test's own timeout
// applies (30 s in examples/vitest.config.ts), and Vitest's abort signal stops the load if the
// test times out or the run is cancelled.
let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi()
})

afterAll(async () => {
  await api?.close()
})

it('serves GET /users/:id under load', async ({ signal }) => {
  const run = await runLoad({
    target: api.url,
    request: { path: '/users/3', name: 'GET /users/:id' },
    load: { users: 10, duration: '2s' },
  }, { signal })

  expect(run).toHaveP95Below('250ms')
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveThroughputAbove(200)
  // the run is a plain object: every figure is there to assert on
  expect(run.name).toBe('GET /users/:id')
  expect(run.totals.ok).toBe(run.totals.requests)
  expect(run.latency.p50Ms).toBeLessThanOrEqual(run.latency.p99Ms)
})

it('creates exactly users × iterations users with POST /users', async ({ signal }) => {
  const before = api.userCount()
  const run = await runLoad({
    target: api.url,
    request: {
      method: 'POST',
      path: '/users',
      json: { name: 'Alan', age: 41 },
      expectStatus: 201,
    },
    load: { users: 5, iterations: 200, maxDuration: '5s' },
  }, { name: 'create users', signal })

  expect(run).toHaveErrorRateBelow(0.01)
  // checked at the server: every request of the run arrived, and nothing more
  expect(run.totals.requests).toBe(1000)
  expect(api.userCount() - before).toBe(1000)
})
