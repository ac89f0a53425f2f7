import type { JsonReport } from '../../src/report/format-json.js'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { REPORTS_ENV } from '../../src/report/interrupt.js'
import { delayed, startServer } from '../helpers/server.js'

const script = fileURLToPath(new URL('../fixtures/scripts/load-until-signalled.ts', import.meta.url))
const TOKEN = 's3cr3t-t0ken'

/** Processes a test started, ended by PID if an assertion left them running; folders it made. */
const started: number[] = []
const folders: string[] = []

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    }
    catch {}
  }
  for (const folder of folders.splice(0))
    rmSync(folder, { recursive: true, force: true })
})

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const endAt = Date.now() + limitMs
  while (!condition() && Date.now() < endAt)
    await sleep(50)
  return condition()
}

/**
 * Runs the script against a server that answers after 20 ms; `signal` is sent once load has
 * arrived for 2 s. Its own session (`detached`): no controlling terminal, so it prints to stderr.
 */
async function runScript(options: { signal?: NodeJS.Signals, reports: boolean, duration?: string, ownListener?: boolean }) {
  const server = await startServer(delayed(20))
  const folder = mkdtempSync(join(tmpdir(), 'vitest-load-interrupt-'))
  folders.push(folder)
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.GITHUB_STEP_SUMMARY
  if (options.reports) {
    env[REPORTS_ENV] = JSON.stringify({
      root: folder,
      outputDir: join(folder, 'reports'),
      formats: ['json', 'html'],
    })
  }
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    script,
    server.url,
    options.duration ?? '20s',
    options.ownListener
      ? 'own-listener'
      : '',
  ], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child.pid!)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => stdout += chunk)
  child.stderr.on('data', (chunk: Buffer) => stderr += chunk)
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  let signalledAt = 0
  if (options.signal) {
    expect(await until(() => server.requests() > 50, 30_000)).toBe(true)
    await sleep(2000)
    child.kill(options.signal)
    signalledAt = Date.now()
  }
  const [code, signal] = await exit
  const exitMs = Date.now() - signalledAt
  clearTimeout(killer)
  const arrived = server.requests()
  await sleep(500)
  return {
    code,
    signal,
    stdout,
    stderr,
    exitMs,
    folder,
    arrivedAfterExit: server.requests() - arrived,
  }
}

describe('a signal to a process with a load test on', () => {
  it('on SIGTERM the summary so far goes to stderr, the JSON and HTML reports are written, all marked incomplete and redacted; it ends by the signal', async () => {
    const { code, signal, stderr, exitMs, folder, arrivedAfterExit } = await runScript({ signal: 'SIGTERM', reports: true })

    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' })
    expect(exitMs).toBeLessThan(5000)
    expect(arrivedAfterExit).toBe(0)
    expect(stderr).toMatch(/^GET \/ {2}2 users for 20 s · 1 worker · http:\/\/127\.0\.0\.1:\d+ · .*\n {2}INCOMPLETE Load test "GET \/" was aborted \(interrupted by SIGTERM\); requests in flight were cancelled\.$/m)
    expect(stderr).toContain('vitest-load reports written to reports/ before exiting (interrupted by SIGTERM)')
    const files = readdirSync(join(folder, 'reports')).sort()
    expect(files).toEqual(['get.html', 'get.json'])
    const json = readFileSync(join(folder, 'reports/get.json'), 'utf8')
    const report = JSON.parse(json) as JsonReport
    expect(report.incomplete).toBe('Load test "GET /" was aborted (interrupted by SIGTERM); requests in flight were cancelled.')
    expect(report.totals.requests).toBeGreaterThan(50)
    // the bearer token is in the request sent, never in an output
    expect(report.request?.headers?.authorization).toBe('[redacted]')
    const html = readFileSync(join(folder, 'reports/get.html'), 'utf8')
    for (const text of [stderr, json, html])
      expect(text).not.toContain(TOKEN)
  })

  it('on SIGINT without the plugin\'s settings: the summary only, no file; it ends by the signal', async () => {
    const { code, signal, stderr, folder } = await runScript({ signal: 'SIGINT', reports: false })

    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' })
    expect(stderr).toMatch(/^ {2}INCOMPLETE Load test "GET \/" was aborted \(interrupted by SIGINT\); requests in flight were cancelled\.$/m)
    expect(stderr).not.toContain('vitest-load reports')
    expect(readdirSync(folder)).toEqual([])
  })

  it('with a SIGTERM listener of the script\'s own, the run is still reported, and the process ends as that listener says', async () => {
    const { code, signal, stdout, stderr, folder } = await runScript({ signal: 'SIGTERM', reports: true, ownListener: true })

    expect({ code, signal }).toEqual({ code: 7, signal: null })
    expect(stdout).toContain('own listener')
    expect(stdout).toContain('run failed: LoadAbortedError')
    // ours are gone with the run: only the script's own listener is left
    expect(stdout).toContain('listeners SIGINT 0 SIGTERM 1 SIGHUP 0')
    expect(stderr).toMatch(/^ {2}INCOMPLETE Load test "GET \/" was aborted \(interrupted by SIGTERM\); requests in flight were cancelled\.$/m)
    expect(readdirSync(join(folder, 'reports')).sort()).toEqual(['get.html', 'get.json'])
  })

  it('control: a run not interrupted ends as before, complete, and leaves no signal listener', async () => {
    const { code, signal, stdout, stderr, folder } = await runScript({ reports: true, duration: '1s' })

    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' })
    expect(stdout).not.toContain('INCOMPLETE')
    expect(stdout).toContain('listeners SIGINT 0 SIGTERM 0 SIGHUP 0')
    expect(readdirSync(folder)).toEqual([])
  })
})
