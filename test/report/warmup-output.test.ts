import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** 5 s of 'GET /users', 20 responses a second, the first 2 s a warm-up (or none). */
function report(warmupSeconds: number) {
  const samples = [0, 1, 2, 3, 4].flatMap(second => responses(20, 1, { endpoint: 'GET /users', second }))
  return toRunReport(recordRun(samples, { name: 'GET /users', durationMs: 5000, warmupSeconds }))
}

describe('a warm-up is shown, marked, in every output', () => {
  const warm = report(2)
  const plain = report(0)

  it('the terminal summary says how long and how many requests, above the judged figures', () => {
    const lines = formatSummary(warm, { colors: false }).split('\n')
    const at = lines.findIndex(line => line.includes('warm-up'))
    expect(lines[at]).toMatch(/^ {2}warm-up \.+ 2 s, 40 requests {2}shown in the timeline, left out of every figure below$/)
    expect(lines[at + 1]).toMatch(/^ {2}requests \.+ 60 {2}20 req\/s$/)
    expect(formatSummary(plain, { colors: false })).not.toContain('warm-up')
  })

  it('the Markdown names it beside the figures', () => {
    expect(formatMarkdownRun({ report: warm, test: null })).toContain('warm-up 2 s (40 requests, not judged) · 60 requests')
    expect(formatMarkdownRun({ report: plain, test: null })).not.toContain('warm-up')
  })

  it('the HTML shades it in every chart and says what it is', () => {
    const html = formatHtmlReport(warm, { test: null, generator: 'vitest-load test' })
    expect(html.match(/<rect class="warmup"/g)).toHaveLength(4)
    expect(html).toContain('<b>Warm-up:</b> the first 2 s (40 requests) are shaded in the charts and left out of every figure.')
    expect(formatHtmlReport(plain, { test: null, generator: 'vitest-load test' })).not.toContain('class="warmup')
  })

  it('the JSON keeps it, and rebuilds throughput over the time after it; an older report has none', () => {
    const json = toJsonReport(warm, null, '0.1.0')
    const rebuilt = rebuildRunReport(parseJsonReport(formatJsonReport(json)))
    expect(rebuilt.warmup).toMatchObject({
      durationMs: 2000,
      totals: { requests: 40 },
    })
    expect(rebuilt.throughputPerSec).toBe(20)
    expect(rebuilt.timeline.filter(point => point.warmup).map(point => point.second)).toEqual([0, 1])
    const { warmup: _warmup, ...older } = toJsonReport(plain, null, '0.1.0')
    expect(rebuildRunReport(parseJsonReport(JSON.stringify(older))).warmup).toBeNull()
  })
})
