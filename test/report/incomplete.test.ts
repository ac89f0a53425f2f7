import { describe, expect, it } from 'vitest'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, summaryFromJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

const REASON = 'Worker 1 of load test "GET /users" failed: worker exited with code: 3'

/** 2 s of 'GET /users', 20 responses a second; stopped early with `incomplete`, or complete. */
function report(incomplete: string | null) {
  const samples = [0, 1].flatMap(second => responses(20, 1, { endpoint: 'GET /users', second }))
  return toRunReport(recordRun(samples, { name: 'GET /users', durationMs: 1_700, incomplete }))
}

describe('a run that stopped early is marked incomplete, with the reason, in every output', () => {
  const partial = report(REASON)
  const complete = report(null)

  it('the run and its report carry the reason; a complete run carries null', () => {
    expect(partial.incomplete).toBe(REASON)
    expect(complete.incomplete).toBeNull()
    expect(recordRun(responses(1, 1)).incomplete).toBeNull()
  })

  it('the terminal summary says INCOMPLETE and why, under its first line', () => {
    const lines = formatSummary(partial, { colors: false }).split('\n')
    expect(lines[1]).toBe(`  INCOMPLETE ${REASON}`)
    expect(lines[2]).toBe('  the figures below cover only what was measured until the run stopped')
    expect(formatSummary(complete, { colors: false })).not.toContain('INCOMPLETE')
  })

  it('the JSON report keeps the field and its summary rebuilds the mark; an older report without it reads as complete', () => {
    const text = formatJsonReport(toJsonReport(partial, null, '0.1.0'))
    expect(JSON.parse(text)).toMatchObject({ incomplete: REASON })
    expect(summaryFromJsonReport(text, { colors: false })).toContain(`INCOMPLETE ${REASON}`)
    expect(JSON.parse(formatJsonReport(toJsonReport(complete, null, '0.1.0')))).toMatchObject({ incomplete: null })
    const { incomplete: _incomplete, ...older } = toJsonReport(complete, null, '0.1.0')
    expect(rebuildRunReport(parseJsonReport(JSON.stringify(older))).incomplete).toBeNull()
  })

  it('the Markdown section marks its heading and gives the reason', () => {
    const markdown = formatMarkdownRun({ report: partial, test: null })
    expect(markdown).toContain('GET /users (incomplete)')
    expect(markdown).toContain(`**Incomplete:** ${REASON} — the figures cover only what was measured until the run stopped.`)
    expect(formatMarkdownRun({ report: complete, test: null })).not.toMatch(/incomplete/i)
  })

  it('the HTML page shows an Incomplete status and the reason, escaped', () => {
    const html = formatHtmlReport(partial, { test: null, generator: 'vitest-load 0.1.0' })
    expect(html).toContain('<span class="status failed">Incomplete</span>')
    expect(html).toContain('<b>Incomplete:</b> Worker 1 of load test &quot;GET /users&quot; failed: worker exited with code: 3')
    expect(formatHtmlReport(complete, { test: null, generator: 'vitest-load 0.1.0' })).not.toContain('Incomplete')
  })
})
