import type { BaselineFile } from '../../src/baseline/store.js'
import type { JsonReport } from '../../src/report/format-json.js'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

const fixture = join(repoRoot, 'test/fixtures/baseline')
const baselineFile = join(fixture, '__baselines__/api.load.test.ts.json')
const reports = join(fixture, '.vitest-load')

function clean(): void {
  rmSync(join(fixture, '__baselines__'), { recursive: true, force: true })
  rmSync(reports, { recursive: true, force: true })
}

beforeAll(() => {
  installPackedPackage()
  clean()
})
afterAll(clean)

function stored(): BaselineFile {
  return JSON.parse(readFileSync(baselineFile, 'utf8')) as BaselineFile
}

function jsonReport(): JsonReport {
  const [name] = readdirSync(reports).filter(file => file.endsWith('.json'))
  return JSON.parse(readFileSync(join(reports, name!), 'utf8')) as JsonReport
}

// one flow, in order, as a project lives it: CI before anyone recorded, the first local run, CI
// against a baseline of one run, two more local runs, CI against the baseline of 3, a slowdown,
// then `vitest -u`. Each step is one real `vitest run` of 6 s of load.
describe('toMatchBaseline in a project, as snapshots behave', () => {
  it('fails in CI while no baseline exists, saying how to create it, and writes none', async () => {
    const { exitCode, output } = await runVitest('baseline')
    expect(exitCode).toBe(1)
    expect(output).toContain('there is no baseline "GET /items" in __baselines__/api.load.test.ts.json, and baselines are not written in CI (CI is set, as snapshots are not). Record it by running this test once on your machine, or with `npx vitest -u`, and commit __baselines__/api.load.test.ts.json.')
    expect(existsSync(baselineFile)).toBe(false)
  })

  it('records it on the first local run (CI unset) and passes', async () => {
    // Vitest (std-env) takes any non-empty CI, even 'false', for CI: a developer's shell has none
    const { exitCode, output } = await runVitest('baseline', [], { CI: '' })
    expect(exitCode, output).toBe(0)
    expect(output).toMatch(/✓ toMatchBaseline\s+no significant regression beyond tolerance\s+baseline recorded/)
    const file = stored()
    expect(Object.keys(file)).toEqual(['baselines', 'generator', 'schemaVersion'])
    const entry = file.baselines['GET /items']!
    expect(entry.load).toBe('4 users for 6 s')
    expect(entry.recorded).toMatch(/^\d{4}-\d\d-\d\d$/)
    expect(entry.intervals.p50Ms).toHaveLength(5)
    expect(entry.summary.p50Ms).toBeGreaterThanOrEqual(10)
    expect(entry.summary.p50Ms).toBeLessThan(14)
    // no target (its port changes every run), no header, nothing but figures and one date
    expect(readFileSync(baselineFile, 'utf8')).not.toContain('127.0.0.1')
  })

  it('a baseline of one run calls nothing a regression: twice as slow in CI passes, inconclusive, saying how to add runs', async () => {
    const before = readFileSync(baselineFile, 'utf8')
    const { exitCode, output } = await runVitest('baseline', [], { FIXTURE_DELAY_MS: '20' })
    expect(exitCode, output).toBe(0)
    expect(output).toContain('The baseline holds 1 of the 3 runs needed to know the spread between runs: no change is called a regression yet.')
    expect(output).toMatch(/✓ p50 latency\s+1\d\.?\d* ms\s+2\d\.?\d* ms\s+\+\d+ % \(95 % CI .+, within 1 run\)\s+\+10 %\s+needs 3 runs\s+inconclusive/)
    // CI never writes
    expect(readFileSync(baselineFile, 'utf8')).toBe(before)
  })

  it('two more local runs that pass are added to it: 3 runs', async () => {
    for (const runs of [2, 3]) {
      const { exitCode, output } = await runVitest('baseline', [], { CI: '' })
      expect(exitCode, output).toBe(0)
      expect(stored().baselines['GET /items']!.runs).toHaveLength(runs)
    }
  })

  it('passes in CI against the unchanged target, with the comparison table in the summary and the JSON', async () => {
    const before = readFileSync(baselineFile, 'utf8')
    const { exitCode, output } = await runVitest('baseline')
    expect(exitCode, output).toBe(0)
    expect(output).toMatch(/ {2}baseline GET \/items · recorded \d{4}-\d\d-\d\d · __baselines__\/api\.load\.test\.ts\.json/)
    expect(output).toMatch(/✓ p50 latency\s+1\d\.?\d* ms\s+1\d\.?\d* ms\s+[+−]?\d+(\.\d+)? % \(95 % PI .+, 3 runs\)\s+\+10 %\s+\+\d+(\.\d+)? %\s+(unchanged|within tolerance|improved)/)
    const verdict = jsonReport().verdicts.find(one => one.matcher === 'toMatchBaseline')!
    expect(verdict.baseline!.status).toBe('compared')
    expect(verdict.baseline!.runs).toBe(3)
    expect(verdict.baseline!.rows.map(row => row.metric)).toEqual([
      'p50',
      'p95',
      'p99',
      'throughput',
      'errorRate',
    ])
    // at least the tolerance: a sleep's p50 can read the same in all 3 runs, and then it is the tolerance itself
    expect(verdict.baseline!.rows[0]!.detectable).toBeGreaterThanOrEqual(0.1)
    // a comparison in CI never rewrites the file
    expect(readFileSync(baselineFile, 'utf8')).toBe(before)
  })

  it('fails in CI when the target got twice as slow: p50 +100 % with its interval, in the message and the Markdown', async () => {
    const { exitCode, output } = await runVitest('baseline', [], { FIXTURE_DELAY_MS: '20' })
    expect(exitCode).toBe(1)
    expect(output).toMatch(/expected "GET \/items" to match its baseline \(recorded \d{4}-\d\d-\d\d in __baselines__\/api\.load\.test\.ts\.json\), but it regressed: p50 \+\d+ % \(95 % PI \+\d+ % … \+\d+ %, 3 runs\)/)
    expect(output).toContain('If the change is intended, record the new figures with `npx vitest -u`.')
    const markdown = readFileSync(join(reports, 'summary.md'), 'utf8')
    expect(markdown).toMatch(/\| ❌ \| p50 latency \| 1\d\.?\d* ms \| 2\d\.?\d* ms \| \+\d+ % \(95 % PI/)
  })

  it('rewrites the baseline with vitest -u, even in CI, and then passes against the slower target', async () => {
    const updated = await runVitest('baseline', ['-u'], { FIXTURE_DELAY_MS: '20' })
    expect(updated.exitCode, updated.output).toBe(0)
    expect(stored().baselines['GET /items']!.summary.p50Ms).toBeGreaterThanOrEqual(20)
    // a new start: one run, to which local runs add
    expect(stored().baselines['GET /items']!.runs).toHaveLength(1)
    const again = await runVitest('baseline', [], { FIXTURE_DELAY_MS: '20' })
    expect(again.exitCode, again.output).toBe(0)
  })
})
