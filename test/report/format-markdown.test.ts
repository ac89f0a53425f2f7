import type { MatcherVerdict } from '../../src/metrics/verdicts.js'
import type { ReportEntry } from '../../src/report/format-markdown.js'
import { describe, expect, it } from 'vitest'
import { formatMarkdownRun, formatMarkdownSummary } from '../../src/report/format-markdown.js'
import { toRunReport } from '../../src/report/run-report.js'
import { recordRun, responses } from '../metrics/record-run.js'

function verdict(fields: Partial<MatcherVerdict>): MatcherVerdict {
  return {
    matcher: 'toHaveP95Below',
    measured: 'p95 latency',
    endpoint: null,
    expected: '< 100 ms',
    actual: '95 ms',
    isNot: false,
    pass: true,
    ...fields,
  }
}

/** 100 responses of 1–100 ms on 'GET /users' in 1 s, with one passed and one failed matcher. */
function usersEntry(): ReportEntry {
  const report = toRunReport(recordRun(responses(100, 1, { endpoint: 'GET /users' }), { name: 'GET /users', model: '2 users × 50 iterations' }), {
    verdicts: [
      verdict({}),
      verdict({
        matcher: 'toHaveThroughputAbove',
        measured: 'throughput',
        expected: '> 1,000 req/s',
        actual: '100 req/s',
        pass: false,
      }),
    ],
  })
  return {
    report,
    test: { file: 'test/users.load.test.ts', name: 'GET /users', state: 'failed' },
  }
}

describe('formatMarkdownRun', () => {
  it('gives a heading, one line of context, the endpoint table and the matchers', () => {
    expect(formatMarkdownRun(usersEntry())).toBe([
      '### ❌ GET /users',
      '',
      '`test/users.load.test.ts` · 2 users × 50 iterations · 1 worker · 1 s · 100 requests · 100 req/s · 0 % errors · received 97.7 KiB',
      '',
      '| endpoint | requests | ok req/s | errors | p50 | p95 | p99 | max |',
      '| :-- | --: | --: | --: | --: | --: | --: | --: |',
      '| GET /users | 100 | 100 | 0 % | 50 ms | 95 ms | 99 ms | 100 ms |',
      '',
      '| | matcher | limit | measured |',
      '| :-: | :-- | :-- | :-- |',
      '| ✅ | `toHaveP95Below` | < 100 ms | 95 ms |',
      '| ❌ | `toHaveThroughputAbove` | > 1,000 req/s | 100 req/s |',
    ].join('\n'))
  })

  it('adds a row for all endpoints together when there are 2', () => {
    const report = toRunReport(recordRun([
      ...responses(10, 1, { endpoint: 'GET /a' }),
      ...responses(10, 1, { endpoint: 'GET /b' }),
    ]))
    const rows = formatMarkdownRun({ report, test: null }).split('\n').filter(line => line.startsWith('| GET') || line.startsWith('| **all**'))
    expect(rows.map(row => row.split(' | ')[0])).toEqual(['| GET /a', '| GET /b', '| **all**'])
  })

  it('escapes | and * in names, and < where it could open a tag, so the table keeps its 8 columns', () => {
    const report = toRunReport(recordRun(responses(3, 1, { endpoint: 'GET /a|b/<id>/*' })))
    const row = formatMarkdownRun({ report, test: null }).split('\n').find(line => line.startsWith('| GET'))!
    expect(row.startsWith('| GET /a\\|b/&lt;id>/\\* |')).toBe(true)
    expect(row.split(/(?<!\\)\|/)).toHaveLength(10)
  })

  it('names a runLoad() run after its test: \'runs two loads › GET /first\', passed by its test', () => {
    const report = toRunReport(recordRun(responses(3), { name: 'GET /first' }))
    expect(formatMarkdownRun({
      report,
      test: { file: 'a.test.ts', name: 'runs two loads', state: 'passed' },
    }).split('\n')[0]).toBe('### ✅ runs two loads › GET /first')
  })

  it('lists the top 3 error messages in code spans', () => {
    const report = toRunReport(recordRun([
      ...Array.from({ length: 4 }, (_, index) => ({
        error: { kind: 'network' as const, message: `E${index}` },
      })),
      {
        error: { kind: 'network' as const, message: 'E0' },
      },
    ]))
    expect(formatMarkdownRun({ report, test: null }).split('\n').at(-1)).toBe('Top errors: `E0` × 2 · `E1` × 1 · `E2` × 1')
  })
})

describe('formatMarkdownSummary', () => {
  it('heads 2 runs with \'1 failed\' and separates the sections with a blank line', () => {
    const passed = {
      ...usersEntry(),
      test: { file: 'b.test.ts', name: 'GET /users', state: 'passed' as const },
    }
    const text = formatMarkdownSummary([
      usersEntry(),
      passed,
    ])
    expect(text.split('\n')[0]).toBe('## vitest-load: 2 load runs, 1 failed')
    expect(text.match(/^### /gm)).toHaveLength(2)
    expect(text.endsWith('|\n')).toBe(true)
  })

  it('says \'all passed\' when no test failed, and judges a run outside a test by its matchers', () => {
    const entry = usersEntry()
    expect(formatMarkdownSummary([
      {
        ...entry,
        test: { ...entry.test!, state: 'passed' },
      },
    ]).split('\n')[0]).toBe('## vitest-load: 1 load run, all passed')
    expect(formatMarkdownSummary([
      { report: entry.report, test: null },
    ]).split('\n')[0]).toBe('## vitest-load: 1 load run, 1 failed')
  })
})

describe('run titles', () => {
  it('uses the test\'s full name alone when it ends with the run\'s: \'users API > GET /users\'', () => {
    const report = toRunReport(recordRun(responses(3), { name: 'GET /users' }))
    expect(formatMarkdownRun({
      report,
      test: { file: 'a.test.ts', name: 'users API > GET /users', state: 'passed' },
    }).split('\n')[0]).toBe('### ✅ users API > GET /users')
  })
})
