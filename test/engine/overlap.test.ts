import type { LoadTestOptions } from '../../src/index.js'
import type { TestServer } from '../helpers/server.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTest, runLoad } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

/** 2 users for 2 s on one worker: bounded in time, light on a shared machine. */
function options(target: string, path: string): LoadTestOptions {
  return {
    target,
    request: { path },
    load: { users: 2, duration: '2s' },
    workers: 1,
  }
}

describe('load tests at the same time in one test process', () => {
  it('marks both of two runLoad() calls at once, each naming the other', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5))

    const [a, b] = await Promise.all([
      runLoad(options(server.url, '/a')),
      runLoad(options(server.url, '/b')),
    ])

    expect(a.overlaps).toHaveLength(1)
    expect(b.overlaps).toHaveLength(1)
    expect(a.overlaps[0]).toMatchObject({ name: 'GET /b' })
    expect(b.overlaps[0]).toMatchObject({ name: 'GET /a' })
    // without the plugin, only this process is watched: a run of the same test file has no `file`
    expect(a.overlaps[0]).not.toHaveProperty('file')
    // from each load's start to its end: both ran most of their 2 s side by side (the pools started in
    // the same tick, one may be ready a little later); generous for a busy machine
    expect(a.overlaps[0]!.ms).toBeGreaterThan(1000)
    expect(b.overlaps[0]!.ms).toBe(a.overlaps[0]!.ms)
    // both really sent load: the mark is on real runs, not on failures
    expect(a.totals.ok).toBeGreaterThan(0)
    expect(b.totals.ok).toBeGreaterThan(0)
  })

  it('marks nothing on a run alone, nor on two runs one after the other', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5))

    const alone = await runLoad(options(server.url, '/alone'))
    const next = await runLoad(options(server.url, '/next'))

    expect(alone.overlaps).toEqual([])
    expect(next.overlaps).toEqual([])
    expect(alone.totals.ok).toBeGreaterThan(0)
  })
})

describe.concurrent('two loadTest()s in describe.concurrent', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5), { closeOnTestFinished: false })
  })
  afterAll(() => server.close())

  for (const [name, other] of [['GET /left', 'GET /right'], ['GET /right', 'GET /left']] as const) {
    loadTest(name, () => ({ ...options(server.url, name.slice(4)), request: undefined }), (run) => {
      expect(run.overlaps.map(overlap => overlap.name)).toEqual([other])
      expect(run.overlaps[0]!.ms).toBeGreaterThan(1000)
    })
  }
})
