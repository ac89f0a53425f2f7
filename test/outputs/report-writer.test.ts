import type { ReportEntry } from '../../src/report/format-markdown.js'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseJsonReport } from '../../src/report/format-json.js'
import { toRunReport } from '../../src/report/run-report.js'
import { ReportWriter } from '../../src/report/write-reports.js'
import { recordRun, responses } from '../metrics/record-run.js'

let dir = ''

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitest-load-writer-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function entry(testName: string, runName = testName): ReportEntry {
  return {
    report: toRunReport(recordRun(responses(10), { name: runName })),
    test: { file: 'test/users.load.test.ts', name: testName, state: 'passed' },
  }
}

describe('reportWriter', () => {
  it('writes one JSON and one HTML file per run, named from the test file and name', () => {
    const writer = new ReportWriter({
      outputDir: join(dir, 'out'),
      formats: ['json', 'html', 'markdown'],
    })
    writer.writeRun(entry('GET /users'))
    writer.writeRun(entry('runs two loads', 'GET /first'))
    writer.finish()
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'summary.md',
      'test-users-load--get-users.html',
      'test-users-load--get-users.json',
      'test-users-load--runs-two-loads--get-first.html',
      'test-users-load--runs-two-loads--get-first.json',
    ])
    const json = parseJsonReport(readFileSync(join(dir, 'out/test-users-load--get-users.json'), 'utf8'))
    expect(json.test).toEqual({ file: 'test/users.load.test.ts', name: 'GET /users', state: 'passed' })
    expect(json.generator.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('gives a second run with the same name \'-2\' rather than overwriting the first', () => {
    const writer = new ReportWriter({
      outputDir: dir,
      formats: ['json'],
    })
    writer.writeRun(entry('GET /users'))
    writer.writeRun(entry('GET /users'))
    expect(writer.finish().json.map(file => file.slice(dir.length + 1))).toEqual([
      'test-users-load--get-users.json',
      'test-users-load--get-users-2.json',
    ])
  })

  it('writes only the formats asked for: [\'markdown\'] gives summary.md alone', () => {
    const writer = new ReportWriter({
      outputDir: dir,
      formats: ['markdown'],
    })
    writer.writeRun(entry('GET /users'))
    writer.finish()
    expect(readdirSync(dir)).toEqual(['summary.md'])
  })

  it('writes nothing, not even the folder, when no load test ran or formats is []', () => {
    new ReportWriter({
      outputDir: join(dir, 'none'),
      formats: ['json', 'html', 'markdown'],
    }).finish()
    const off = new ReportWriter({
      outputDir: join(dir, 'off'),
      formats: [],
    })
    off.writeRun(entry('GET /users'))
    off.finish()
    expect(existsSync(join(dir, 'none'))).toBe(false)
    expect(existsSync(join(dir, 'off'))).toBe(false)
  })

  it('appends to $GITHUB_STEP_SUMMARY, keeping what earlier steps wrote, and replaces summary.md', () => {
    const stepSummary = join(dir, 'step.md')
    writeFileSync(stepSummary, '# build\n')
    const writer = new ReportWriter({
      outputDir: join(dir, 'out'),
      formats: ['markdown'],
      stepSummaryFile: stepSummary,
    })
    writer.writeRun(entry('GET /users'))
    expect(writer.finish()).toMatchObject({
      markdown: join(dir, 'out/summary.md'),
      stepSummary,
    })
    writer.reset()
    writer.writeRun(entry('GET /orders'))
    writer.finish()
    const appended = readFileSync(stepSummary, 'utf8')
    expect(appended.startsWith('# build\n## vitest-load: 1 load run, all passed')).toBe(true)
    expect(appended.match(/^### ✅ /gm)).toHaveLength(2)
    // summary.md holds the latest Vitest run only
    expect(readFileSync(join(dir, 'out/summary.md'), 'utf8')).toContain('GET /orders')
    expect(readFileSync(join(dir, 'out/summary.md'), 'utf8')).not.toContain('GET /users')
  })
})
