import type { DemoApi } from '../../demo/api.js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runAB, runLoad } from 'vitest-load'
import { startDemoApi } from '../../demo/api.js'

// Two builds of the demo API side by side, as a pull request's job could start the main branch's
// build and its own: here both are the same code, so the comparison passes.
let v1: DemoApi
let v2: DemoApi

beforeAll(async () => {
  v1 = await startDemoApi()
  v2 = await startDemoApi()
})

afterAll(async () => {
  await v1?.close()
  await v2?.close()
})

// runAB() alternates slices of the same load between the two targets (a, b, b, a, a, b…), so what
// drifts meanwhile touches both alike; toMatchRun pairs slice i of each side.
it('v2 is no slower than v1, slice by slice', async ({ signal }) => {
  const { a, b } = await runAB({ a: v1.url, b: v2.url }, {
    request: { path: '/users' },
    load: { users: 4, duration: '1s' },
  }, { pairs: 4, signal })

  expect(b).toMatchRun(a, { p50: '+50%', p95: '+50%', p99: false })
})

// Two runs of one test: the same load before and after a burst, compared by the shift between
// their seconds. Each run needs 5 s after its warm-up (the first tenth, at least 1 s).
it('recovers after a burst of 40 users', async ({ signal }) => {
  const load = {
    request: { path: '/users' },
    load: { users: 4, duration: '6s' },
  }
  const before = await runLoad({ target: v1.url, ...load }, { name: 'before the burst', signal })
  await runLoad({
    target: v1.url,
    request: { path: '/users' },
    load: { users: 40, duration: '1s' },
  }, { name: 'burst', signal })
  const after = await runLoad({ target: v1.url, ...load }, { name: 'after the burst', signal })

  expect(after).toMatchRun(before, {
    p50: '+50%',
    p95: '+50%',
    p99: false,
    throughput: '-30%',
  })
})
