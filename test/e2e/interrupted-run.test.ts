import type { JsonReport } from '../../src/report/format-json.js'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanedAfterEach, isAlive, until } from '../helpers/processes.js'
import { installPackedPackage, repoRoot, runVitest, startVitest, startVitestInTerminal } from '../helpers/run-vitest.js'
import { startServer } from '../helpers/server.js'

const vitestMajor = Number((createRequire(import.meta.url)('vitest/package.json') as { version: string }).version.split('.')[0])

beforeAll(() => installPackedPackage())

const reportsDir = join(repoRoot, 'test/fixtures/interrupt/.vitest-load')
const jsonFile = join(reportsDir, 'interrupt-load--get-interrupt.json')

const { started, folders } = cleanedAfterEach()

/** A server that answers after 20 ms (2 users: about 90 req/s) and counts; a temp folder for the PID and socket files. */
async function prepare() {
  rmSync(reportsDir, { recursive: true, force: true })
  const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20))
  const folder = mkdtempSync(join(tmpdir(), 'vitest-load-interrupt-'))
  folders.push(folder)
  const pidFile = join(folder, 'test-process.pid')
  const env = {
    INTERRUPT_TARGET: server.url,
    INTERRUPT_PID_FILE: pidFile,
    // the progress socket is made here, so what is left of it can be seen
    TMPDIR: folder,
  }
  return { server, folder, pidFile, env }
}

/** `vitest run` of the fixture, once its load test is under way: Vitest and the test process, both to be ended after the test. */
async function startLoaded(server: { requests: () => number }, pidFile: string, env: Record<string, string>) {
  const vitest = startVitest('interrupt', [], env)
  started.push(vitest.child.pid!)
  const loaded = await until(() => server.requests() > 100, 60_000)
  expect(loaded, vitest.output()).toBe(true)
  const testPid = Number(readFileSync(pidFile, 'utf8'))
  started.push(testPid)
  return { vitest, testPid }
}

const sockets = (folder: string): string[] => readdirSync(folder).filter(name => name.endsWith('.sock'))
const readJson = (): JsonReport => JSON.parse(readFileSync(jsonFile, 'utf8')) as JsonReport

/** Requests in the report file so far (a checkpoint while the run goes on); 0 before there is one. */
function checkpointRequests(): number {
  try {
    return readJson().totals.requests
  }
  catch {
    return 0
  }
}

describe('a `vitest run` stopped by a signal still reports what its load test measured', () => {
  it('a Ctrl-C on a terminal: the test process prints the INCOMPLETE summary, writes the reports and exits', async () => {
    const { server, folder, pidFile, env } = await prepare()
    const vitest = startVitestInTerminal('interrupt', [], 'run', env)
    started.push(vitest.child.pid!)
    const loaded = await until(() => server.requests() > 100, 60_000)
    expect(loaded, vitest.output()).toBe(true)
    const testPid = Number(readFileSync(pidFile, 'utf8'))
    started.push(testPid)
    expect(sockets(folder)).toHaveLength(1)
    // past 2 s of load, so at least one second has closed, and a checkpoint holds it: on Vitest 5
    // that is what is left (see the next test)
    await sleep(2000)
    expect(await until(() => checkpointRequests() > 50, 10_000), vitest.output()).toBe(true)

    // the terminal turns it into SIGINT to the foreground process group: Vitest and its fork
    vitest.type('\u0003')
    await vitest.exited
    // the test process is gone, and with it its load and its progress socket
    expect(await until(() => !isAlive(testPid), 5000), `test process ${testPid} still running`).toBe(true)
    const output = vitest.output()

    expect(existsSync(jsonFile), output).toBe(true)
    const report = readJson()
    expect(report.totals.requests).toBeGreaterThan(50)
    expect(report.test).toMatchObject({ file: 'interrupt.load.test.ts', name: 'GET /interrupt' })
    if (vitestMajor >= 5) {
      // Vitest 5's watchdog kills the test process (SIGKILL) a few milliseconds after the main
      // process exits, a race with the test process's own report: its files, or the last checkpoint
      expect(report.incomplete).toMatch(/^Load test "GET \/interrupt" (?:was aborted \(interrupted by SIGINT\); requests in flight were cancelled\.$|did not finish: its test process ended during the run)/)
    }
    else {
      expect(report.incomplete).toBe('Load test "GET /interrupt" was aborted (interrupted by SIGINT); requests in flight were cancelled.')
      expect(readFileSync(join(reportsDir, 'interrupt-load--get-interrupt.html'), 'utf8')).toContain('<b>Incomplete:</b> Load test &quot;GET /interrupt&quot; was aborted')
      expect(readFileSync(join(reportsDir, 'summary.md'), 'utf8')).toContain('### ❌ GET /interrupt (incomplete)')
      expect(output).toMatch(/^GET \/interrupt {2}2 users for 20 s · 1 worker · http:\/\/127\.0\.0\.1:\d+ · .*\r?\n {2}INCOMPLETE Load test "GET \/interrupt" was aborted \(interrupted by SIGINT\); requests in flight were cancelled\.\r?$/m)
    }
    const arrived = server.requests()
    await sleep(1000)
    expect(server.requests()).toBe(arrived)
    expect(sockets(folder)).toEqual([])
  })

  // Vitest 4 leaves the orphaned test process alive: it reports the run itself. Vitest 5's
  // watchdog kills it outright (SIGKILL) once the main process is gone: its last checkpoint stays.
  it('`kill -TERM` of Vitest\'s main process alone: the orphaned test process leaves the report, marked incomplete, and no load', async () => {
    const { server, folder, pidFile, env } = await prepare()
    const { vitest, testPid } = await startLoaded(server, pidFile, env)
    // a checkpoint with closed seconds in it: on Vitest 5 it is all that will be left. The first,
    // after 1 s of load, may come before the first second closes, and a busy machine spaces the
    // next out (CI saw Vitest 5 kill the process with only that first, empty one written)
    expect(await until(() => checkpointRequests() > 50, 10_000), vitest.output()).toBe(true)

    vitest.child.kill('SIGTERM')
    expect(await vitest.exited).toEqual({ exitCode: 143, signal: null })
    expect(await until(() => !isAlive(testPid), 5000), `test process ${testPid} still running`).toBe(true)
    const arrived = server.requests()
    await sleep(1000)
    expect(server.requests()).toBe(arrived)

    expect(existsSync(jsonFile), vitest.output()).toBe(true)
    const report = readJson()
    expect(report.incomplete).toMatch(vitestMajor >= 5
      ? /^Load test "GET \/interrupt" did not finish: its test process ended during the run, and this is what the run had measured at its last checkpoint/
      : /^Load test "GET \/interrupt" was aborted \(the process that started this test process is gone: .+\); requests in flight were cancelled\.$/)
    expect(report.totals.requests).toBeGreaterThan(50)
    expect(report.test).toMatchObject({ file: 'interrupt.load.test.ts', name: 'GET /interrupt' })
    expect(readdirSync(reportsDir).filter(name => name.endsWith('.tmp'))).toEqual([])
    expect(sockets(folder)).toEqual([])
  })

  it('`kill -KILL` of the test process: its last checkpoint stays, marked incomplete, and Vitest fails the run', async () => {
    const { server, pidFile, env } = await prepare()
    const { vitest, testPid } = await startLoaded(server, pidFile, env)
    // two checkpoints at least: the first after 1 s of load, the next 1 s later
    await sleep(2500)

    process.kill(testPid, 'SIGKILL')
    const { exitCode } = await vitest.exited
    expect(exitCode, vitest.output()).not.toBe(0)
    const report = readJson()
    expect(report.incomplete).toMatch(/^Load test "GET \/interrupt" did not finish: its test process ended during the run, and this is what the run had measured at its last checkpoint/)
    expect(report.totals.requests).toBeGreaterThan(50)
    expect(report.test).toMatchObject({ file: 'interrupt.load.test.ts', name: 'GET /interrupt' })
    expect(readFileSync(join(reportsDir, 'interrupt-load--get-interrupt.html'), 'utf8')).toContain('<b>Incomplete:</b> Load test &quot;GET /interrupt&quot; did not finish')
    expect(readdirSync(reportsDir).filter(name => name.endsWith('.tmp'))).toEqual([])
  })

  it('control: the same fixture, not interrupted, writes a complete report', async () => {
    const { env } = await prepare()
    const { exitCode, output } = await runVitest('interrupt', [], { ...env, INTERRUPT_DURATION: '2s' })
    expect(exitCode, output).toBe(0)
    expect(output).not.toContain('INCOMPLETE')
    const report = readJson()
    expect(report.incomplete).toBeNull()
    expect(report.test).toMatchObject({ file: 'interrupt.load.test.ts', name: 'GET /interrupt', state: 'passed' })
    expect(report.totals.requests).toBeGreaterThan(50)
    // the checkpoints written during the run were replaced by the final report, at the same files
    expect(readdirSync(reportsDir).sort()).toEqual(['interrupt-load--get-interrupt.html', 'interrupt-load--get-interrupt.json', 'summary.md'])
  })
})
