import type { MatcherVerdict } from '../../src/metrics/verdicts.js'
import type { ReportTest } from '../../src/report/format-json.js'
import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, decodeHistogram, percentileMs, summarizeLatency } from '../../src/metrics/histogram.js'
import { formatJsonReport, JSON_REPORT_SCHEMA_VERSION, parseJsonReport, rebuildRunReport, summaryFromJsonReport, toJsonReport } from '../../src/report/format-json.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** 3 s from 2 workers over 2 endpoints: 500s in second 1, a reset in second 2, 4 verdicts. */
function report() {
  const run = recordRun([
    ...responses(60, 1, { endpoint: 'GET /users' }),
    ...responses(40, 2, { endpoint: 'GET /users', worker: 1, second: 1 }),
    ...responses(5, 30, { endpoint: 'POST /users', status: 500, second: 1 }),
    ...responses(30, 3, {
      endpoint: 'POST /users',
      status: 201,
      worker: 1,
      second: 2,
    }),
    {
      endpoint: 'POST /users',
      second: 2,
      error: { kind: 'network', message: 'ECONNRESET: other side closed' },
    },
  ], { name: 'users API', durationMs: 2_750 })
  const verdict = (fields: Partial<MatcherVerdict>): MatcherVerdict => ({
    matcher: 'toHaveP95Below',
    measured: 'p95 latency',
    endpoint: null,
    expected: '< 100 ms',
    actual: '79 ms',
    isNot: false,
    pass: true,
    ...fields,
  })
  return toRunReport(run, {
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:3000/users',
      headers: { authorization: '[redacted]' },
      bodyBytes: 0,
    },
    verdicts: [
      verdict({}),
      verdict({
        matcher: 'toHaveErrorRateBelow',
        measured: 'error rate',
        expected: '< 1 %',
        actual: '4.5 %',
        pass: false,
      }),
      verdict({
        endpoint: 'POST /users',
        matcher: 'toHaveP99Below',
        expected: '< 50 ms',
        actual: '148 ms',
        pass: false,
      }),
      verdict({
        isNot: true,
        matcher: 'toHaveThroughputAbove',
        measured: 'throughput',
        expected: '> 1,000 req/s',
        actual: '49.1 req/s',
      }),
    ],
  })
}

const test: ReportTest = { file: 'test/users.load.test.ts', name: 'users API', state: 'failed' }

describe('the JSON report', () => {
  const original = report()
  const text = formatJsonReport(toJsonReport(original, test, '0.1.0'))

  it('starts with schemaVersion 1, the generator and the test, then the run', () => {
    const parsed = JSON.parse(text) as Record<string, unknown>
    expect(Object.keys(parsed).slice(0, 4)).toEqual([
      'schemaVersion',
      'generator',
      'test',
      'name',
    ])
    expect(parsed).toMatchObject({
      schemaVersion: 1,
      generator: { name: 'vitest-load', version: '0.1.0' },
      test: { file: 'test/users.load.test.ts', name: 'users API', state: 'failed' },
    })
    expect(JSON_REPORT_SCHEMA_VERSION).toBe(1)
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('reads back to the same report: 2 endpoints, 3 seconds, 4 verdicts, the request', () => {
    const parsed = parseJsonReport(text)
    const { schemaVersion: _v, generator: _g, test: _t, ...run } = parsed
    expect(run).toEqual(original)
    expect(parsed.endpoints).toHaveLength(2)
    expect(parsed.timeline).toHaveLength(3)
    expect(parsed.verdicts).toHaveLength(4)
  })

  it('rebuilds the terminal summary exactly, verdicts included, from the JSON text alone', () => {
    const summary = formatSummary(original, { colors: false })
    expect(summaryFromJsonReport(text, { colors: false })).toBe(summary)
    expect(summaryFromJsonReport(text, { colors: true })).toBe(formatSummary(original, { colors: true }))
    expect(summary).toContain('✗ endpoint(\'POST /users\').toHaveP99Below')
  })

  it('recomputes every latency figure from the encoded histograms, not from the stored figures', () => {
    const tampered = parseJsonReport(text)
    tampered.latency.p95Ms = 0
    tampered.endpoints[1]!.latency.maxMs = 0
    tampered.timeline[1]!.p99Ms = 0
    tampered.endpoints[0]!.errorRate = 0.5
    const rebuilt = rebuildRunReport(tampered)
    expect(rebuilt.latency).toEqual(original.latency)
    expect(rebuilt.endpoints).toEqual(original.endpoints)
    expect(rebuilt.timeline).toEqual(original.timeline)
  })

  it('keeps one encoded histogram per endpoint and second, each with that second\'s percentiles', () => {
    const parsed = parseJsonReport(text)
    for (const result of [parsed, ...parsed.endpoints]) {
      for (const point of result.timeline) {
        expect(point.histogram, `${result.name} second ${point.second}`).toEqual(expect.any(String))
        const histogram = decodeHistogram(point.histogram!)
        // the one reset (POST /users, second 2) has no latency: it counts as a request, not in the histogram
        const withoutResponse = point.second === 2 && result.name !== 'GET /users'
          ? 1
          : 0
        expect(histogram.totalCount).toBe(point.requests - withoutResponse)
        expect(percentileMs(histogram, 95)).toBe(point.p95Ms)
      }
    }
  })

  it('adds each endpoint\'s 3 interval histograms up to its whole-run histogram, exactly', () => {
    const parsed = parseJsonReport(text)
    for (const endpoint of parsed.endpoints) {
      const sum = createLatencyHistogram()
      for (const point of endpoint.timeline)
        sum.add(decodeHistogram(point.histogram!))
      expect(summarizeLatency(sum)).toEqual(endpoint.latency)
    }
  })

  it('refuses schema version 2 and text that is not a report, saying which', () => {
    expect(() => parseJsonReport(JSON.stringify({
      ...JSON.parse(text) as object,
      schemaVersion: 2,
    })))
      .toThrow('vitest-load JSON report of schema version 2; this version reads schema version 1')
    expect(() => parseJsonReport('{}')).toThrow('Not a vitest-load JSON report')
    expect(() => parseJsonReport('null')).toThrow('Not a vitest-load JSON report')
  })
})
