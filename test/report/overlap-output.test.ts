import type { RunOverlap } from '../../src/metrics/overlap.js'
import type { ReportTest } from '../../src/report/format-json.js'
import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { withOverlaps } from '../../src/metrics/merge.js'
import { trackVerdicts } from '../../src/metrics/verdicts.js'
import { formatHtmlReport } from '../../src/report/format-html.js'
import { formatJsonReport, parseJsonReport, rebuildRunReport, toJsonReport } from '../../src/report/format-json.js'
import { formatMarkdownRun } from '../../src/report/format-markdown.js'
import { overlapWarning } from '../../src/report/overlap-note.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { thrown } from '../matchers/runs.js'
import { recordRun, responses } from '../metrics/record-run.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

const OVERLAPS: RunOverlap[] = [
  { name: 'GET /b', ms: 2500 },
  { name: 'GET /c', file: 'test/c.load.test.ts', ms: 3200 },
]
const test: ReportTest = { file: 'test/a.load.test.ts', name: 'GET /a', state: 'passed' }

function overlappedRun() {
  return withOverlaps(recordRun(responses(20, 1), { name: 'GET /a' }), OVERLAPS)
}

function aloneRun() {
  return recordRun(responses(20, 1), { name: 'GET /a' })
}

const WARNING = 'ran at the same time as 2 other load tests: \'GET /c\' (test/c.load.test.ts) for 3.2 s, \'GET /b\' (same test file) for 2.5 s.'

describe('a run that overlapped other load tests', () => {
  it('keeps its figures and its methods, frozen, and names the others longest first', () => {
    const alone = aloneRun()
    const run = overlappedRun()
    expect(run.overlaps).toEqual([OVERLAPS[1], OVERLAPS[0]])
    expect(run.totals).toEqual(alone.totals)
    expect(run.endpoint('GET /x').totals.requests).toBe(20)
    expect(Object.isFrozen(run)).toBe(true)
    expect(alone.overlaps).toEqual([])
    expect(withOverlaps(alone, [])).toBe(alone)
  })

  it('is marked in the terminal summary; a run alone is not', () => {
    expect(formatSummary(toRunReport(overlappedRun()), { colors: false })).toContain(`  ⚠ overlapped: ${WARNING}`)
    expect(formatSummary(toRunReport(aloneRun()), { colors: false })).not.toContain('overlapped')
  })

  it('is marked in the JSON report, and in the summary rebuilt from it; a run alone has an empty list', () => {
    const json = formatJsonReport(toJsonReport(toRunReport(overlappedRun()), test, '0.1.0'))
    const parsed = parseJsonReport(json)
    expect(parsed.overlaps).toEqual([OVERLAPS[1], OVERLAPS[0]])
    expect(formatSummary(rebuildRunReport(parsed), { colors: false })).toContain(WARNING)
    expect(parseJsonReport(formatJsonReport(toJsonReport(toRunReport(aloneRun()), test, '0.1.0'))).overlaps).toEqual([])
  })

  it('is marked in the Markdown summary; a run alone is not', () => {
    expect(formatMarkdownRun({
      report: toRunReport(overlappedRun()),
      test,
    })).toContain(`> ⚠ **Overlapped:** ${WARNING}`)
    expect(formatMarkdownRun({
      report: toRunReport(aloneRun()),
      test,
    })).not.toContain('Overlapped')
  })

  it('is marked in the HTML report; a run alone is not', () => {
    const info = { test, generator: 'vitest-load 0.1.0' }
    expect(formatHtmlReport(toRunReport(overlappedRun()), info)).toContain(`<section class="overlaps" role="alert"><b>⚠ Overlapped:</b> ${WARNING.replaceAll('\'', '&#39;')}`)
    expect(formatHtmlReport(toRunReport(aloneRun()), info)).not.toContain('class="overlaps"')
  })

  it('reads without a warning from a report written before overlaps were tracked', () => {
    const { overlaps: _overlaps, ...old } = toRunReport(overlappedRun())
    expect(formatSummary(old as never, { colors: false })).not.toContain('overlapped')
    expect(overlapWarning(undefined)).toBeUndefined()
  })

  it('names at most three, and how many more', () => {
    const many = Array.from({ length: 5 }, (_, index) => ({ name: `GET /${index}`, ms: 1000 - index }))
    expect(overlapWarning(many)).toContain('as 5 other load tests: \'GET /0\' (same test file) for 1 s, \'GET /1\' (same test file) for 999 ms, \'GET /2\' (same test file) for 998 ms and 2 more.')
  })

  it('says so in a matcher\'s failure message, on the run and on its endpoints; a run alone does not', () => {
    const run = overlappedRun()
    trackVerdicts(run)
    expect(thrown(() => expect(run).toHaveP95Below('1us')).message)
      .toContain('; shared the machine with \'GET /c\' for 3.2 s, \'GET /b\' for 2.5 s (load tests at the same time)')
    expect(thrown(() => expect(run.endpoint('GET /x')).toHaveP95Below('1us')).message)
      .toContain('shared the machine with \'GET /c\'')
    const alone = aloneRun()
    trackVerdicts(alone)
    expect(thrown(() => expect(alone).toHaveP95Below('1us')).message).not.toContain('shared the machine')
  })
})
