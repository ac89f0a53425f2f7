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

  it('drops the endpoint() function and keeps the 14 data fields', () => {
    expect('endpoint' in report).toBe(false)
    expect(Object.keys(report).sort()).toEqual([
      'durationMs',
      'endpoints',
      'errorRate',
      'histogram',
      'latency',
      'model',
      'name',
      'startedAt',
      'target',
      'throughputPerSec',
      'timeline',
      'totals',
      'users',
      'workers',
    ])
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
    expect(report).toEqual(data)
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
