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

// The users start over the first second instead of all at once (`rampUp`), and that second is a
// warm-up: sent and shown in the timeline, marked, but left out of what the matchers judge.
loadTest('GET /users', () => ({
  target: api.url,
  load: { users: 10, duration: '4s', rampUp: '1s' },
  warmup: '1s',
}), (run) => {
  expect(run.warmup?.totals.requests).toBeGreaterThan(0)
  expect(run.timeline[0]?.warmup).toBe(true)
  expect(run).toHaveP95Below('250ms')
})
