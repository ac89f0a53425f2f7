import type { DemoApi } from './api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from './api.js'

// The demo API runs in this process on 127.0.0.1; each load test sends it a short, bounded load.
// Limits are loose on purpose: they hold on a busy 2-core machine, where the load generator and
// the server share the cores. Tighten them to what your own service promises.
let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi()
})

afterAll(async () => {
  await api?.close()
})

// Options as a function: called when the test starts, after beforeAll has started the server.
loadTest('GET /users', () => ({
  target: api.url,
  load: { users: 10, duration: '2s' },
}), (run) => {
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP95Below('250ms')
  expect(run).toHaveThroughputAbove(100)
})

loadTest('POST /users', () => ({
  target: api.url,
  request: {
    json: { name: 'Ada', age: 36 },
    expectStatus: 201,
  },
  load: { users: 10, duration: '2s' },
}), (run) => {
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP99Below('500ms')
  expect(run).toHaveThroughputAbove(100)
  expect(run.totals.statusCodes['201']).toBe(run.totals.requests)
})

// An exact number of requests: 5 users × 200 iterations = 1,000 requests.
loadTest('GET /users/:id', () => ({
  target: api.url,
  request: { path: '/users/1' },
  load: { users: 5, iterations: 200, maxDuration: '3s' },
}), (run) => {
  expect(run.totals.requests).toBe(1000)
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP50Below('100ms')
  expect(run).toHaveMaxLatencyBelow('1s')
})
