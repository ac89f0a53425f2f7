import type { MatcherState } from 'vitest'
import type { BaselineEnvironment } from '../../src/baseline/environment.js'
import type { LoadRun } from '../../src/metrics/summary.js'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBaselineFile } from '../../src/baseline/store.js'
import { InvalidMatcherArgumentError } from '../../src/errors.js'
import { toMatchBaseline } from '../../src/matchers/baseline.js'
import { trackVerdicts, verdictsOf } from '../../src/metrics/verdicts.js'
import { recordRun, responses } from '../metrics/record-run.js'

/**
 * `seconds` seconds of 100 responses each, of factor × 1…100 ms (p95 ≈ 95 ms × factor), on two
 * endpoints; `othersBusy`, the share of the CPU other processes took during it (unknown by default).
 */
function run(seconds: number, factor = 1, model = '10 users for 10 s', othersBusy?: number): LoadRun {
  const second = (index: number, endpoint: string) => responses(100, factor * (1 + (index % 3) * 0.01), { second: index, endpoint })
  const result = recordRun(Array.from({ length: seconds }, (_, index) => [
    ...second(index, 'GET /a'),
    ...second(index, 'GET /b'),
  ]).flat(), {
    name: 'GET /users',
    model,
    ...(othersBusy !== undefined && {
      machineCpu: {
        cores: 2,
        busy: othersBusy + 0.2,
        peakBusy: othersBusy + 0.3,
        processBusy: 0.2,
        othersBusy,
      },
    }),
  })
  trackVerdicts(result)
  return result
}

let folder: string
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'vitest-load-matcher-'))
})
afterEach(() => {
  rmSync(folder, { recursive: true, force: true })
})

/** The matcher as Vitest calls it: in a test of `users.load.test.ts` named 'users API > GET /users', snapshots updated as `mode` says. */
function match(received: unknown, mode: 'all' | 'new' | 'none', options?: unknown, isNot = false) {
  const state = {
    isNot,
    testPath: join(folder, 'users.load.test.ts'),
    currentTestName: 'users API > GET /users',
    snapshotState: { snapshotUpdateState: mode },
  } as unknown as MatcherState
  const result = toMatchBaseline.call(state, received, options) as { pass: boolean, message: () => string }
  return {
    pass: result.pass,
    message: result.message(),
  }
}

const file = () => join(folder, '__baselines__', 'users.load.test.ts.json')

/** A baseline of `count` runs, as local runs make it: the first recorded, the next ones added. */
function recordRuns(count = 3, othersBusy?: number): void {
  for (let index = 0; index < count; index++)
    expect(match(run(6, 1, '10 users for 10 s', othersBusy), 'new').pass).toBe(true)
  expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(count)
}

/** Edits the stored baseline's environment, as if it had been recorded elsewhere. */
function recordedElsewhere(change: Partial<BaselineEnvironment>): void {
  const text = JSON.parse(readFileSync(file(), 'utf8')) as { baselines: Record<string, { environment: BaselineEnvironment }> }
  const entry = text.baselines['users API > GET /users']!
  entry.environment = {
    ...entry.environment,
    ...change,
  }
  writeFileSync(file(), JSON.stringify(text))
}

describe('toMatchBaseline', () => {
  it('records a missing baseline on a local run and passes, named after the test', () => {
    const first = run(6)
    const result = match(first, 'new')
    expect(result.pass).toBe(true)
    const stored = readBaselineFile(file())!.baselines['users API > GET /users']!
    expect(stored.load).toBe('10 users for 10 s')
    // 6 s less the default warm-up of 1 s
    expect(stored.intervals.p95Ms).toHaveLength(5)
    expect(verdictsOf(first).at(-1)).toMatchObject({
      matcher: 'toMatchBaseline',
      pass: true,
      actual: 'baseline recorded',
      baseline: { status: 'recorded', name: 'users API > GET /users', rows: [] },
    })
  })

  it('compares the next run and passes when nothing changed; fails at 30 % slower with the change and its interval', () => {
    recordRuns(3)
    const slower = run(6, 1.3)
    const result = match(slower, 'new')
    expect(result.pass).toBe(false)
    expect(result.message).toMatch(/to match its baseline \(recorded \d{4}-\d\d-\d\d in .*users\.load\.test\.ts\.json\), but it regressed: p50 \+30 % \(95 % PI \+30 % … \+30 %, 3 runs\), p95 \+30 %/)
    expect(result.message).toContain('npx vitest -u')
    const verdict = verdictsOf(slower).at(-1)!
    expect(verdict.pass).toBe(false)
    expect(verdict.baseline!.rows.find(row => row.metric === 'p95')).toMatchObject({
      verdict: 'regressed',
      text: { tolerance: '+10 %' },
    })
    // the failed comparison leaves the baseline as it was
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.summary.p95Ms).toBeLessThan(100)
  })

  it('takes tolerances: 30 % slower passes with p50: \'+50%\', p95: \'+50%\', p99: \'+50%\', throughput: false', () => {
    recordRuns(3)
    expect(match(run(6, 1.3), 'new', {
      p50: '+50%',
      p95: '+50%',
      p99: '+50%',
      throughput: false,
    }).pass).toBe(true)
  })

  it('rewrites the baseline with vitest -u, whatever the comparison would say', () => {
    match(run(6), 'new')
    const result = match(run(6, 1.3), 'all')
    expect(result.pass).toBe(true)
    expect(result.message).toContain('updated')
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(1)
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.summary.p95Ms).toBeGreaterThan(120)
  })

  it('fails in CI when the baseline is missing, saying how to create it, and writes nothing', () => {
    const result = match(run(6), 'none')
    expect(result.pass).toBe(false)
    expect(result.message).toContain('there is no baseline "users API > GET /users" in')
    expect(result.message).toContain('baselines are not written in CI (CI is set, as snapshots are not). Record it by running this test once on your machine, or with `npx vitest -u`, and commit')
    expect(existsSync(file())).toBe(false)
  })

  it('fails when the baseline was recorded for another load, until it is recorded again', () => {
    match(run(6), 'new')
    const result = match(run(6, 1, '50 users for 10 s'), 'new')
    expect(result.pass).toBe(false)
    expect(result.message).toContain('was recorded for another load (10 users for 10 s; this run: 50 users for 10 s)')
    expect(match(run(6, 1, '50 users for 10 s'), 'all').pass).toBe(true)
  })

  it('refuses a run of fewer than 5 intervals with the reason and a fix, recording nothing', () => {
    const result = match(run(3), 'new')
    expect(result.pass).toBe(false)
    expect(result.message).toContain('the run has 2 intervals with responses after its warm-up (1 s, left out) and a baseline needs at least 5 to test a change for significance. Run the load for 5 s or more after the warm-up')
    expect(existsSync(file())).toBe(false)
  })

  it('keeps an endpoint\'s baseline under the test\'s name and the endpoint\'s, or under `name`', () => {
    const whole = run(6)
    match(whole.endpoint('GET /b'), 'new')
    match(whole, 'new', { name: 'cold cache' })
    expect(Object.keys(readBaselineFile(file())!.baselines)).toEqual(['cold cache', 'users API > GET /users > GET /b'])
    expect(verdictsOf(whole).map(verdict => verdict.endpoint)).toEqual(['GET /b', null])
  })

  it('says what is wrong with an unreadable baseline file', () => {
    match(run(6), 'new')
    writeFileSync(file(), '{ not json')
    const result = match(run(6), 'new')
    expect(result.pass).toBe(false)
    expect(result.message).toContain('is not valid JSON')
  })

  it('records a broken baseline again with vitest -u, and fails on it otherwise', () => {
    match(run(6), 'new')
    const text = readFileSync(file(), 'utf8').replace('"p95Ms": [', '"p95Ms": "oops", "was": [')
    writeFileSync(file(), text)
    const broken = match(run(6), 'new')
    expect(broken.pass).toBe(false)
    expect(broken.message).toContain('holds a baseline "users API > GET /users" that is not one')
    expect(match(run(6), 'all').pass).toBe(true)
    expect(match(run(6), 'new').pass).toBe(true)
  })

  it('records where it was measured: CPU model and count, system, Node, and other processes\' share of the CPU', () => {
    match(run(6, 1, '10 users for 10 s', 0.12), 'new')
    const { environment } = readBaselineFile(file())!.baselines['users API > GET /users']!
    expect(environment).toEqual({
      cpu: expect.any(String) as unknown,
      cpus: cpus().length,
      os: `${process.platform} ${process.arch}`,
      node: process.versions.node,
      othersBusy: 0.12,
    })
  })

  it('a run 2× slower on another CPU is not comparable: it passes, with the reason and the figures, never as a regression', () => {
    recordRuns(3)
    recordedElsewhere({ cpu: 'Some Other CPU @ 1.0GHz' })
    const slower = run(6, 2)
    const result = match(slower, 'new')
    expect(result.pass).toBe(true)
    expect(result.message).toContain('was not compared with its baseline')
    expect(result.message).toContain('another CPU (')
    expect(result.message).toContain('the baseline\'s: Some Other CPU @ 1.0GHz)')
    expect(result.message).toMatch(/p95 latency \+\d+ %/)
    const verdict = verdictsOf(slower).at(-1)!
    expect(verdict).toMatchObject({
      pass: true,
      baseline: { status: 'not comparable' },
    })
    expect(verdict.actual).toMatch(/^not comparable: another CPU/)
    expect(verdict.baseline!.rows.find(row => row.metric === 'p95')!.verdict).toBe('regressed')
    // the baseline is kept as it was: a run that was not compared is not added
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.environment!.cpu).toBe('Some Other CPU @ 1.0GHz')
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(3)
  })

  it('the same slower run fails with environment: false, and \'lenient\' allows another CPU model but not another count', () => {
    recordRuns(3)
    recordedElsewhere({ cpu: 'Some Other CPU @ 1.0GHz' })
    expect(match(run(6, 2), 'new', { environment: false }).pass).toBe(false)
    expect(match(run(6, 2), 'new', { environment: 'lenient' }).pass).toBe(false)
    recordedElsewhere({ cpus: cpus().length + 2 })
    const result = match(run(6, 2), 'new', { environment: 'lenient' })
    expect(result.pass).toBe(true)
    expect(result.message).toContain(`${cpus().length} CPUs against the baseline's ${cpus().length + 2}`)
  })

  it('a run while other processes took much more of the CPU than during the baseline is not comparable', () => {
    recordRuns(3, 0.05)
    const busy = match(run(6, 2, '10 users for 10 s', 0.6), 'new')
    expect(busy.pass).toBe(true)
    expect(busy.message).toContain('other processes took 60 % of the CPU during this run, 5 % during the baseline\'s (more than 25 % apart)')
    // control: as busy as the baseline, the same slowdown is a regression
    expect(match(run(6, 2, '10 users for 10 s', 0.1), 'new').pass).toBe(false)
  })

  it('a baseline of an earlier version, without environment or runs, is one run: compared, and judged once runs are added', () => {
    match(run(6), 'new')
    const text = JSON.parse(readFileSync(file(), 'utf8')) as { baselines: Record<string, { environment?: unknown, runs?: unknown }> }
    delete text.baselines['users API > GET /users']!.environment
    delete text.baselines['users API > GET /users']!.runs
    writeFileSync(file(), JSON.stringify(text))
    const slower = run(6, 2)
    expect(match(slower, 'new', undefined).pass).toBe(true)
    expect(verdictsOf(slower).at(-1)!.baseline).toMatchObject({
      status: 'compared',
      runs: 1,
      environment: { baseline: null },
    })
    // the slow run was not added; two that pass are, and then 3 runs judge
    expect(match(run(6), 'new').pass).toBe(true)
    expect(match(run(6), 'new').pass).toBe(true)
    expect(match(run(6, 2), 'new').pass).toBe(false)
  })

  it('a baseline of fewer than 3 runs calls nothing a regression: 2× slower passes, inconclusive, with what to do', () => {
    match(run(6), 'new')
    const slower = run(6, 2)
    const result = match(slower, 'none')
    expect(result.pass).toBe(true)
    const rows = verdictsOf(slower).at(-1)!.baseline!.rows
    expect(rows.find(row => row.metric === 'p95')).toMatchObject({
      verdict: 'inconclusive',
      runs: 1,
      detectable: null,
      text: { detectable: 'needs 3 runs' },
    })
    expect(rows.find(row => row.metric === 'p95')!.text.change).toMatch(/^\+100 % \(95 % CI .+, within 1 run\)$/)
    expect(verdictsOf(slower).at(-1)!.actual).toBe('not judged yet: the baseline holds 1 of 3 runs')
    // a run that looked worse is not added where baselines are written either
    expect(match(run(6, 2), 'new').pass).toBe(true)
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(1)
    // control: the same run against 3 runs fails
    match(run(6), 'new')
    match(run(6), 'new')
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(3)
    expect(match(run(6, 2), 'none').pass).toBe(false)
  })

  it('adds local runs that pass until it holds 5, never a run that regressed, never in CI', () => {
    recordRuns(2)
    expect(match(run(6), 'none').pass).toBe(true)
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(2)
    for (let index = 0; index < 5; index++)
      match(run(6), 'new')
    expect(readBaselineFile(file())!.baselines['users API > GET /users']!.runs).toHaveLength(5)
    const before = readFileSync(file(), 'utf8')
    expect(match(run(6, 2), 'new').pass).toBe(false)
    expect(readFileSync(file(), 'utf8')).toBe(before)
  })

  it('weighs the spread between runs: history of 1.0×, 1.1×, 0.9×; +15 % is inconclusive, +150 % regressed, and the detectable change says where the line is', () => {
    for (const factor of [1, 1.1, 0.9])
      match(run(6, factor), 'new')
    const small = run(6, 1.15)
    expect(match(small, 'none').pass).toBe(true)
    const p50 = verdictsOf(small).at(-1)!.baseline!.rows.find(row => row.metric === 'p50')!
    expect(p50.verdict).toBe('inconclusive')
    expect(p50.runs).toBe(3)
    // t(2) = 4.303 × the spread of ln(1, 1.1, 0.9) × √(1 + 1/3), beyond the 10 % tolerance
    const logs = [1, 1.1, 0.9].map(Math.log)
    const mean = logs.reduce((a, b) => a + b) / 3
    const sd = Math.sqrt(logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 2)
    expect(p50.detectable).toBeCloseTo(Math.expm1(Math.log(1.1) + 4.303 * sd * Math.sqrt(4 / 3)), 2)
    expect(p50.text.detectable).toMatch(/^\+\d+ %$/)
    expect(match(run(6, 2.5), 'none').pass).toBe(false)
  })

  it('refuses an environment option it does not know', () => {
    expect(() => match(run(6), 'new', { environment: 'loose' })).toThrow(/environment: expected 'strict', 'lenient' or false, got/)
  })

  it('has no .not form, and needs a Vitest test', () => {
    expect(() => match(run(6), 'new', undefined, true)).toThrow(InvalidMatcherArgumentError)
    expect(() => match(run(6), 'new', undefined, true)).toThrow('toMatchBaseline() has no .not form')
    const state = { isNot: false, snapshotState: undefined } as unknown as MatcherState
    expect(() => toMatchBaseline.call(state, run(6))).toThrow('runs only inside a Vitest test')
    expect(() => match({ name: 'x' }, 'new')).toThrow('toMatchBaseline() expects the run passed to a loadTest() callback')
  })
})
