import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi({ seedUsers: 200 })
})

afterAll(async () => {
  await api?.close()
})

// 5 users × 2 iterations over 2 workers: each of the 10 people of new-users.csv signs up exactly once
loadTest('each CSV row signs up once', () => ({
  target: api.url,
  scenario: new URL('./signup.scenario.ts', import.meta.url),
  load: { users: 5, iterations: 2 },
  workers: 2,
}), (run) => {
  expect(run.endpoint('POST /users').totals.requests).toBe(10)
  expect(api.userCount()).toBe(210)
  expect(run.endpoint('GET /users/[id]').totals.requests).toBe(10)
  expect(run.errorRate).toBe(0)
})

// By duration: with onEnd: 'stop', users stop when the 10 rows are used, long before the 30 s
loadTest('users stop when the rows run out', () => ({
  target: api.url,
  scenario: new URL('./signup.scenario.ts', import.meta.url),
  load: { users: 3, duration: '30s' },
}), (run) => {
  expect(run.endpoint('POST /users').totals.requests).toBe(10)
  expect(run.durationMs).toBeLessThan(10_000)
})
