import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'

// A service with a knee: 10 requests at a time are answered in 5 ms; past 10 in flight it queues
// and answers in 200 ms. The step test shows each level on its own.
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

// 5, then 10, then 20 users, 1 s each: one table row a level, and matchers on each.
loadTest('GET /search', () => ({
  target,
  load: {
    steps: {
      users: [5, 10, 20],
      stepDuration: '1s',
    },
  },
}), (run) => {
  expect(run.steps.map(step => step.level)).toEqual([5, 10, 20])
  expect(run.step(10)).toHaveP95Below('100ms')
  expect(run.step(20)).not.toHaveP95Below('100ms')
  expect(run.step(20).throughputPerSec).toBeLessThan(run.step(10).throughputPerSec)
})
