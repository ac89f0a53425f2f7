import type { JsonReport } from '../../src/report/format-json.js'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

const reportsDir = join(repoRoot, 'test/fixtures/incomplete/.vitest-load')

function readJson(stem: string): JsonReport {
  return JSON.parse(readFileSync(join(reportsDir, `${stem}.json`), 'utf8')) as JsonReport
}

it('a load test that times out or loses its worker mid-run prints and writes what it measured, marked incomplete', async () => {
  rmSync(reportsDir, { recursive: true, force: true })
  const { exitCode, output } = await runVitest('incomplete')

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
