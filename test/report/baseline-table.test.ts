import type { MatcherState } from 'vitest'
import type { LoadRun } from '../../src/metrics/summary.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { toMatchBaseline } from '../../src/matchers/baseline.js'
import { trackVerdicts } from '../../src/metrics/verdicts.js'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

const folder = mkdtempSync(join(tmpdir(), 'vitest-load-table-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** Six seconds of 100 responses of factor × 1…100 ms. */
function run(factor: number): LoadRun {
  const result = recordRun(Array.from({ length: 6 }, (_, second) => responses(100, factor * (1 + (second % 3) * 0.01), { second })).flat(), { name: 'GET /users', model: '10 users for 6 s' })
  trackVerdicts(result)
  return result
}

const state = {
  isNot: false,
  testPath: join(folder, 'users.load.test.ts'),
  currentTestName: 'GET /users',
  snapshotState: { snapshotUpdateState: 'new' },
} as unknown as MatcherState
// a baseline of 3 runs: the first recorded, two added, as local runs make it
for (let index = 0; index < 3; index++)
  toMatchBaseline.call(state, run(1))
const slower = run(1.25)
toMatchBaseline.call(state, slower)
const report = toRunReport(slower)

describe('the baseline comparison in every report', () => {
  it('is a table in the terminal summary: metric, baseline, now, change with its interval, tolerance, verdict', () => {
    const text = formatSummary(report, { colors: false })
    expect(text).toMatch(/ {2}baseline GET \/users · recorded \d{4}-\d\d-\d\d · .*__baselines__\/users\.load\.test\.ts\.json\n/)
    expect(text).toMatch(/ {4}metric {7}baseline\s+now\s+change\s+tolerance\s+detectable\s+verdict/)
    // three identical runs: no spread, so the interval is the change itself, and any change past the tolerance is caught
    expect(text).toMatch(/✗ p95 latency {2}9\d(\.\d+)? ms\s+12\d ms\s+\+25 % \(95 % PI \+2\d % … \+2\d %, 3 runs\)\s+\+10 %\s+\+10 % {2,}regressed/)
    expect(text).toMatch(/✓ throughput\s+100 req\/s\s+100 req\/s\s+0 % \(95 % PI 0 % … 0 %, 3 runs\)\s+−10 %\s+−10 %\s+unchanged/)
    expect(text).toMatch(/✓ error rate\s+0 %\s+0 %\s+0 pt .*\+1 pt\s+\+1 pt\s+unchanged/)
    expect(text).toMatch(/✗ toMatchBaseline\s+no significant regression beyond tolerance\s+p50 \+25 % .*, p95 \+25 %/)
  })

  it('is a table in the Markdown, for a pull-request comment', () => {
    const markdown = formatMarkdownRun({ report, test: null })
    expect(markdown).toContain('| | metric | baseline | now | change | tolerance | detectable | verdict |')
    expect(markdown).toMatch(/\| ❌ \| p95 latency \| 9\d(\.\d+)? ms \| 12\d ms \| \+25 % \(95 % PI \+2\d % … \+2\d %, 3 runs\) \| \+10 % \| \+10 % \| regressed \|/)
  })

  it('is data in the JSON report, and a table in the HTML report', () => {
    const json = JSON.parse(formatJsonReport(toJsonReport(report, null, '0.1.0')))
    const p95 = json.verdicts.at(-1).baseline.rows.find((row: { metric: string }) => row.metric === 'p95')
    expect(p95).toMatchObject({ metric: 'p95', verdict: 'regressed', tolerance: 0.1 })
    expect(p95.change).toBeCloseTo(0.25, 2)
    expect(p95.low).toBeGreaterThan(0.1)
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<section class="baseline"><h2>Baseline')
    expect(html).toMatch(/<tr class="fail"><td class="name"><span class="mark">✗<\/span> p95 latency<\/td>/)
  })
})

describe('a comparison that was not comparable, in every report', () => {
  const elsewhere = mkdtempSync(join(tmpdir(), 'vitest-load-table-'))
  afterAll(() => rmSync(elsewhere, { recursive: true, force: true }))
  const there = {
    ...state,
    testPath: join(elsewhere, 'users.load.test.ts'),
  } as MatcherState
  for (let index = 0; index < 3; index++)
    toMatchBaseline.call(there, run(1))
  // recorded on another machine
  const path = join(elsewhere, '__baselines__', 'users.load.test.ts.json')
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { baselines: Record<string, { environment: { cpu: string } }> }
  stored.baselines['GET /users']!.environment.cpu = 'Some Other CPU'
  writeFileSync(path, JSON.stringify(stored))
  const slowerThere = run(1.25)
  toMatchBaseline.call(there, slowerThere)
  const notComparable = toRunReport(slowerThere)

  it('the terminal says why under the title, shows where each side ran, and judges no row', () => {
    const text = formatSummary(notComparable, { colors: false })
    expect(text).toMatch(/\n {2}Not comparable: another CPU \(.+; the baseline's: Some Other CPU\)\. The verdicts below are shown, not applied\.\n {2}This run: .+ × \d+, \w+ \w+, Node [\d.]+\. Baseline: Some Other CPU × \d+/)
    expect(text).toMatch(/✓ p95 latency .* not judged \(regressed\)/)
    expect(text).toMatch(/✓ toMatchBaseline .* not comparable: another CPU/)
  })

  it('the Markdown and the HTML say the same', () => {
    const markdown = formatMarkdownRun({ report: notComparable, test: null })
    expect(markdown).toContain('**Not comparable: another CPU (')
    expect(markdown).toMatch(/\| p95 latency \|.*\| not judged \(regressed\) \|/)
    const html = formatHtmlReport(notComparable, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<p class="baseline-note not-comparable">Not comparable: another CPU (')
    expect(html).toContain('not judged (regressed)')
  })

  it('control: the comparison on the same machine shows where it ran, and judges its rows', () => {
    const text = formatSummary(report, { colors: false })
    expect(text).not.toContain('Not comparable')
    expect(text).toMatch(/This run: .+\. Baseline: .+\./)
  })
})
