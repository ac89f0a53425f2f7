import type { JsonReport } from '../../src/report/format-json.js'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { beforeAll, expect, it } from 'vitest'
import { installPackedPackage, repoRoot, runVitest, startVitestInTerminal } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

const reportsDir = join(repoRoot, 'test/fixtures/incomplete/.vitest-load')

function readJson(stem: string): JsonReport {
  return JSON.parse(readFileSync(join(reportsDir, `${stem}.json`), 'utf8')) as JsonReport
}

it('a load test that times out or loses its worker mid-run prints and writes what it measured, marked incomplete', async () => {
  rmSync(reportsDir, { recursive: true, force: true })
  const { exitCode, output } = await runVitest('incomplete', ['runs.load'])

  expect(exitCode, output).toBe(1)
  expect(output).toMatch(/Tests\s+2 failed \| 1 passed \(3\)/)
  // the reporter's summary of each failed run, with the reason under its first line
  expect(output).toMatch(/^GET \/timeout {2}2 users × 100000 iterations · 1 worker · http:\/\/127\.0\.0\.1:\d+ · .*\n {2}INCOMPLETE Load test "GET \/timeout" did not finish within 2 s \(2 users × 100000 iterations\) and was stopped\.$/m)
  expect(output).toMatch(/^worker dies {2}.*\n {2}INCOMPLETE Worker 0 of load test "worker dies" failed: worker exited with code: 3$/m)
  expect(output.match(/^ {2}INCOMPLETE /gm)).toHaveLength(2)

  const timeout = readJson('runs-load--get-timeout')
  expect(timeout.test).toMatchObject({ name: 'GET /timeout', state: 'failed' })
  expect(timeout.incomplete).toBe('Load test "GET /timeout" did not finish within 2 s (2 users × 100000 iterations) and was stopped.')
  expect(timeout.totals.requests).toBeGreaterThan(20)
  const dies = readJson('runs-load--worker-dies')
  expect(dies.test).toMatchObject({ name: 'worker dies', state: 'failed' })
  expect(dies.incomplete).toBe('Worker 0 of load test "worker dies" failed: worker exited with code: 3')
  expect(dies.totals.requests).toBeGreaterThan(20)
  // the control: the same reports, a run that went to its end
  const complete = readJson('runs-load--get-complete')
  expect(complete.test).toMatchObject({ name: 'GET /complete', state: 'passed' })
  expect(complete.incomplete).toBeNull()

  const markdown = readFileSync(join(reportsDir, 'summary.md'), 'utf8')
  expect(markdown).toContain('### ❌ GET /timeout (incomplete)')
  expect(markdown).toContain('**Incomplete:** Worker 0 of load test "worker dies" failed: worker exited with code: 3')
  expect(markdown).toContain('### ✅ GET /complete\n')
  expect(readFileSync(join(reportsDir, 'runs-load--worker-dies.html'), 'utf8')).toContain('<b>Incomplete:</b> Worker 0 of load test &quot;worker dies&quot; failed')
  expect(readFileSync(join(reportsDir, 'runs-load--get-complete.html'), 'utf8')).not.toContain('Incomplete')
})

it('a Ctrl-C in Vitest watch mode cancels the run: the load stops and what it measured is printed and written, marked incomplete', async () => {
  rmSync(reportsDir, { recursive: true, force: true })
  const vitest = startVitestInTerminal('incomplete', ['long.load'])
  // the live progress line shows the load is on; past 2 s of it, Ctrl-C
  const endAt = Date.now() + 60_000
  while (!/vitest-load {2}GET \/long {2}[2-9]\.\d s/.test(vitest.output()) && Date.now() < endAt)
    await sleep(100)
  vitest.type('\u0003')
  await vitest.exited
  const output = vitest.output()

  expect(output).toContain('Cancelling test run.')
  expect(output).toMatch(/^GET \/long {2}2 users for 20 s · 1 worker · http:\/\/127\.0\.0\.1:\d+ · .*\r?\n {2}INCOMPLETE Load test "GET \/long" was aborted \(The test run was aborted by the user\.\); requests in flight were cancelled\.\r?$/m)
  const stem = 'long-load--get-long'
  expect(existsSync(join(reportsDir, `${stem}.json`)), output).toBe(true)
  const long = readJson(stem)
  expect(long.incomplete).toBe('Load test "GET /long" was aborted (The test run was aborted by the user.); requests in flight were cancelled.')
  // the seconds that closed before Ctrl-C: 2 users at 20 ms a request, about 90 a second
  expect(long.totals.requests).toBeGreaterThan(50)
  expect(long.durationMs).toBeLessThan(15_000)
})
