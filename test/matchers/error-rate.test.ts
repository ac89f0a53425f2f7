import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { recordRun, responses } from '../metrics/record-run.js'
import { failingRun, fastRun, refusedRun, thrown } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

describe('toHaveErrorRateBelow on 100 requests with 5 errors', () => {
  const run = failingRun()

  it('passes below 0.06 (6 %)', () => {
    expect(run.errorRate).toBe(0.05)
    expect(run).toHaveErrorRateBelow(0.06)
  })

  it('fails below 0.01 with 5 % and the errors by kind: 3 http, 1 network, 1 timeout', () => {
    const error = thrown(() => expect(run).toHaveErrorRateBelow(0.01))
    const [first, summary] = error.message.split('\n')
    expect(first).toBe('expected error rate of "GET /x" to be below 1 %, but it was 5 % (5 of 100: 3 http, 1 network, 1 timeout)')
    expect(summary).toMatch(/^ {2}GET \/x: 100 requests, 5 errors \(5 %\), p50 \d+(\.\d+)? ms, p95 \d+(\.\d+)? ms, p99 \d+(\.\d+)? ms \(only the 98 % of requests that got a response; 2 % got none\), 47\.5 req\/s ok · 50 attempts\/s$/)
    expect(error.actual).toBe('5 %')
    expect(error.expected).toBe('< 1 %')
  })

  it('fails below 0.05: 5 % is not below 5 %', () => {
    expect(() => expect(run).toHaveErrorRateBelow(0.05)).toThrow('to be below 5 %, but it was 5 %')
  })

  it('.not.toHaveErrorRateBelow(0.01) passes, .not.toHaveErrorRateBelow(0.06) fails', () => {
    expect(run).not.toHaveErrorRateBelow(0.01)
    expect(() => expect(run).not.toHaveErrorRateBelow(0.06)).toThrow('expected error rate of "GET /x" not to be below 6 %, but it was 5 %')
  })
})

describe('toHaveErrorRateBelow at the edges', () => {
  it('a run without errors passes below 0.001 and fails below 0', () => {
    const run = fastRun()
    expect(run).toHaveErrorRateBelow(0.001)
    expect(() => expect(run).toHaveErrorRateBelow(0)).toThrow('to be below 0 %, but it was 0 % (0 of 100: 0 http, 0 network, 0 timeout)')
  })

  it('a run with 10 refused requests fails below 1 (100 %) with 10 network errors', () => {
    expect(() => expect(refusedRun()).toHaveErrorRateBelow(1)).toThrow('but it was 100 % (10 of 10: 0 http, 10 network, 0 timeout)')
  })

  it('a run in which no request finished fails as \'not measured\', even below 1', () => {
    const error = thrown(() => expect(recordRun([])).toHaveErrorRateBelow(1))
    expect(error.message).toBe('expected error rate of "GET /x" to be below 100 %, but it was not measured: no request finished\n'
      + '  GET /x: 0 requests, 0 errors (0 %), no responses, 0 req/s')
    expect(error.actual).toBe('not measured')
  })

  it('a run in which no request finished fails .not.toHaveErrorRateBelow(0.5) too', () => {
    expect(() => expect(recordRun([])).not.toHaveErrorRateBelow(0.5))
      .toThrow('expected error rate of "GET /x" not to be below 50 %, but it was not measured: no request finished')
  })

  it('run.endpoint(\'GET /ok\') passes below 0.01 while the run, at 50 %, fails', () => {
    const run = recordRun([
      ...responses(10, 1, { endpoint: 'GET /ok' }),
      ...responses(10, 1, { endpoint: 'GET /bad', status: 503 }),
    ])
    expect(run.endpoint('GET /ok')).toHaveErrorRateBelow(0.01)
    expect(() => expect(run).toHaveErrorRateBelow(0.01)).toThrow('but it was 50 % (10 of 20: 10 http, 0 network, 0 timeout)')
    expect(() => expect(run.endpoint('GET /bad')).toHaveErrorRateBelow(0.5)).toThrow('expected error rate of "GET /bad" to be below 50 %, but it was 100 %')
  })
})
