import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

// A baseline is the run this one is compared with, kept beside the test file in
// __baselines__/baseline.load.test.ts.json (commit it, as you would __snapshots__). The first run on
// your machine records it, `npx vitest -u` records it again, and in CI a missing one fails.
// `npm run examples` records it with -u, then runs this file again to compare, as CI would.
let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi({ seedUsers: 100 })
})

afterAll(async () => {
  await api?.close()
})

// A baseline needs at least 5 seconds after its warm-up (here the first second): each second is one sample of the statistical test.
loadTest('GET /users/:id against its baseline', () => ({
  target: api.url,
  request: { path: '/users/7', name: 'GET /users/:id' },
  load: { users: 10, duration: '6s' },
}), (run) => {
  // Fails when p50, p95, p99 or the throughput got worse, or the error rate rose, beyond its
  // tolerance with 95 % confidence. Defaults: p50 and p95 +10 %, p99 +20 %, throughput −10 %,
  // error rate +1 point. This demo answers in well under a millisecond, where a shared 2-core
  // machine wobbles by more than that, so it allows more and leaves p99 out.
  expect(run).toMatchBaseline({ p50: '+25%', p95: '+25%', p99: false })
  expect(run).toHaveErrorRateBelow(0.01)
})
