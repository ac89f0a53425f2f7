import { describe, expect, it } from 'vitest'
import { isRunReport, META_KEY, toRunReport } from '../../src/report/run-report.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** Every object in `value` is an array or a plain object: what structured clone and JSON keep whole. */
function plainDataProblems(value: unknown, path = 'report'): string[] {
  if (typeof value === 'function')
    return [`${path} is a function`]
  if (typeof value !== 'object' || value === null)
    return []
  const prototype: unknown = Object.getPrototypeOf(value)
  const problems = prototype === Object.prototype || prototype === Array.prototype
    ? []
    : [`${path} has prototype ${(prototype as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'null'}`]
  return problems.concat(Object.entries(value).flatMap(([key, child]) => plainDataProblems(child, `${path}.${key}`)))
}

describe('toRunReport', () => {
  const run = recordRun([
    ...responses(20, 5, { endpoint: 'GET /a' }),
    ...responses(10, 5, { endpoint: 'GET /b', status: 503, second: 1 }),
    {
      endpoint: 'GET /b',
      error: { kind: 'network', message: 'constructor' },
    },
  ])
  const report = toRunReport(run)

  it('drops the endpoint() function and keeps the run\'s data fields, adding only verdicts', () => {
    expect('endpoint' in report).toBe(false)
    const runFields = Object.keys(run).filter(key => key !== 'endpoint')
    expect(Object.keys(report).sort()).toEqual([...runFields, 'verdicts'].sort())
    expect(runFields).toEqual(expect.arrayContaining([
      'durationMs',
      'endpoints',
      'histogram',
      'latency',
      'timeline',
      'totals',
    ]))
  })

  it('is plain data all the way down: no functions, no class instances', () => {
    expect(plainDataProblems(report)).toEqual([])
  })

  it('survives structured clone and JSON unchanged', () => {
    expect(structuredClone(report)).toStrictEqual(report)
    expect(JSON.parse(JSON.stringify(report))).toStrictEqual(report)
  })

  it('holds the same figures as the run: 31 requests, 2 endpoints, 2 seconds of timeline', () => {
    const { endpoint: _endpoint, ...data } = run
    expect(report).toEqual({ ...data, verdicts: [] })
    expect(report.totals.requests).toBe(31)
    expect(report.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /a', 'GET /b'])
    expect(report.timeline).toHaveLength(2)
  })

  it('is a copy: changing the report leaves the run alone', () => {
    report.endpoints[0]!.totals.statusCodes['200'] = 999
    report.timeline[0]!.requests = -1
    expect(run.endpoints[0]!.totals.statusCodes['200']).toBe(20)
    expect(run.timeline[0]!.requests).toBe(21)
  })

  it('isRunReport() accepts a report and rejects {}, null and a string', () => {
    expect(isRunReport(toRunReport(run))).toBe(true)
    expect(isRunReport({})).toBe(false)
    expect(isRunReport(null)).toBe(false)
    expect(isRunReport('users API')).toBe(false)
  })

  it('travels in task meta under the key \'vitestLoad\'', () => {
    expect(META_KEY).toBe('vitestLoad')
  })
})

describe('toRunReport with what the reports add', () => {
  const run = recordRun([
    ...responses(10, 1, { endpoint: 'GET /users?token=tk-91f3' }),
    {
      endpoint: 'GET /users?token=tk-91f3',
      error: { kind: 'network', message: 'rejected key tk-91f3' },
    },
  ], { name: 'token tk-91f3' })
  const verdicts = [
    {
      matcher: 'toHaveP95Below',
      measured: 'p95 latency',
      endpoint: 'GET /users?token=tk-91f3',
      expected: '< 100 ms',
      actual: '9 ms',
      isNot: false,
      pass: true,
    },
  ]
  const request = {
    method: 'GET',
    url: 'http://127.0.0.1:3000/users?token=[redacted]',
    headers: {},
    bodyBytes: 0,
  }
  const report = toRunReport(run, {
    request,
    verdicts,
    secretValues: ['tk-91f3'],
  })

  it('holds the request description and the 1 verdict', () => {
    expect(report.request).toEqual(request)
    expect(report.verdicts).toHaveLength(1)
  })

  it('removes the secret from names, error messages and verdicts: \'tk-91f3\' appears nowhere', () => {
    expect(JSON.stringify(report)).not.toContain('tk-91f3')
    expect(report.name).toBe('token [redacted]')
    expect(report.endpoints[0]!.name).toBe('GET /users?token=[redacted]')
    expect(report.totals.errorMessages).toEqual({ 'rejected key [redacted]': 1 })
    expect(report.verdicts[0]!.endpoint).toBe('GET /users?token=[redacted]')
  })

  it('leaves every histogram exactly as encoded', () => {
    expect(report.histogram).toBe(run.histogram)
    expect(report.timeline.map(point => point.histogram)).toEqual(run.timeline.map(point => point.histogram))
  })
})
