import type { TimelinePoint } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { sampleOf } from '../../src/baseline/sample.js'
import { decodeHistogram, summarizeLatency } from '../../src/metrics/histogram.js'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownSummary } from '../../src/report/format-markdown.js'
import { renderChart } from '../../src/report/html/charts.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { fedHistogram, syntheticRun } from '../metrics/synthetic-run.js'

const info = { test: null, generator: 'vitest-load 0.1.0' }

describe('the reports of a run whose seconds were merged', () => {
  // 2,000 s, 4 endpoints, at most 16 points: 8 doublings, points of 128 s
  const synthetic = syntheticRun({ seconds: 2000, endpoints: 4, timelinePoints: 16 })
  const report = toRunReport(synthetic.run)

  it('the JSON report keeps each merged point\'s histogram, and rebuilds the same figures from it', () => {
    const text = formatJsonReport(toJsonReport(report, null, '0.1.0'))
    const parsed = parseJsonReport(text)
    expect(parsed.timeline).toHaveLength(16)
    expect(parsed.timeline[1]).toMatchObject({ second: 128, durationMs: 128_000 })
    const rebuilt = rebuildRunReport(parsed)
    expect(rebuilt.timeline).toEqual(report.timeline)
    expect(rebuilt.endpoints.map(endpoint => endpoint.timeline)).toEqual(report.endpoints.map(endpoint => endpoint.timeline))
    // 16 points × 5 series of a few KB each, and the run's own histograms
    expect(text.length).toBeLessThan(400_000)
  })

  it('the HTML report says what a point stands for and draws bars as wide as 128 s', () => {
    const html = formatHtmlReport(report, info)
    expect(html).toContain('one point for each 128 s of the run')
    const bar = /<rect class="bar"[^>]* width="([\d.]+)"/.exec(html)
    // 128 s of a 2,000 s axis over 560 px, 70 % of it: 25 px, shared by errors and dropped
    // arrivals side by side: 12.5 px each (a 1-s bar would be a tenth of a pixel)
    expect(Number(bar![1])).toBe(12.5)
  })

  it('the Markdown and terminal summaries hold the run\'s exact totals', () => {
    const markdown = formatMarkdownSummary([
      { report, test: null },
    ])
    const terminal = formatSummary(report, { colors: false })
    const requests = synthetic.run.totals.requests.toLocaleString('en-US')
    expect(markdown).toContain(requests)
    expect(terminal).toContain(requests)
  })

  it('a baseline reads 16 intervals of 128 s, each with the exact merge\'s p95', () => {
    const sample = sampleOf(synthetic.run, synthetic.run.model)
    expect(sample.intervalSeconds).toBe(128)
    expect(sample.intervals.p95Ms).toHaveLength(16)
    const exact = fedHistogram(synthetic, null, 128, 256)
    expect(sample.intervals.p95Ms[1]).toBe(summarizeLatency(exact).p95Ms)
    // throughput counts successful responses
    expect(sample.intervals.throughputPerSec[1]).toBe((synthetic.run.timeline[1]!.requests - synthetic.run.timeline[1]!.errors) / 128)
    expect(summarizeLatency(decodeHistogram(synthetic.run.histogram))).toEqual(synthetic.run.latency)
  })
})

// 12.5 h of seconds: 135,000 latency values in one chart, past what a spread puts on the stack
describe('a timeline of 45,000 one-second points, as a report read from an older version may hold', () => {
  const timeline: TimelinePoint[] = Array.from({ length: 45_000 }, (_, second) => ({
    second,
    durationMs: 1000,
    requests: 100 + second % 7,
    errors: second % 5,
    p50Ms: 2,
    p95Ms: 5,
    p99Ms: 9,
    activeUsers: 10 + second % 3,
    droppedArrivals: 0,
  }))

  it('is drawn without spreading its values onto the stack', () => {
    const chart = (): string => renderChart({
      id: 'chart-errors',
      label: 'Errors',
      x: timeline.map(point => point.second + 0.5),
      series: (['p50Ms', 'p95Ms', 'p99Ms'] as const).map(key => ({
        name: key,
        color: '#0ea5e9',
        values: timeline.map(point => point[key]),
      })),
      kind: 'line',
      format: String,
    })
    expect(chart).not.toThrow()
  }, 20_000)

  it('makes an HTML report with its peak of 12 users', () => {
    const synthetic = syntheticRun({ seconds: 3, endpoints: 1 })
    const report = {
      ...toRunReport(synthetic.run),
      timeline,
      durationMs: 45_000_000,
    }
    const html = formatHtmlReport(report, info)
    expect(html).toContain('peak 12')
  }, 20_000)
})
