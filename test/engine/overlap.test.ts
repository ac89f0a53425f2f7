import type { LoadRun, LoadTestOptions, RunOverlap } from '../../src/index.js'
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

/** The overlaps with runs of this test file (no `file`). */
function sameFile(run: LoadRun): RunOverlap[] {
  return run.overlaps.filter(overlap => overlap.file === undefined)
}

describe('load tests at the same time in one test process', () => {
  it('marks both of two runLoad() calls at once, each naming the other', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5))

    const [a, b] = await Promise.all([
      runLoad(options(server.url, '/a')),
      runLoad(options(server.url, '/b')),
    ])

    // a run of the same test file has no `file`; runs of other processes on this machine (other
    // test files, other Vitest runs) would have one, and are not this test's business
    expect(sameFile(a)).toEqual([
      {
        name: 'GET /b',
        ms: expect.any(Number),
      },
    ])
    expect(sameFile(b)).toEqual([
      {
        name: 'GET /a',
        ms: expect.any(Number),
      },
    ])
    // from each load's start to its end: both ran most of their 2 s side by side (the pools started in
    // the same tick, one may be ready a little later); generous for a busy machine
    expect(sameFile(a)[0]!.ms).toBeGreaterThan(1000)
    expect(sameFile(b)[0]!.ms).toBe(sameFile(a)[0]!.ms)
    // both really sent load: the mark is on real runs, not on failures
    expect(a.totals.ok).toBeGreaterThan(0)
    expect(b.totals.ok).toBeGreaterThan(0)
  })

  it('marks nothing on a run alone, nor on two runs one after the other', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5))

    const alone = await runLoad(options(server.url, '/alone'))
    const next = await runLoad(options(server.url, '/next'))

    expect(sameFile(alone)).toEqual([])
    expect(sameFile(next)).toEqual([])
    expect(alone.totals.ok).toBeGreaterThan(0)
  })
})

describe.concurrent('two loadTest()s in describe.concurrent', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5), { closeOnTestFinished: false })
  })
  afterAll(() => server.close())

  for (const [name, other] of [
    ['GET /left', 'GET /right'],
    ['GET /right', 'GET /left'],
  ] as const) {
    loadTest(name, () => ({
      ...options(server.url, name.slice(4)),
      request: undefined,
    }), (run) => {
      expect(sameFile(run).map(overlap => overlap.name)).toEqual([other])
      expect(sameFile(run)[0]!.ms).toBeGreaterThan(1000)
    })
  }
})
