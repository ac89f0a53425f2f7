import type { LoadRun } from '../../src/metrics/summary.js'
import type { Sample } from '../metrics/record-run.js'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, summaryFromJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun } from '../metrics/record-run.js'

/** `count` responses a second for `seconds` seconds from `from`, each taking `latencyMs`. */
function steady(from: number, seconds: number, count: number, latencyMs: number): Sample[] {
  return Array.from({ length: seconds * count }, (_, index) => ({ second: from + Math.floor(index / count), latencyMs }))
}

/** 10 users answered in 10 ms, 20 in 20 ms, 40 in 105 ms (the last with 4 resets a second), 2 s a step. */
function stepRun(until: boolean): LoadRun {
  const samples = [
    ...steady(0, 2, 50, 10),
    ...steady(2, 2, 60, 20),
    ...steady(4, 2, 40, 105),
    ...Array.from({ length: 8 }, (_, index) => ({
      second: 4 + (index % 2),
      error: { kind: 'network' as const, message: 'ECONNRESET' },
    })),
  ]
  return recordRun(samples, {
    name: 'GET /users',
    model: until
      ? 'breaking-point search over 10 → 20 → 40 users, 2 s a step'
      : 'steps of 10 → 20 → 40 users, 2 s each',
    stepsSpec: {
      by: 'users',
      levels: [10, 20, 40],
      durationsMs: [2000, 2000, 2000],
      until: until
        ? { meanAboveMs: 100 }
        : null,
      condition: until
        ? 'mean > 100 ms'
        : null,
    },
  })
}

describe('a step test in every output', () => {
  const report = toRunReport(stepRun(false))

  it('the terminal: one row a step, with its users, rate, mean, percentiles and errors', () => {
    const text = formatSummary(report, { colors: false })
    expect(text.slice(text.indexOf('  Steps'))).toMatchInlineSnapshot(`
      "  Steps
        step  users  ok req/s    mean     p50     p90     p95     p99  errors
           1     10        50   10 ms   10 ms   10 ms   10 ms   10 ms     0 %
           2     20        60   20 ms   20 ms   20 ms   20 ms   20 ms     0 %
           3     40        40  105 ms  105 ms  105 ms  105 ms  105 ms  9.09 %"
    `)
  })

  it('the Markdown: the same table', () => {
    const markdown = formatMarkdownRun({ report, test: null })
    // the title, then the table, up to the next blank line
    expect(markdown.slice(markdown.indexOf('**Steps**')).split('\n\n').slice(0, 2).join('\n\n')).toMatchInlineSnapshot(`
      "**Steps**

      | step | users | ok req/s | mean | p50 | p90 | p95 | p99 | errors |
      | --: | --: | --: | --: | --: | --: | --: | --: | --: |
      | 1 | 10 | 50 | 10 ms | 10 ms | 10 ms | 10 ms | 10 ms | 0 % |
      | 2 | 20 | 60 | 20 ms | 20 ms | 20 ms | 20 ms | 20 ms | 0 % |
      | 3 | 40 | 40 | 105 ms | 105 ms | 105 ms | 105 ms | 105 ms | 9.09 % |"
    `)
  })

  it('the HTML: a section with the same rows', () => {
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    const section = html.slice(html.indexOf('<section><h2>Steps'), html.indexOf('</section>', html.indexOf('<section><h2>Steps')))
    expect(section).toContain('<span class="aside">3 steps</span>')
    expect(section).toContain('<th>users</th><th>ok req/s</th><th>mean</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>errors</th>')
    expect(section.match(/<tr class="">/g)).toHaveLength(3)
    expect(section).toContain('<td>40</td><td>40</td><td>105 ms</td>')
  })

  it('the JSON: every step, read back and rebuilt to the same report', () => {
    const text = formatJsonReport(toJsonReport(report, null, '0.1.0'))
    const parsed = parseJsonReport(text)
    expect(parsed.steps.map(step => [step.level, step.totals.requests, step.totals.errors.total])).toEqual([
      [10, 100, 0],
      [20, 120, 0],
      [40, 88, 8],
    ])
    expect(rebuildRunReport(parsed).steps).toEqual(report.steps)
    expect(summaryFromJsonReport(text, { colors: false })).toBe(formatSummary(report, { colors: false }))
  })

  it('a report written before step tests has none, and shows none', () => {
    const { steps: _steps, ...older } = parseJsonReport(formatJsonReport(toJsonReport(toRunReport(recordRun(steady(0, 1, 10, 5))), null, '0.1.0')))
    const rebuilt = rebuildRunReport(older as ReturnType<typeof parseJsonReport>)
    expect(rebuilt.steps).toEqual([])
    expect(formatSummary(rebuilt, { colors: false })).not.toContain('Steps')
  })
})

describe('a breaking-point search in every output', () => {
  const report = toRunReport(stepRun(true))

  it('the terminal: every step, and what broke the last in numbers', () => {
    const text = stripVTControlCharacters(formatSummary(report, { colors: true }))
    expect(text).toContain('breaking point . broke at 40 users (mean 105 ms > 100 ms) · last good 20 users (mean 20 ms, p95 20 ms, 0 % errors, 60 req/s) · until mean > 100 ms')
    expect(text.slice(text.indexOf('  Breaking-point search'))).toMatchInlineSnapshot(`
      "  Breaking-point search  until mean > 100 ms · broke at 40 users (mean 105 ms > 100 ms); last good step 20 users
        step  users  ok req/s    mean     p50     p90     p95     p99  errors  until
           1     10        50   10 ms   10 ms   10 ms   10 ms   10 ms     0 %  held
           2     20        60   20 ms   20 ms   20 ms   20 ms   20 ms     0 %  held
           3     40        40  105 ms  105 ms  105 ms  105 ms  105 ms  9.09 %  broke: mean 105 ms > 100 ms"
    `)
  })

  it('the Markdown and the HTML: the same rows, marked', () => {
    const markdown = formatMarkdownRun({ report, test: null })
    expect(markdown).toContain('**Breaking-point search** until mean > 100 ms · broke at 40 users (mean 105 ms > 100 ms); last good step 20 users')
    expect(markdown).toContain('| 3 | 40 | 40 | 105 ms | 105 ms | 105 ms | 105 ms | 105 ms | 9.09 % | ❌ broke: mean 105 ms > 100 ms |')
    expect(markdown).toContain('| ✅ held |')
    const html = formatHtmlReport(report, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<tr class="fail"><td>3</td>')
    expect(html).toContain('<span class="mark">✗</span> broke: mean 105 ms &gt; 100 ms</td>')
    expect(html.match(/<tr class="pass"><td>/g)).toHaveLength(2)
  })
})

describe('a step test that observed its target', () => {
  const report = toRunReport(stepRun(false))
  report.steps.forEach((step, index) => {
    step.observed = {
      cpu: {
        mean: 0.3 * (index + 1),
        min: 0.1,
        max: 1,
        last: 0.5,
        unit: 'cores',
      },
      rss: {
        mean: 50e6,
        min: 40e6,
        max: 60e6,
        last: (50 + index * 10) * 1024 * 1024,
        unit: 'bytes',
      },
    }
  })

  it('shows the target\'s mean CPU and its last memory beside each step', () => {
    const text = formatSummary(report, { colors: false })
    expect(text.slice(text.indexOf('  Steps'))).toMatchInlineSnapshot(`
      "  Steps
        step  users  ok req/s    mean     p50     p90     p95     p99  errors  target cpu  target rss
           1     10        50   10 ms   10 ms   10 ms   10 ms   10 ms     0 %   0.3 cores      50 MiB
           2     20        60   20 ms   20 ms   20 ms   20 ms   20 ms     0 %   0.6 cores      60 MiB
           3     40        40  105 ms  105 ms  105 ms  105 ms  105 ms  9.09 %   0.9 cores      70 MiB"
    `)
  })
})
