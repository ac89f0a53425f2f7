import type { JsonReport } from '../../src/report/format-json.js'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

const reportsDir = join(repoRoot, 'test/fixtures/overlap/.vitest-load')

function readReport(name: string): JsonReport {
  return JSON.parse(readFileSync(join(reportsDir, name), 'utf8')) as JsonReport
}

function readFile(name: string): string {
  return readFileSync(join(reportsDir, name), 'utf8')
}

describe('load tests in two test files with the plugin', () => {
  it('marks both runs when the files run in parallel: each names the other and its file, in every output', async () => {
    rmSync(reportsDir, { recursive: true, force: true })
    // EXPECT_OVERLAP: each fixture test asserts its own run names the other (the test process learned it)
    const { exitCode, output } = await runVitest('overlap', [], { EXPECT_OVERLAP: '1' })
    expect(exitCode, output).toBe(0)

    const a = readReport('a-load--get-a.json')
    const b = readReport('b-load--get-b.json')
    // the test process learned it from the reporter: the report is built from the test's own LoadRun
    expect(a.overlaps).toEqual([
      {
        name: 'GET /b',
        file: 'b.load.test.ts',
        ms: expect.any(Number),
      },
    ])
    expect(b.overlaps).toEqual([
      {
        name: 'GET /a',
        file: 'a.load.test.ts',
        ms: expect.any(Number),
      },
    ])
    expect(a.overlaps[0]!.ms).toBeGreaterThan(0)
    expect(b.overlaps[0]!.ms).toBe(a.overlaps[0]!.ms)
    // both runs really sent load side by side
    expect(a.totals.ok).toBeGreaterThan(0)
    expect(b.totals.ok).toBeGreaterThan(0)

    expect(output).toMatch(/⚠ overlapped: ran at the same time as another load test: 'GET \/b' \(b\.load\.test\.ts\) for [\d.]+ m?s\./)
    expect(output).toMatch(/⚠ overlapped: ran at the same time as another load test: 'GET \/a' \(a\.load\.test\.ts\) for [\d.]+ m?s\./)
    expect(readFile('summary.md').match(/> ⚠ \*\*Overlapped:\*\*/g)).toHaveLength(2)
    expect(readFile('a-load--get-a.html')).toContain('<section class="overlaps" role="alert">')
    expect(readFile('b-load--get-b.html')).toContain('<section class="overlaps" role="alert">')
  })

  it('marks neither when the files run one after the other (fileParallelism off)', async () => {
    rmSync(reportsDir, { recursive: true, force: true })
    const { exitCode, output } = await runVitest('overlap', [], { FILE_PARALLELISM: 'false', EXPECT_OVERLAP: '0' })
    expect(exitCode, output).toBe(0)

    expect(readReport('a-load--get-a.json').overlaps).toEqual([])
    expect(readReport('b-load--get-b.json').overlaps).toEqual([])
    expect(output).not.toContain('overlapped')
    expect(readFile('summary.md')).not.toContain('Overlapped')
    expect(readFile('a-load--get-a.html')).not.toContain('class="overlaps"')
  })
})

describe('load tests in two test files without the plugin', () => {
  it.runIf(process.platform === 'linux')('marks both runs when the files run in parallel, found through abstract sockets (Linux)', async () => {
    rmSync(reportsDir, { recursive: true, force: true })
    const { exitCode, output } = await runVitest('overlap', [], { NO_PLUGIN: '1', EXPECT_OVERLAP: '1' })
    expect(exitCode, output).toBe(0)
    // each test prints its own summary
    expect(output).toMatch(/⚠ overlapped: ran at the same time as another load test: 'GET \/b' \(b\.load\.test\.ts\) for [\d.]+ m?s\./)
    expect(output).toMatch(/⚠ overlapped: ran at the same time as another load test: 'GET \/a' \(a\.load\.test\.ts\) for [\d.]+ m?s\./)
    expect(existsSync(reportsDir)).toBe(false)
  })
})
