import type { LoadRun } from '../../src/metrics/summary.js'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, summaryFromJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

/**
 * 100 responses, and 400 iterations' worth of checks and custom metrics: 'status is 200' passes 3 of
 * every 4 times, 'has id' always; a counter adds 1 each, a rate alternates, a trend takes 0 … 399.
 */
function shopRun(): LoadRun {
  return recordRun(responses(100), {
    name: 'shop',
    custom: (recorders) => {
      for (let iteration = 0; iteration < 400; iteration++) {
        recorders.check({
          status: iteration % 4 === 3
            ? 500
            : 200,
        }, {
          'status is 200': r => r.status === 200,
          'has id': () => true,
        })
        recorders.metrics.counter('orders placed').add()
        recorders.metrics.rate('cache hit').add(iteration % 2 === 0)
        recorders.metrics.trend('cart size').add(iteration)
      }
    },
  })
}

describe('the terminal summary of a run with checks and custom metrics', () => {
  const text = formatSummary(toRunReport(shopRun()), { colors: false })

  it('adds a checks block and a metrics table after the endpoints', () => {
    expect(text.slice(text.indexOf('  checks'))).toMatchInlineSnapshot(`
      "  checks ......... 87.5 % passed  700 of 800
          ✓ has id         100 %  400 passed · 0 failed
          ✗ status is 200   75 %  300 passed · 100 failed

        metric         type     value
        cache hit      rate     50 % (200 of 400)
        cart size      trend    count 400 · min 0 · mean 199.5 · p50 199 · p90 359 · p95 379 · p99 395 · max 399
        orders placed  counter  400"
    `)
  })

  it('colours a check that always passed green and one that failed red, and reads the same without colour', () => {
    const coloured = formatSummary(toRunReport(shopRun()), { colors: true })
    expect(coloured).toContain('\u001B[32m✓\u001B[39m has id')
    expect(coloured).toContain('\u001B[31m✗\u001B[39m status is 200')
    expect(stripVTControlCharacters(coloured)).toBe(text)
  })

  it('shows neither block for a run without checks or custom metrics', () => {
    const plain = formatSummary(toRunReport(recordRun(responses(10))), { colors: false })
    expect(plain).not.toContain('checks')
    expect(plain).not.toContain('metric')
  })
})

describe('the Markdown section of a run with checks and custom metrics', () => {
  const markdown = formatMarkdownRun({
    report: toRunReport(shopRun()),
    test: null,
  })

  it('has a checks table and a metrics table', () => {
    expect(markdown.slice(markdown.indexOf('| | check'))).toBe([
      '| | check | pass rate | passed | failed |',
      '| :-: | :-- | --: | --: | --: |',
      '| ✅ | has id | 100 % | 400 | 0 |',
      '| ❌ | status is 200 | 75 % | 300 | 100 |',
      '',
      '| metric | type | value |',
      '| :-- | :-- | :-- |',
      '| cache hit | rate | 50 % (200 of 400) |',
      '| cart size | trend | count 400 · min 0 · mean 199.5 · p50 199 · p90 359 · p95 379 · p99 395 · max 399 |',
      '| orders placed | counter | 400 |',
    ].join('\n'))
  })

  it('escapes names that Markdown would interpret', () => {
    const run = recordRun(responses(1), {
      custom: (recorders) => {
        recorders.check(1, {
          'a | b *c*': () => true,
        })
        recorders.metrics.counter('<b>x</b>').add()
      },
    })
    const text = formatMarkdownRun({
      report: toRunReport(run),
      test: null,
    })
    expect(text).toContain('| ✅ | a \\| b \\*c\\* | 100 % | 1 | 0 |')
    expect(text).toContain('| &lt;b>x&lt;/b> | counter | 1 |')
  })

  it('has neither table without checks or custom metrics', () => {
    const plain = formatMarkdownRun({
      report: toRunReport(recordRun(responses(10))),
      test: null,
    })
    expect(plain).not.toContain('| check |')
    expect(plain).not.toContain('| metric |')
  })
})

describe('the HTML report of a run with checks and custom metrics', () => {
  const html = formatHtmlReport(toRunReport(shopRun()), { test: null, generator: 'vitest-load 0.1.0' })

  it('has a checks table: each check with its mark, pass rate, passes and fails', () => {
    expect(html).toContain('<section id="checks"><h2>Checks <span class="aside">87.5 % passed · 700 of 800</span></h2>')
    expect(html).toContain('<tr class="pass"><td class="name"><span class="mark" aria-label="all passed">✓</span> has id</td><td>100 %</td><td>400</td><td>0</td></tr>')
    expect(html).toContain('<tr class="fail"><td class="name"><span class="mark" aria-label="some failed">✗</span> status is 200</td><td><span class="err">75 %</span></td><td>300</td><td>100</td></tr>')
  })

  it('has a custom metrics table: name, type and figures', () => {
    expect(html).toContain('<section id="metrics"><h2>Custom metrics <span class="aside">3 metrics</span></h2>')
    expect(html).toContain('<tr><td class="name">orders placed</td><td>counter</td><td class="value">400</td></tr>')
    expect(html).toContain('<tr><td class="name">cart size</td><td>trend</td><td class="value">count 400 · min 0 · mean 199.5 · p50 199 · p90 359 · p95 379 · p99 395 · max 399</td></tr>')
  })

  it('escapes names', () => {
    const run = recordRun(responses(1), {
      custom: recorders => recorders.check(1, {
        '<script>x</script>': () => true,
      }),
    })
    const text = formatHtmlReport(toRunReport(run), { test: null, generator: 'vitest-load 0.1.0' })
    expect(text).not.toContain('<script>x')
    expect(text).toContain('&lt;script&gt;x&lt;/script&gt;')
  })

  it('has neither section without checks or custom metrics', () => {
    const plain = formatHtmlReport(toRunReport(recordRun(responses(10))), { test: null, generator: 'vitest-load 0.1.0' })
    expect(plain).not.toContain('id="checks"')
    expect(plain).not.toContain('id="metrics"')
  })
})

describe('the JSON report of a run with checks and custom metrics', () => {
  const original = toRunReport(shopRun())
  const text = formatJsonReport(toJsonReport(original, null, '0.1.0'))

  it('reads back to the same report, checks and metrics included, and rebuilds to it', () => {
    const parsed = parseJsonReport(text)
    const { schemaVersion: _v, generator: _g, test: _t, ...run } = parsed
    expect(run).toEqual(original)
    expect(run.checks).toHaveLength(2)
    expect(Object.keys(run.metrics)).toEqual(['cache hit', 'cart size', 'orders placed'])
    expect(rebuildRunReport(parsed)).toEqual(original)
    expect(summaryFromJsonReport(text, { colors: false })).toBe(formatSummary(original, { colors: false }))
  })

  it('recomputes pass rates, rates and trend percentiles from the counts and the histogram', () => {
    const tampered = parseJsonReport(text)
    tampered.checks[0]!.passRate = 0
    const rate = tampered.metrics['cache hit']!
    const trend = tampered.metrics['cart size']!
    if (rate.type !== 'rate' || trend.type !== 'trend')
      throw new Error('expected a rate and a trend')
    rate.rate = 0
    trend.p50 = 0
    trend.p99 = 0
    const rebuilt = rebuildRunReport(tampered)
    expect(rebuilt.checks).toEqual(original.checks)
    expect(rebuilt.metrics).toEqual(original.metrics)
  })

  it('reads a report written before checks and custom metrics, as having none', () => {
    const old = JSON.parse(text) as Record<string, unknown>
    delete old.checks
    delete old.metrics
    const oldText = JSON.stringify(old)
    const rebuilt = rebuildRunReport(parseJsonReport(oldText))
    expect(rebuilt.checks).toEqual([])
    expect(rebuilt.metrics).toEqual({})
    expect(summaryFromJsonReport(oldText, { colors: false })).not.toContain('checks')
  })
})
