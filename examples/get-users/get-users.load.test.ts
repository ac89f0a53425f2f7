import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect } from 'vitest'
import { loadTest } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

// The server under test, started on 127.0.0.1 before the load tests run, with 200 users stored.
let api: DemoApi

beforeAll(async () => {
  api = await startDemoApi({ seedUsers: 200 })
})

afterAll(async () => {
  await api?.close()
})

// The options are a function: it is called when the test starts, after beforeAll, so the target
// can be the URL of a server that did not exist yet when the file was loaded.
// Method and path come from the test name.
loadTest('GET /users', () => ({
  target: api.url,
  load: { users: 20, duration: '2s' },
}), (run) => {
  // limits loose enough for a busy 2-core CI machine; use your service's real targets
  expect(run).toHaveP95Below('250ms')
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run).toHaveThroughputAbove(200)
})

// A name that is not 'METHOD /path' needs the request spelled out. `query` is added to the path;
// the endpoint in the results is named 'GET /users?limit=100'.
loadTest('pages of 100 users', () => ({
  target: api.url,
  request: {
    path: '/users',
    query: { limit: 100 },
  },
  load: { users: 10, duration: '2s' },
}), (run) => {
  expect(run).toHaveP99Below('500ms')
  expect(run).toHaveErrorRateBelow(0.01)
  expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /users?limit=100'])
})
