import type { InterruptibleRun } from '../../src/report/interrupt.js'
import type { RunReport } from '../../src/report/run-report.js'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ReportStems } from '../../src/report/file-names.js'
import { parseJsonReport } from '../../src/report/format-json.js'
import { interruptible, REPORTS_ENV } from '../../src/report/interrupt.js'
import { toRunReport } from '../../src/report/run-report.js'
import { recordRun, responses } from '../metrics/record-run.js'

let dir = ''

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitest-load-checkpoints-'))
  vi.useFakeTimers()
})

/** The stops of the runs a test started: a test that fails half-way leaves no run on for the next. */
const stops: Array<(keep: boolean) => void> = []

/** `interruptible(run)`, stopped after the test if the test did not. */
function start(run: InterruptibleRun): (keep: boolean) => void {
  const stop = interruptible(run)
  stops.push(stop)
  return stop
}

afterEach(() => {
  for (const stop of stops.splice(0))
    stop(false)
  vi.useRealTimers()
  vi.unstubAllEnvs()
  rmSync(dir, { recursive: true, force: true })
})

function reportsOn(formats: string[] = ['json', 'html', 'markdown']): void {
  vi.stubEnv(REPORTS_ENV, JSON.stringify({
    root: dir,
    outputDir: join(dir, 'reports'),
    formats,
  }))
}

/** A run in progress whose checkpoint reports `requests()` responses, once `started`. */
function runInProgress(test: InterruptibleRun['test'] = {
  file: join(dir, 'users.load.test.ts'),
  name: 'GET /users',
}) {
  const state = { started: false, requests: 10 }
  const run: InterruptibleRun = {
    abort: () => {},
    report: () => undefined,
    checkpoint: (): RunReport | undefined => state.started
      ? toRunReport(recordRun(responses(state.requests), { name: 'GET /users', incomplete: 'did not finish: checkpoint' }))
      : undefined,
    settled: Promise.resolve(),
    test,
  }
  return { run, state }
}

function files(): string[] {
  try {
    return readdirSync(join(dir, 'reports')).sort()
  }
  catch {
    return []
  }
}
const readJson = (name: string) => parseJsonReport(readFileSync(join(dir, 'reports', name), 'utf8'))

describe('checkpoints of a run in progress', () => {
  it('writes the run so far, marked incomplete, at the files its report will have, from 1 s on', () => {
    reportsOn()
    const { run, state } = runInProgress()
    const stop = start(run)
    // not yet started: nothing to write, and nothing written
    vi.advanceTimersByTime(1000)
    expect(files()).toEqual([])
    // started, nothing measured yet: an empty checkpoint would only spend the time share
    state.started = true
    state.requests = 0
    vi.advanceTimersByTime(1000)
    expect(files()).toEqual([])
    state.requests = 10
    vi.advanceTimersByTime(999)
    expect(files()).toEqual([])
    vi.advanceTimersByTime(1)
    expect(files()).toEqual(['users-load--get-users.html', 'users-load--get-users.json'])
    const first = readJson('users-load--get-users.json')
    expect(first.incomplete).toBe('did not finish: checkpoint')
    expect(first.totals.requests).toBe(10)
    expect(first.test).toEqual({ file: 'users.load.test.ts', name: 'GET /users', state: 'failed' })
    expect(readFileSync(join(dir, 'reports/users-load--get-users.html'), 'utf8')).toContain('<b>Incomplete:</b> did not finish: checkpoint')

    // the next comes 1 s later, or later still if writing took more than 20 ms
    state.requests = 25
    vi.advanceTimersToNextTimer()
    expect(readJson('users-load--get-users.json').totals.requests).toBe(25)
    stop(true)
    state.requests = 40
    vi.advanceTimersByTime(5000)
    // kept for the reporter to replace, and no longer rewritten
    expect(readJson('users-load--get-users.json').totals.requests).toBe(25)
    expect(files()).toEqual(['users-load--get-users.html', 'users-load--get-users.json'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('removes the files of a run that is not published', () => {
    reportsOn(['json'])
    const { run, state } = runInProgress()
    state.started = true
    const stop = start(run)
    vi.advanceTimersByTime(1000)
    expect(files()).toEqual(['users-load--get-users.json'])
    stop(false)
    expect(files()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives two runs of one name on at once their own files, and the name back once they end', () => {
    reportsOn(['json'])
    const first = runInProgress()
    const second = runInProgress()
    first.state.started = second.state.started = true
    const stopFirst = start(first.run)
    const stopSecond = start(second.run)
    second.state.requests = 20
    vi.advanceTimersByTime(1000)
    expect(files()).toEqual(['users-load--get-users-2.json', 'users-load--get-users.json'])
    expect(readJson('users-load--get-users-2.json').totals.requests).toBe(20)
    stopFirst(true)
    stopSecond(true)
    const third = runInProgress()
    third.state.started = true
    third.state.requests = 30
    const stopThird = start(third.run)
    vi.advanceTimersByTime(1000)
    expect(readJson('users-load--get-users.json').totals.requests).toBe(30)
    stopThird(false)
  })

  // its control, the same run with JSON reports on and in a test, writes: 'removes the files…' above
  it('writes none without the plugin\'s JSON or HTML reports, or outside a test', () => {
    const { run, state } = runInProgress()
    state.started = true
    start(run)(true)
    reportsOn(['markdown'])
    const stopMarkdownOnly = start(run)
    reportsOn(['json'])
    const stopOutsideTest = start({ ...run, test: undefined })
    vi.advanceTimersByTime(3000)
    expect(files()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
    stopMarkdownOnly(true)
    stopOutsideTest(true)
  })

  it('skips a checkpoint that cannot be written, and tries again later', () => {
    // the output folder's parent is a file: nothing can be written under it
    writeFileSync(join(dir, 'reports'), '')
    vi.stubEnv(REPORTS_ENV, JSON.stringify({
      root: dir,
      outputDir: join(dir, 'reports/out'),
      formats: ['json'],
    }))
    const { run, state } = runInProgress()
    state.started = true
    const stop = start(run)
    expect(() => vi.advanceTimersByTime(1000)).not.toThrow()
    expect(vi.getTimerCount()).toBe(1)
    // once the folder can be made, the next checkpoint is written
    rmSync(join(dir, 'reports'))
    vi.advanceTimersByTime(1000)
    expect(files()).toEqual(['out'])
    expect(readdirSync(join(dir, 'reports/out'))).toEqual(['users-load--get-users.json'])
    stop(false)
    expect(readdirSync(join(dir, 'reports/out'))).toEqual([])
  })
})

describe('reportStems', () => {
  it('numbers a stem given twice, and gives a released one out again', () => {
    const stems = new ReportStems()
    expect(stems.unique('a')).toBe('a')
    expect(stems.unique('a')).toBe('a-2')
    expect(stems.unique('a')).toBe('a-3')
    expect(stems.unique('b')).toBe('b')
    stems.release('a')
    expect(stems.unique('a')).toBe('a')
    expect(stems.unique('a')).toBe('a-4')
  })
})
