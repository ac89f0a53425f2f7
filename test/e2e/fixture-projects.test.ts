import type { JsonReport } from '../../src/report/format-json.js'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

/** The default output folder of a fixture project: `.vitest-load/` beside its config (git-ignored). */
function reportsDir(fixture: string): string {
  return join(repoRoot, 'test/fixtures', fixture, '.vitest-load')
}

function readJson(fixture: string, name: string): JsonReport {
  return JSON.parse(readFileSync(join(reportsDir(fixture), name), 'utf8')) as JsonReport
}

describe('a project with the vitest-load/config plugin', () => {
  it('fails on a matcher with its text, passes the rest and prints each summary', async () => {
    const { exitCode, output, rawOutput } = await runVitest('with-plugin')

    expect(exitCode).toBe(1)
    expect(output).toMatch(/expected p95 latency of "GET \/slow" to be below 1 ms, but it was [\d.]+ ms\n\s+GET \/slow: 10 requests, 0 errors \(0 %\), p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, [\d.]+ req\/s/)
    expect(output).toContain('expected throughput of "POST /soft" to be above 1,000,000 req/s')
    expect(output).toContain('expected error rate of "POST /soft" not to be below 50 %')
    expect(output).toContain('Invalid options for load test "GET /invalid":')
    expect(output).toContain('load.users must be a whole number of virtual users above 0, got `0` (number)')
    expect(output).toMatch(/Tests\s+3 failed \| 2 passed \| 1 skipped \(6\)/)
    // the reporter prints a summary for each test that ran load: plain text with CI=true and no terminal
    const summaries = rawOutput.split('\n').filter(line => /^(?:GET|POST) \/\w+ {2}\d+ users? × \d+ iterations · \d workers? · http:\/\/127\.0\.0\.1:\d+ · /.test(line))
    expect(summaries.map(line => line.split('  ')[0])).toEqual([
      'GET /users',
      'GET /slow',
      'POST /soft',
      'GET /first',
      'GET /second',
    ])
    expect(rawOutput).toMatch(/^ {2}requests \.+ 20 {2}[\d.]+ req\/s$/m)
    expect(rawOutput).toMatch(/^ {2}latency \.+ min [\d.]+ ms {2}mean [\d.]+ ms {2}p50 /m)
    // the matchers that ran, with their verdicts, under each summary
    expect(rawOutput).toMatch(/^ {2}✗ toHaveP95Below {2}< 1 ms {2}[\d.]+ ms$/m)
    expect(rawOutput).toMatch(/^ {2}✗ toHaveThroughputAbove {5}> 1,000,000 req\/s {2}[\d.]+ req\/s$/m)
    expect(rawOutput).toMatch(/^ {2}✗ not\.toHaveErrorRateBelow {2}< 50 % {13}0 %$/m)
  })

  it('writes a JSON and an HTML report per run and a Markdown summary to .vitest-load/', async () => {
    rmSync(reportsDir('with-plugin'), { recursive: true, force: true })
    const { output } = await runVitest('with-plugin')

    const stems = [
      'users-load--get-users',
      'users-load--get-slow',
      'users-load--post-soft',
      'users-load--runs-two-loads-with-runload--get-first',
      'users-load--runs-two-loads-with-runload--get-second',
    ]
    expect(readdirSync(reportsDir('with-plugin')).sort()).toEqual([
      ...stems.flatMap(stem => [`${stem}.html`, `${stem}.json`]),
      'summary.md',
    ].sort())
    expect(output).toContain('vitest-load reports 5 JSON · 5 HTML · summary.md in .vitest-load/')

    const slow = readJson('with-plugin', 'users-load--get-slow.json')
    expect(slow).toMatchObject({
      schemaVersion: 1,
      generator: { name: 'vitest-load' },
      test: { file: 'users.load.test.ts', name: 'GET /slow', state: 'failed' },
      name: 'GET /slow',
      totals: { requests: 10 },
      verdicts: [
        {
          matcher: 'toHaveP95Below',
          endpoint: null,
          expected: '< 1 ms',
          isNot: false,
          pass: false,
        },
        // no assertion on errors: the error budget is checked, and holds
        {
          matcher: 'errorBudget',
          measured: 'error rate',
          expected: '≤ 1 %',
          actual: '0 %',
          pass: true,
        },
      ],
    })
    expect(slow.timeline.every(point => typeof point.histogram === 'string')).toBe(true)
    // expect.soft: both matchers ran and failed, and both are in the report
    expect(readJson('with-plugin', 'users-load--post-soft.json').verdicts.map(verdict => [verdict.matcher, verdict.isNot, verdict.pass])).toEqual([
      ['toHaveThroughputAbove', false, false],
      ['toHaveErrorRateBelow', true, false],
    ])
    // runLoad() inside a test: the matcher ran after runLoad returned, and its verdict is there
    expect(readJson('with-plugin', 'users-load--runs-two-loads-with-runload--get-second.json')).toMatchObject({
      test: { name: 'runs two loads with runLoad()', state: 'passed' },
      verdicts: [
        {
          matcher: 'toHaveErrorRateBelow',
          expected: '< 50 %',
          actual: '0 %',
          pass: true,
        },
      ],
    })
    // no matcher on the first: the error budget's verdict alone, recorded when the test finished
    expect(readJson('with-plugin', 'users-load--runs-two-loads-with-runload--get-first.json').verdicts.map(verdict => [verdict.matcher, verdict.pass])).toEqual([
      ['errorBudget', true],
    ])

    const html = readFileSync(join(reportsDir('with-plugin'), 'users-load--get-slow.html'), 'utf8')
    expect(html).toContain('<svg id="chart-latency"')
    expect(html).toContain('<span class="status failed">✗ Failed</span>')

    const markdown = readFileSync(join(reportsDir('with-plugin'), 'summary.md'), 'utf8')
    expect(markdown.split('\n')[0]).toBe('## vitest-load: 5 load runs, 2 failed')
    expect(markdown.match(/^### .*$/gm)).toEqual([
      '### ✅ GET /users',
      '### ❌ GET /slow',
      '### ❌ POST /soft',
      '### ✅ runs two loads with runLoad() › GET /first',
      '### ✅ runs two loads with runLoad() › GET /second',
    ])
  })

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY when it is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitest-load-step-summary-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const stepSummary = join(dir, 'step-summary.md')

    const { exitCode } = await runVitest('with-plugin', ['-t', 'GET /users'], { GITHUB_STEP_SUMMARY: stepSummary })

    expect(exitCode).toBe(0)
    const markdown = readFileSync(stepSummary, 'utf8')
    expect(markdown).toMatch(/^## vitest-load: 1 load run, all passed\n\n### ✅ GET \/users\n/)
    expect(markdown).toMatch(/^\| GET \/users \| 20 \| [\d.,]+ \| 0 % \| /m)
    expect(markdown).toContain('| ✅ | `toHaveErrorRateBelow` | < 1 % | 0 % |')
  })

  it('-t filters load tests by name, and --reporter keeps the load summary', async () => {
    const { exitCode, output } = await runVitest('with-plugin', ['-t', 'GET /users', '--reporter=verbose'])

    expect(exitCode).toBe(0)
    expect(output).toMatch(/Tests\s+1 passed \| 5 skipped \(6\)/)
    // a reporter on the command line replaces the config's list; the plugin adds its own back
    expect(output).toMatch(/^GET \/users {2}2 users × 10 iterations · /m)
    expect(output).not.toMatch(/^GET \/slow {2}/m)
  })
})

describe('a project whose Vitest config has nothing for vitest-load', () => {
  it('runs load tests, honours .only and prints the summary from the test', async () => {
    rmSync(reportsDir('without-plugin'), { recursive: true, force: true })
    // CI forbids .only unless allowed, as Vitest does for test.only
    const { exitCode, output } = await runVitest('without-plugin', ['--allowOnly'])

    expect(exitCode).toBe(0)
    expect(output).toMatch(/Tests\s+2 passed \| 1 skipped \(3\)/)
    // printed by the test itself, since no reporter of ours is there
    expect(output).toMatch(/^GET \/only {2}2 users × 5 iterations · /m)
    expect(output).toMatch(/^ {2}requests \.+ 10 /m)
    // printed after the assertions, so with their verdicts
    expect(output).toMatch(/^ {2}✓ toHaveErrorRateBelow {2}< 1 % {2}0 %$/m)
    // report files come from the plugin's reporter only
    expect(existsSync(reportsDir('without-plugin'))).toBe(false)
  })
})

describe('a load test that Vitest times out', () => {
  it('stops the load, fails that test alone and leaves nothing to keep Vitest alive', async () => {
    const started = performance.now()
    const { exitCode, output } = await runVitest('test-timeout')

    expect(exitCode).toBe(1)
    expect(output).toContain('Test timed out in 1000ms')
    expect(output).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/)
    // the 1-minute load was stopped with the test, and Vitest closed without waiting on a handle
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(output).not.toMatch(/close timed out|prevents Vite server from exiting|hanging/i)
  })
})

describe('a load test never passes on broken traffic', () => {
  it('fails a target that stopped answering, and runs of 404s or 500s, unless the test asserts errors or sets errorBudget: false', async () => {
    const { exitCode, output } = await runVitest('broken-traffic')

    expect(exitCode).toBe(1)
    // the trap: latency and throughput matchers alone would pass on the survivors
    expect(output).toMatch(/ErrorBudgetExceededError: Load test "GET \/users": the target stopped answering between \d+ s and \d+ s: [\d.]+ % of requests got no response \([\d,]+ of [\d,]+: [\d,]+ × ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:<port>/)
    // its users back off, so few attempts failed: the seconds without a success spend the budget
    expect(output).toMatch(/No request succeeded in [\d.]+ s of its [\d.]+ s \([\d.]+ % of the time\), above the error budget of 1 %\. The latency figures describe only the requests that got a response\. Assert on errors with expect\(run\)\.toHaveErrorRateBelow\(…\) or set errorBudget \(now 1 %; false turns it off\)\./)
    expect(output).toMatch(/Load test "GET \/missing": 100 % of responses were 404 \([\d,]+ of [\d,]+\)\. Its error rate 100 % is above the error budget of 1 %/)
    expect(output).toMatch(/Load test "GET \/broken": 100 % of responses were 500/)
    expect(output).toMatch(/Load test "GET \/runload": 100 % of responses were 500/)
    // the row of the budget is in every summary, failing here
    expect(output).toMatch(/^ {2}✗ errorBudget +≤ 1 % +100 %$/m)
    // the healthy control with the same matchers passes, with the budget's row passing
    expect(output).toMatch(/^ {2}✓ errorBudget +≤ 1 % +0 %$/m)
    expect(output).toMatch(/^\s+✓ GET \/healthy/m)
    // a test that means to load an erroring target: errorBudget: false, or its own error assertion
    expect(output).toMatch(/^\s+✓ 404s on purpose/m)
    expect(output).toMatch(/^\s+✓ 500s on purpose/m)
    expect(output).toMatch(/^\s+✓ 500s asserted/m)
    expect(output).toMatch(/Tests\s+4 failed \| 4 passed \(8\)/)
  })
})
