import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanedAfterEach, isAlive, until } from '../helpers/processes.js'
import { installPackedPackage, startVitest } from '../helpers/run-vitest.js'
import { startServer } from '../helpers/server.js'

beforeAll(() => installPackedPackage())

const { started, folders } = cleanedAfterEach()

/**
 * Runs the `orphan` fixture (2 users for 20 s) against a server of this test that answers after
 * 20 ms and counts what arrives; returns once load arrives, with the PIDs of Vitest's main process
 * and of the process that runs the load test, and the fixture's temporary folder.
 */
async function startOrphanFixture(pool: 'forks' | 'threads') {
  const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20))
  const folder = mkdtempSync(join(tmpdir(), 'vitest-load-orphan-'))
  folders.push(folder)
  const pidFile = join(folder, 'test-process.pid')
  const vitest = startVitest('orphan', [`--pool=${pool}`], {
    ORPHAN_TARGET: server.url,
    ORPHAN_PID_FILE: pidFile,
    // the progress socket is made here, so what is left of it can be seen
    TMPDIR: folder,
  })
  started.push(vitest.child.pid!)
  const loaded = await until(() => server.requests() > 50, 60_000)
  expect(loaded, vitest.output()).toBe(true)
  const testPid = Number(readFileSync(pidFile, 'utf8'))
  started.push(testPid)
  return { server, vitest, folder, testPid }
}

const sockets = (folder: string): string[] => readdirSync(folder).filter(name => name.endsWith('.sock'))

describe('killing Vitest\'s main process stops the load', () => {
  // how Vitest ends on each signal, unchanged by the plugin: SIGINT and SIGTERM through its own
  // handler (exit code 128 + the signal's number), SIGHUP by the signal itself
  it.each([
    [
      'SIGTERM',
      'forks',
      { exitCode: 143, signal: null },
    ],
    [
      'SIGINT',
      'forks',
      { exitCode: 130, signal: null },
    ],
    [
      'SIGHUP',
      'forks',
      { exitCode: null, signal: 'SIGHUP' },
    ],
    [
      'SIGTERM',
      'threads',
      { exitCode: 143, signal: null },
    ],
  ] as const)('%s to Vitest (pool %s): arrivals stop within 2 s, no process or socket file is left', async (signal, pool, exit) => {
    const { server, vitest, folder, testPid } = await startOrphanFixture(pool)
    // the plugin's progress socket is there while the run goes on
    expect(sockets(folder)).toHaveLength(1)

    vitest.child.kill(signal)
    expect(await vitest.exited).toEqual(exit)
    await sleep(2000)
    const afterTwoSeconds = server.requests()
    await sleep(2000)
    // nothing more arrives: the load stopped within the first 2 s
    expect(server.requests(), vitest.output()).toBe(afterTwoSeconds)
    // the orphaned test process exits by itself once the run is aborted and cleaned up
    expect(await until(() => !isAlive(testPid), 10_000), `test process ${testPid} still running`).toBe(true)
    expect(sockets(folder)).toEqual([])
  })

  it('control: the same run, not killed, keeps sending', async () => {
    const { server, vitest, testPid } = await startOrphanFixture('forks')
    await sleep(2000)
    const afterTwoSeconds = server.requests()
    await sleep(2000)
    // 2 users at 20 ms a request: about 100 req/s, so far more than this in 2 s
    expect(server.requests() - afterTwoSeconds, vitest.output()).toBeGreaterThan(20)
    expect(isAlive(testPid)).toBe(true)
    // stopped by PID, without waiting for the 20 s to end
    process.kill(vitest.child.pid!, 'SIGKILL')
    process.kill(testPid, 'SIGKILL')
    await vitest.exited
  })
})
