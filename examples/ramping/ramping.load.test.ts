import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi({ seedUsers: 50 })
})

afterAll(async () => {
  await api?.close()
})

// A ramping rate: 0 → 300 req/s over 1 s, held for 1 s, back to 0 over 1 s (150 + 300 + 150 arrivals).
loadTest('GET /users at a ramping rate', () => ({
  target: api.url,
  request: { path: '/users' },
  load: {
    stages: [
      { duration: '1s', rate: 300 },
      { duration: '1s', rate: 300 },
      { duration: '1s', rate: 0 },
    ],
  },
}), (run) => {
  expect(run.totals.requests + run.droppedArrivals).toBe(600)
  expect(run).toHaveErrorRateBelow(0.01)
})

// Ramping users (closed model): a spike to 20 users and back. The timeline shows them each second.
loadTest('GET /users/1 in a spike', () => ({
  target: api.url,
  request: { path: '/users/1' },
  load: {
    stages: [
      { duration: '500ms', users: 20 },
      { duration: '1s', users: 20 },
      { duration: '500ms', users: 0 },
    ],
    gracefulStop: '5s',
  },
}), (run) => {
  expect(Math.max(...run.timeline.map(point => point.activeUsers))).toBe(20)
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveP99Below('500ms')
})
