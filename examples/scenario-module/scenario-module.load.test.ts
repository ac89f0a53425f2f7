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

// `scenario` instead of `request`: each user runs users.scenario.ts, its ctx.http bound to `target`
loadTest('users browse, view and sign up', () => ({
  target: api.url,
  scenario: new URL('./users.scenario.ts', import.meta.url),
  load: { users: 10, duration: '3s' },
}), (run) => {
  // onStart ran once per user, and so did onStop, with its measured call
  expect(run.endpoint('POST /users').totals.requests).toBe(10)
  expect(run.endpoint('hash password').totals.requests).toBe(10)
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run.endpoint('GET /users')).toHaveP95Below('250ms')
  expect(run.endpoint('GET /users/[id]')).toHaveP95Below('250ms')
})

// With iterations, counts are exact: 4 users × 30 iterations, 3:2:1 in every 6 iterations of a user
loadTest('exactly 120 iterations', () => ({
  target: api.url,
  scenario: new URL('./users.scenario.ts', import.meta.url),
  load: { users: 4, iterations: 30 },
}), (run) => {
  expect(run.endpoint('POST /users').totals.requests).toBe(4)
  expect(run.endpoint('hash password').totals.requests).toBe(4)
  expect(run.endpoint('GET /users').totals.requests).toBe(60)
  expect(run.endpoint('GET /users/[id]').totals.requests).toBe(60)
  expect(run.errorRate).toBe(0)
  // checks, over all of them and one by name
  expect(run).toHaveCheckPassRateAbove(0.99)
  expect(run).toHaveCheckPassRateAbove(0.99, 'status is 200')
  // 'view own' ran 20 times: two checks each, counted exactly
  expect(run.checks).toEqual([
    {
      name: 'is own user',
      passes: 20,
      fails: 0,
      passRate: 1,
    },
    {
      name: 'status is 200',
      passes: 20,
      fails: 0,
      passRate: 1,
    },
  ])
  expect(run.metrics['own views']).toEqual({ type: 'counter', count: 20 })
  expect(run.metrics['own user found']).toEqual({
    type: 'rate',
    trues: 20,
    total: 20,
    rate: 1,
  })
  expect(run.metrics['user bytes']).toMatchObject({ type: 'trend', count: 20 })
})
