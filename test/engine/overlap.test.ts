import type { LoadRun, LoadTestOptions, RunOverlap } from '../../src/index.js'
import type { TestServer } from '../helpers/server.js'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTest, runLoad } from '../../src/index.js'
import { PeerRuns } from '../../src/progress/peers.js'
import { repoRoot } from '../helpers/run-vitest.js'
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
  it('marks both of two runLoad() calls at once, each naming the other (without its secrets)', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5))

    const [a, b] = await Promise.all([
      runLoad(options(server.url, '/a')),
      // a name with a secret value in it: the run beside it names it without the value
      runLoad({
        ...options(server.url, '/b'),
        request: {
          path: '/b',
          headers: { 'x-api-key': 'key-7f3a' },
          secrets: ['x-api-key'],
        },
      }, { name: 'GET /b key-7f3a' }),
    ])

    // a run of the same test file has no `file`; runs of other processes on this machine (other
    // test files, other Vitest runs) would have one, and are not this test's business
    expect(sameFile(a)).toEqual([
      {
        name: 'GET /b [redacted]',
        ms: expect.any(Number),
      },
    ])
    expect(sameFile(b)).toEqual([
      {
        name: 'GET /a',
        ms: expect.any(Number),
      },
    ])
    // from each load's start to its end; how much of their 2 s depends on when each pool was ready,
    // which a busy machine decides: some, measured once for the pair
    expect(sameFile(a)[0]!.ms).toBeGreaterThan(0)
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
      expect(sameFile(run)[0]!.ms).toBeGreaterThan(0)
    })
  }
})

describe.runIf(PeerRuns.available())('a run of another process, found without the plugin', () => {
  it('is found while it runs, and leaves nothing behind when its process is killed with SIGKILL', async () => {
    const group = `killed-${process.pid}`
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'test/fixtures/scripts/peer-run.ts',
      'GET /killed',
      group,
    ], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    const [ready] = await once(child.stdout, 'data') as [Buffer]
    expect(String(ready)).toContain('ready')

    const watcher = new PeerRuns({
      name: 'GET /watcher',
      group: `watcher-${process.pid}`,
      startMs: Date.now(),
    })
    await watcher.scan()
    // the watcher asks the new run its name and file: a local socket's round trip, given a second
    await new Promise(resolve => setTimeout(resolve, 1000))
    // and sees it again, as a run's scans each second do: seen only in the scan at its own start,
    // the overlap could last 0 ms (a fast read of /proc/net/unix) and count as none
    await watcher.scan()
    child.kill('SIGKILL')
    await once(child, 'exit')
    clearTimeout(killer)

    const seen = await watcher.finish()
    // among the load tests of every process on the machine (other test files may be running theirs)
    expect(seen.map(overlap => `${overlap.name} in ${overlap.file}`)).toContain('GET /killed in killed.load.test.ts')
    // an abstract socket has no file, and the kernel freed it with the process
    expect(readFileSync('/proc/net/unix', 'utf8')).not.toContain(`vitest-load-run.${group}.`)
    expect(readdirSync(tmpdir()).filter(name => name.includes('vitest-load-run'))).toEqual([])
  })
})
