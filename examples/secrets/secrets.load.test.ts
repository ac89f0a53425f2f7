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

// Every request carries credentials. Authorization (like Cookie, Set-Cookie and
// Proxy-Authorization) is always secret; `secrets` marks more names: headers, query parameters
// and JSON fields. Their values are sent as given and shown nowhere: summary, reports and
// messages say [redacted], the endpoint's name included.
loadTest('users with an API key', () => ({
  target: api.url,
  request: {
    path: '/users',
    query: { limit: 10, token: process.env.DEMO_TOKEN ?? 'tok-demo-3f9a' },
    headers: {
      'authorization': `Bearer ${process.env.DEMO_BEARER ?? 'demo-bearer-7c1e'}`,
      'x-api-key': process.env.DEMO_API_KEY ?? 'key-demo-52b0',
    },
    secrets: ['x-api-key', 'token'],
  },
  load: { users: 5, duration: '1s' },
}), (run) => {
  expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /users?limit=10&token=[redacted]'])
  expect(run).toHaveErrorRateBelow(0.01)
})
