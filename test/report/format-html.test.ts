import type { MatcherVerdict } from '../../src/metrics/verdicts.js'
import type { HtmlReportInfo } from '../../src/report/format-html.js'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { niceStep } from '../../src/report/html/charts.js'
import { toRunReport } from '../../src/report/run-report.js'
import { recordRun, responses } from '../metrics/record-run.js'

function verdict(fields: Partial<MatcherVerdict>): MatcherVerdict {
  return {
    matcher: 'toHaveP95Below',
    measured: 'p95 latency',
    endpoint: null,
    expected: '< 100 ms',
    actual: '19 ms',
    isNot: false,
    pass: true,
    ...fields,
  }
}

/** 5 s of 'GET /users', 20 responses a second of 1–20 ms, 2 errors in second 3, with 2 verdicts and a request. */
function fiveSecondReport() {
  const samples = Array.from({ length: 5 }, (_, second) => responses(20, 1, { endpoint: 'GET /users', second })).flat()
  samples.push(...responses(2, 1, { endpoint: 'GET /users', second: 3, status: 503 }))
  return toRunReport(recordRun(samples, {
    name: 'GET /users',
    durationMs: 5_000,
    activeUsers: (_, second) => second + 1,
  }), {
    verdicts: [
      verdict({}),
      verdict({
        matcher: 'toHaveErrorRateBelow',
        measured: 'error rate',
        expected: '< 1 %',
        actual: '1.96 %',
        pass: false,
      }),
    ],
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:3000/users?token=[redacted]',
      headers: { 'authorization': '[redacted]', 'x-trace': 'load' },
      bodyBytes: 0,
    },
  })
}

const info: HtmlReportInfo = {
  test: { file: 'test/users.load.test.ts', name: 'GET /users', state: 'failed' },
  generator: 'vitest-load 0.1.0',
}

/** The `d` attributes of the lines of the chart with id `id`. */
function linesOf(html: string, id: string): string[] {
  const svg = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html)![0]
  return [
    ...svg.matchAll(/<path class="line"[^>]* d="([^"]+)"/g),
  ].map(match => match[1]!)
}

describe('formatHtmlReport', () => {
  const html = formatHtmlReport(fiveSecondReport(), info)

  it('is one self-contained page: no link, src, href, url() or @import, and a CSP that forbids fetching', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<link\b|\ssrc=|\shref=|url\(|@import/i)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`)
    // the only URLs are text: the target and the request
    expect(html.match(/https?:\/\/[^\s"<]*/g)!.every(url => url.startsWith('http://127.0.0.1:3000'))).toBe(true)
  })

  it('draws 4 charts over time, each line through the 5 seconds', () => {
    for (const id of [
      'chart-throughput',
      'chart-latency',
      'chart-errors',
      'chart-users',
    ])
      expect(html).toContain(`<svg id="${id}"`)
    expect(linesOf(html, 'chart-throughput')).toHaveLength(1)
    expect(linesOf(html, 'chart-throughput')[0]!.match(/[ML]/g)).toHaveLength(5)
    expect(linesOf(html, 'chart-latency')).toHaveLength(3)
    expect(linesOf(html, 'chart-users')[0]!.match(/[ML]/g)).toHaveLength(5)
  })

  it('draws one error bar, for second 3, and nothing where there were no errors', () => {
    const errors = /<svg id="chart-errors"[\s\S]*?<\/svg>/.exec(html)![0]
    expect(errors.match(/<rect class="bar"/g)).toHaveLength(1)
  })

  it('lists the 2 matchers with ✓ and ✗, the limit and the measured value', () => {
    expect(html).toContain('1 of 2 passed')
    expect(html).toMatch(/<li class="pass">.*<code>toHaveP95Below<\/code>.*&lt; 100 ms.*19 ms/)
    expect(html).toMatch(/<li class="fail">.*<code>toHaveErrorRateBelow<\/code>.*&lt; 1 %.*1\.96 %/)
  })

  it('marks the page failed, as its test failed', () => {
    expect(html).toContain('<header class="hero failed">')
    expect(html).toContain('<span class="status failed">✗ Failed</span>')
    const passed = formatHtmlReport(fiveSecondReport(), {
      ...info,
      test: { ...info.test!, state: 'passed' },
    })
    expect(passed).toContain('<span class="status passed">✓ Passed</span>')
  })

  it('shows redacted values as [redacted], in the URL and the headers', () => {
    expect(html.match(/<span class="redacted">\[redacted\]<\/span>/g)).toHaveLength(2)
    expect(html).toContain('<dt>x-trace</dt><dd>load</dd>')
  })

  it('escapes names from outside: an endpoint \'<script>alert(1)</script>\' stays text', () => {
    const hostile = formatHtmlReport(toRunReport(recordRun(responses(3, 1, { endpoint: '<script>alert(1)</script>' }), { name: '<img onerror=x>' })), { test: null, generator: 'vitest-load 0.1.0' })
    expect(hostile.match(/<script>/g)).toHaveLength(1)
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(hostile).not.toContain('<img')
  })

  it('says so when nothing was measured: no responses, no timeline', () => {
    const refused = toRunReport(recordRun([
      {
        error: { kind: 'network', message: 'ECONNREFUSED' },
      },
    ]))
    const page = formatHtmlReport(refused, { test: null, generator: 'vitest-load 0.1.0' })
    expect(page).toContain('No request received a response.')
    expect(linesOf(page, 'chart-latency')).toEqual([])
    expect(formatHtmlReport({
      ...toRunReport(recordRun([])),
      timeline: [],
    }, { test: null, generator: 'x' })).toContain('No interval was measured')
  })
})

describe('niceStep', () => {
  it.each([
    [100, 4, 25],
    [9, 4, 2.5],
    [1234, 4, 500],
    [0, 4, 1],
  ])('steps 0–%d in about %d ticks of %d', (max, count, step) => {
    expect(niceStep(max, count)).toBe(step)
  })
})
