import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi()
})

afterAll(async () => {
  await api?.close()
})

// `json` is sent as the body of every request, with content-type: application/json.
// `expectStatus: 201` makes any other status (a 200 included) count as an HTTP error.
loadTest('POST /users', () => ({
  target: api.url,
  request: {
    json: { name: 'Grace', age: 45 },
    expectStatus: 201,
  },
  load: { users: 10, duration: '2s' },
}), (run) => {
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP95Below('250ms')
  expect(run).toHaveThroughputAbove(200)
})

// Load on the error path: invalid input must be refused with 400, quickly, under load too.
// An exact count: 4 users × 250 iterations = 1,000 requests.
loadTest('POST /users with invalid input', () => ({
  target: api.url,
  request: {
    method: 'POST',
    path: '/users',
    json: { name: '', age: -1 },
    expectStatus: 400,
    name: 'POST /users (invalid)',
  },
  load: { users: 4, iterations: 250, maxDuration: '5s' },
}), (run) => {
  expect(run.totals.requests).toBe(1000)
  expect(run.totals.statusCodes).toEqual({ 400: 1000 })
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP95Below('250ms')
})
