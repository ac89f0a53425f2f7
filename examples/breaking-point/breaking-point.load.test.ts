import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'

// A service with a knee: 10 requests at a time are answered in 5 ms; past 10 in flight it queues
// and answers in 200 ms. The search should find that it sustains 10 users and breaks above.
let server: Server
let target = ''

beforeAll(async () => {
  let inFlight = 0
  server = createServer((req, res) => {
    inFlight++
    res.once('close', () => inFlight--)
    req.resume()
    setTimeout(() => res.end('ok'), inFlight > 10
      ? 200
      : 5)
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
})

// Raise users by 5 every second, from 5 up to 50, until the mean goes over 100 ms (Cicada's
// threshold) or errors over 1 %; then stop. The step that broke says so in numbers.
loadTest('GET /search', () => ({
  target,
  load: {
    breakingPoint: {
      users: { start: 5, step: 5, max: 50 },
      stepDuration: '1s',
      until: { meanAbove: '100ms', errorRateAbove: 0.01 },
    },
  },
}), (run) => {
  expect(run.breakingPoint?.brokeAt?.level).toBe(15)
  expect(run.breakingPoint?.brokeAt?.tripped[0]).toMatch(/^mean \d+(\.\d+)? ms > 100 ms$/)
  expect(run.model).toBe('breaking-point search over 5 → 10 → 15 users, 1 s a step (stopped after 3 of 10 steps, planned up to 50 users)')
  expect(run).toSustainUsers(10)
  expect(run).not.toSustainUsers(15)
})
