import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'

// A service that answers in 5 ms, and in 80 ms while more than 6 requests are in flight and for
// the 2 s after (a cache rebuilt, a pool refilled): it takes a while to come back from a spike.
let server: Server
let target = ''

beforeAll(async () => {
  let inFlight = 0
  let overloadedAt = -Infinity
  server = createServer((req, res) => {
    inFlight++
    if (inFlight > 6)
      overloadedAt = performance.now()
    res.once('close', () => inFlight--)
    req.resume()
    setTimeout(() => res.end('ok'), performance.now() - overloadedAt < 2000
      ? 80
      : 5)
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
})

// 2 users, a peak of 12 for 2 s, then 2 users again for 5 s: the run's steps are the phases.
loadTest('GET /spike', () => ({
  target,
  load: {
    spike: {
      users: 2,
      peak: 12,
      before: '2s',
      during: '2s',
      after: '5s',
    },
  },
}), (run) => {
  expect(run.step(12)).not.toHaveP95Below('50ms')
  expect(run).toRecoverWithin('4s')
  expect(run).not.toRecoverWithin('1s')
})
