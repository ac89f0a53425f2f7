import type { LoadRun } from '../../src/metrics/summary.js'
import type { MatcherVerdict } from '../../src/metrics/verdicts.js'
import { stripVTControlCharacters } from 'node:util'
import { describe, expect, it } from 'vitest'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** 140 requests in 1.5 s from 2 workers, over 2 endpoints, with 3 HTTP errors, 1 reset and 1 timeout. */
function usersRun(): LoadRun {
  return recordRun([
    ...responses(95, 1, { endpoint: 'GET /users' }),
    ...responses(3, 20, { endpoint: 'POST /users', status: 500, second: 1 }),
    ...responses(40, 2, { endpoint: 'POST /users', status: 201, worker: 1 }),
    {
      endpoint: 'POST /users',
      second: 1,
      error: { kind: 'network', message: 'ECONNRESET: other side closed' },
    },
    {
      endpoint: 'GET /users',
      second: 1,
      error: { kind: 'timeout', message: 'VL_REQUEST_TIMEOUT: no complete response within 100 ms' },
    },
    {
      endpoint: 'POST /users',
      second: 1,
      worker: 1,
      error: { kind: 'network', message: 'ECONNRESET: other side closed' },
    },
  ], { name: 'users API', durationMs: 1_500, model: '4 users for 1.5 s' })
}

function lineStartingWith(text: string, start: string): string | undefined {
  return text.split('\n').find(line => line.trimStart().startsWith(start))
}

describe('formatSummary without colours', () => {
  const text = formatSummary(toRunReport(usersRun()), { colors: false })

  it('reads as the run\'s name, model, 2 workers, target and 1.5 s, then the figures', () => {
    expect(text).toMatchInlineSnapshot(`
      "users API  4 users for 1.5 s · 2 workers · http://127.0.0.1:3000 · 1.5 s

        requests ....... 141  90 req/s ok · 94 attempts/s
        ok ............. 135
        errors ......... 6 (4.26 %)  http 3 · network 2 · timeout 1
        status ......... 200: 95 · 201: 40 · 500: 3
        latency ........ min 1 ms  mean 45.8 ms  p50 45 ms  p90 82 ms  p95 89 ms  p99 94 ms  p99.9 95 ms  max 95 ms
        data ........... sent 13.8 KiB · received 138 KiB
        generator ...... workers busy 50 %, 50 % · timer delay p99 1 ms
        top errors ..... ECONNRESET: other side closed × 2
                         VL_REQUEST_TIMEOUT: no complete response within 100 ms × 1

        endpoint     requests  ok req/s  errors    p50    p95      p99      max
        GET /users         96      63.3  1.04 %  48 ms  91 ms    95 ms    95 ms
        POST /users        45      26.7  11.1 %  40 ms  76 ms  80.1 ms  80.1 ms"
    `)
  })

  it('gives 141 requests: 90 req/s ok of 94 attempts/s', () => {
    expect(lineStartingWith(text, 'requests')).toBe('  requests ....... 141  90 req/s ok · 94 attempts/s')
  })

  it('gives 6 errors (4.26 %) by kind: http 3, network 2, timeout 1', () => {
    expect(lineStartingWith(text, 'errors')).toBe('  errors ......... 6 (4.26 %)  http 3 · network 2 · timeout 1')
  })

  it('lists status codes in order: 200: 95 · 201: 40 · 500: 3', () => {
    expect(lineStartingWith(text, 'status')).toBe('  status ......... 200: 95 · 201: 40 · 500: 3')
  })

  it('gives 8 latency figures from min 1 ms to max 95 ms, each with its unit', () => {
    const latency = lineStartingWith(text, 'latency')!
    expect(latency).toContain('min 1 ms  mean 45.8 ms  p50 45 ms  p90 82 ms  p95 89 ms  p99 94 ms  p99.9 95 ms  max 95 ms')
    expect(latency.match(/ ms\b/g)).toHaveLength(8)
  })

  it('lists the most frequent error message first: ECONNRESET × 2, then the timeout × 1', () => {
    const lines = text.split('\n')
    const first = lines.findIndex(line => line.includes('top errors'))
    expect(lines[first]).toBe('  top errors ..... ECONNRESET: other side closed × 2')
    expect(lines[first + 1]).toBe('                   VL_REQUEST_TIMEOUT: no complete response within 100 ms × 1')
  })

  it('gives one table row per endpoint, sorted by name, columns aligned', () => {
    const table = text.split('\n').slice(-3)
    expect(table.map(row => row.trim().split(/\s{2,}/))).toEqual([
      [
        'endpoint',
        'requests',
        'ok req/s',
        'errors',
        'p50',
        'p95',
        'p99',
        'max',
      ],
      [
        'GET /users',
        '96',
        '63.3',
        '1.04 %',
        '48 ms',
        '91 ms',
        '95 ms',
        '95 ms',
      ],
      [
        'POST /users',
        '45',
        '26.7',
        '11.1 %',
        '40 ms',
        '76 ms',
        '80.1 ms',
        '80.1 ms',
      ],
    ])
    expect(new Set(table.map(row => row.length)).size).toBe(1)
  })

  it('formats a LoadRun itself the same as its report', () => {
    const run = usersRun()
    expect(formatSummary(run, { colors: false })).toBe(formatSummary(toRunReport(run), { colors: false }))
  })
})

describe('formatSummary with colours', () => {
  const report = toRunReport(usersRun())

  it('adds ANSI codes, and without them reads exactly as the plain text', () => {
    const colored = formatSummary(report, { colors: true })
    expect(colored).toContain('\x1B[1musers API\x1B[22m')
    expect(colored).not.toBe(formatSummary(report, { colors: false }))
    expect(stripVTControlCharacters(colored)).toBe(formatSummary(report, { colors: false }))
  })

  it('colours 6 errors red and a run without errors green', () => {
    expect(lineStartingWith(formatSummary(report, { colors: true }), '\x1B[2merrors')).toContain('\x1B[31m6 (4.26 %)\x1B[39m')
    const clean = formatSummary(toRunReport(recordRun(responses(10))), { colors: true })
    expect(lineStartingWith(clean, '\x1B[2merrors')).toContain('\x1B[32m0 (0 %)\x1B[39m')
  })

  it('plain text has no escape character at all', () => {
    expect(formatSummary(report, { colors: false })).not.toContain('\x1B')
  })
})

describe('formatSummary of runs without responses', () => {
  it('a run without requests says \'no responses\' for status and latency', () => {
    const text = formatSummary(toRunReport(recordRun([])), { colors: false })
    expect(lineStartingWith(text, 'status')).toBe('  status ......... no responses')
    expect(lineStartingWith(text, 'latency')).toBe('  latency ........ no responses')
    expect(lineStartingWith(text, 'data')).toBe('  data ........... sent 0 B · received 0 B')
    expect(text).not.toContain('top errors')
  })

  it('an endpoint whose 10 requests were all refused shows 0 ok req/s and - for its latency, not 0 µs', () => {
    const run = recordRun(Array.from({ length: 10 }, () => ({
      error: { kind: 'network' as const, message: 'ECONNREFUSED' },
    })))
    const text = formatSummary(toRunReport(run), { colors: false })
    expect(text.split('\n').at(-1)!.trim().split(/\s{2,}/)).toEqual([
      'GET /x',
      '10',
      '0',
      '100 %',
      '-',
      '-',
      '-',
      '-',
    ])
    expect(text).not.toContain('µs')
  })

  it('shows only the top 5 of 7 error messages', () => {
    const run = recordRun(Array.from({ length: 7 }, (_, index) => ({
      error: { kind: 'network' as const, message: `E${index}` },
    })))
    const text = formatSummary(toRunReport(run), { colors: false })
    expect(text.match(/E\d × 1/g)).toEqual([
      'E0 × 1',
      'E1 × 1',
      'E2 × 1',
      'E3 × 1',
      'E4 × 1',
    ])
  })
})

describe('formatSummary with the verdicts of the matchers', () => {
  const verdict = (fields: Partial<MatcherVerdict>): MatcherVerdict => ({
    matcher: 'toHaveP95Below',
    measured: 'p95 latency',
    endpoint: null,
    expected: '< 100 ms',
    actual: '89 ms',
    isNot: false,
    pass: true,
    ...fields,
  })
  const report = {
    ...toRunReport(usersRun()),
    verdicts: [
      verdict({}),
      verdict({
        matcher: 'toHaveErrorRateBelow',
        measured: 'error rate',
        expected: '< 1 %',
        actual: '4.26 %',
        pass: false,
      }),
      verdict({
        matcher: 'toHaveP99Below',
        endpoint: 'POST /users',
        expected: '< 50 ms',
        actual: '80.1 ms',
        pass: false,
      }),
      verdict({
        matcher: 'toHaveErrorRateBelow',
        measured: 'error rate',
        isNot: true,
        expected: '< 50 %',
        actual: '4.26 %',
        pass: false,
      }),
    ],
  }
  const text = formatSummary(report, { colors: false })

  it('ends with 4 matcher lines under a header: ✓ or ✗, the call, the limit, the measured value', () => {
    expect(text.split('\n').slice(-5).join('\n')).toBe([
      '    matcher                                 limit     measured',
      '  ✓ toHaveP95Below                          < 100 ms  89 ms',
      '  ✗ toHaveErrorRateBelow                    < 1 %     4.26 %',
      '  ✗ endpoint(\'POST /users\').toHaveP99Below  < 50 ms   80.1 ms',
      '  ✗ not.toHaveErrorRateBelow                < 50 %    4.26 %',
    ].join('\n'))
  })

  it('colours ✓ green and ✗ red', () => {
    const colored = formatSummary(report, { colors: true })
    expect(colored).toContain('\x1B[32m✓\x1B[39m toHaveP95Below')
    expect(colored).toContain('\x1B[31m✗\x1B[39m toHaveErrorRateBelow')
  })

  it('has no matcher section when no matcher ran', () => {
    expect(formatSummary(toRunReport(usersRun()), { colors: false })).not.toContain('matcher')
  })
})

describe('formatSummary of dropped arrivals', () => {
  it('shows 12 dropped arrivals, and no line for a closed run that dropped none', () => {
    const run = toRunReport(usersRun())
    expect(lineStartingWith(formatSummary({ ...run, droppedArrivals: 12 }, { colors: false }), 'dropped'))
      .toBe('  dropped ........ 12  arrivals that found every user busy and were not sent')
    expect(formatSummary(run, { colors: false })).not.toContain('dropped')
  })
})
