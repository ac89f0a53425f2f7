import type { ObservedTarget } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

const MIB = 1024 * 1024

/** A gunicorn master and 4 workers, watched for 3 s, with one Prometheus counter and a failed scrape. */
const observed: ObservedTarget = {
  process: { pid: 4242, name: 'gunicorn', processes: 5 },
  prometheus: {
    url: 'http://127.0.0.1:9100/metrics',
    metrics: ['app_requests_total'],
  },
  timeline: [0, 1, 2].map(second => ({
    second,
    durationMs: 1000,
    cpu: 1.5 + second / 10,
    rssBytes: (80 + second) * MIB,
    threads: 9,
    openFiles: 40,
    metrics: { 'app_requests_total{code="200"}': 900 + second * 10 },
  })),
  figures: {
    'cpu': {
      mean: 1.6,
      min: 1.5,
      max: 1.7,
      last: 1.7,
      unit: 'cores',
    },
    'rss': {
      mean: 81 * MIB,
      min: 80 * MIB,
      max: 82 * MIB,
      last: 82 * MIB,
      unit: 'bytes',
    },
    'threads': {
      mean: 9,
      min: 9,
      max: 9,
      last: 9,
      unit: 'count',
    },
    'openFiles': {
      mean: 40,
      min: 40,
      max: 40,
      last: 40,
      unit: 'count',
    },
    'app_requests_total{code="200"}': {
      mean: 910,
      min: 900,
      max: 920,
      last: 920,
      unit: '/s',
    },
  },
  memoryGrowth: {
    of: 'rss',
    bytesPerSec: MIB,
    fromSecond: 1,
    seconds: 2,
    readings: 2,
  },
  failures: { count: 1, first: 'the Prometheus scrape at 3 s failed: no answer within 900 ms' },
}

const report = toRunReport(recordRun(responses(30, 1, { second: 0 }).concat(responses(30, 1, { second: 2 })), { observed }))

describe('what was observed on the target, in every output', () => {
  it('the terminal: who, one line a figure with its unit, the growth and the failed reading', () => {
    const text = formatSummary(report, { colors: false })
    const start = text.indexOf('  target')
    expect(text.slice(start, text.indexOf('  generator'))).toMatchInlineSnapshot(`
      "  target ......... gunicorn (pid 4242, 5 processes) · http://127.0.0.1:9100/metrics
                         CPU                             mean 1.6 cores  max 1.7 cores  last 1.7 cores
                         resident memory                 mean 81 MiB  max 82 MiB  last 82 MiB
                         threads                         mean 9  max 9  last 9
                         open files                      mean 40  max 40  last 40
                         app_requests_total{code="200"}  mean 910/s  max 920/s  last 920/s
                         growth: resident memory +60 MiB/min (least squares over 2 s from 1 s)
                         1 reading of the target failed, the first: the Prometheus scrape at 3 s failed: no answer within 900 ms
      "
    `)
  })

  it('the Markdown: a table of the figures under the target', () => {
    const markdown = formatMarkdownRun({ report, test: null })
    expect(markdown).toContain('**Target** gunicorn (pid 4242, 5 processes) · http://127.0.0.1:9100/metrics')
    expect(markdown).toContain('| CPU | 1.6 cores | 1.7 cores | 1.7 cores |')
    expect(markdown).toContain('| resident memory | 81 MiB | 82 MiB | 82 MiB |')
    expect(markdown).toContain('| app\\_requests\\_total{code="200"} | 910/s | 920/s | 920/s |')
    expect(markdown).toContain('resident memory +60 MiB/min (least squares over 2 s from 1 s)')
  })

  it('the HTML: charts of CPU, memory and each series on the load\'s time axis, and the table', () => {
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('id="chart-target-cpu"')
    expect(html).toContain('id="chart-target-memory"')
    expect(html).toContain('id="chart-target-metric-0"')
    expect(html).toContain('<h3>Target CPU</h3><span class="now">mean 1.6 cores</span>')
    expect(html).toContain('<h2>Target <span class="aside">gunicorn (pid 4242, 5 processes) · http://127.0.0.1:9100/metrics</span></h2>')
    expect(html).toContain('<tr><td class="name">open files</td><td>40</td><td>40</td><td>40</td></tr>')
  })

  it('the JSON: all of it, read back as it was; a report from before has none and shows none', () => {
    const parsed = parseJsonReport(formatJsonReport(toJsonReport(report, null, '0.1.0')))
    expect(parsed.observed).toEqual(observed)
    expect(rebuildRunReport(parsed).observed).toEqual(observed)
    const { observed: _observed, ...older } = parsed
    expect(formatSummary(rebuildRunReport(older as typeof parsed), { colors: false })).not.toContain('target ...')
  })
})
