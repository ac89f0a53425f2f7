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

// The open model: 200 arrivals a second, whatever the responses do. Latency runs from each
// arrival's place on the clock, so a server that stalls shows it in the percentiles; an arrival
// that finds all `maxUsers` busy is counted in `run.droppedArrivals`, never silently skipped.
loadTest('GET /users', () => ({
  target: api.url,
  load: { rate: 200, duration: '2s', maxUsers: 50 },
}), (run) => {
  expect(run.droppedArrivals).toBe(0)
  expect(run.totals.requests).toBe(400)
  expect(run).toHaveP95Below('250ms')
  expect(run).toHaveErrorRateBelow(0.01)
  // service time is from the actual send: the gap to latency is time spent waiting to be sent
  expect(run.serviceTime.p50Ms).toBeLessThanOrEqual(run.latency.p50Ms)
})
