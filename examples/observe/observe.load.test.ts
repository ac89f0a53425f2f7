import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'

// A service in the test process with a cache that never forgets: each request keeps 8 KB when
// `leak` is on. `observe: { process: 'self' }` watches its thread (CPU, heap after full
// collections, event-loop delay), and its own /metrics in the Prometheus text format are scraped
// each second; the leak shows as the live heap's slope and as the cache's size.
let server: Server
let target = ''
let leak = false
const cache: number[][] = []

beforeAll(async () => {
  let served = 0
  server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.setHeader('content-type', 'text/plain; version=0.0.4')
      res.end(`# TYPE app_requests_total counter\napp_requests_total ${served}\n# TYPE app_cache_entries gauge\napp_cache_entries ${cache.length}\n`)
      return
    }
    const entry = Array.from<number>({ length: 1000 }).fill(served++ + 0.5)
    if (leak)
      cache.push(entry)
    req.resume()
    setTimeout(() => res.end('ok'), 2)
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
})

loadTest('GET /healthy', () => ({
  target,
  load: { users: 2, duration: '3s' },
  observe: {
    process: 'self',
    prometheus: {
      url: `${target}/metrics`,
      metrics: ['app_requests_total', 'app_cache_entries'],
    },
  },
}), (run) => {
  expect(run).toHaveTargetCpuBelow(1)
  expect(run).toHaveMemoryGrowthBelow('60MB/min')
  expect(run).toHaveTargetMetricBelow('eventLoopDelayP99', 100)
  expect(run).toHaveTargetMetricBelow('app_cache_entries', 1)
  // the service counted the requests the load sent, as a rate
  expect(run.observed?.figures.app_requests_total?.mean).toBeGreaterThan(run.throughputPerSec * 0.8)
})

// The same service with the leak: the matcher that guards against it fails, so `.not` passes here.
loadTest('GET /leaky', () => {
  leak = true
  return {
    target,
    load: { users: 2, duration: '3s' },
    observe: {
      process: 'self',
      prometheus: {
        url: `${target}/metrics`,
        metrics: ['app_cache_entries'],
      },
    },
  }
}, (run) => {
  expect(run).not.toHaveMemoryGrowthBelow('60MB/min')
  expect(run).not.toHaveTargetMetricBelow('app_cache_entries', 1000)
  leak = false
  cache.length = 0
})
