import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { trackVerdicts, verdictsOf } from '../../src/metrics/verdicts.js'
import { failingRun, fastRun, refusedRun, twoEndpointRun } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

describe('verdicts recorded by the matchers', () => {
  it('records toHaveP95Below(\'100ms\') on 1–100 ms as passed: p95 95 ms, limit < 100 ms', () => {
    const run = fastRun()
    expect(run).toHaveP95Below('100ms')
    expect(verdictsOf(run)).toEqual([
      {
        matcher: 'toHaveP95Below',
        measured: 'p95 latency',
        endpoint: null,
        expected: '< 100 ms',
        actual: '95 ms',
        isNot: false,
        pass: true,
      },
    ])
  })

  it('records a failed matcher before Vitest throws: error rate 5 % against < 1 %', () => {
    const run = failingRun()
    expect(() => expect(run).toHaveErrorRateBelow(0.01)).toThrow('to be below 1 %')
    expect(verdictsOf(run)).toEqual([
      expect.objectContaining({
        matcher: 'toHaveErrorRateBelow',
        expected: '< 1 %',
        actual: '5 %',
        pass: false,
      }),
    ])
  })

  it('applies .not: .not.toHaveErrorRateBelow(0.01) on 5 % errors holds, .not.toHaveErrorRateBelow(0.06) does not', () => {
    const run = failingRun()
    expect(run).not.toHaveErrorRateBelow(0.01)
    expect(() => expect(run).not.toHaveErrorRateBelow(0.06)).toThrow()
    expect(verdictsOf(run).map(verdict => [verdict.expected, verdict.isNot, verdict.pass])).toEqual([
      ['< 1 %', true, true],
      ['< 6 %', true, false],
    ])
  })

  it('files a matcher on run.endpoint(\'GET /slow\') under the run, naming the endpoint', () => {
    const run = twoEndpointRun()
    trackVerdicts(run)
    expect(run.endpoint('GET /slow')).toHaveP50Below('2s')
    expect(run).toHaveThroughputAbove(100)
    expect(verdictsOf(run).map(verdict => [verdict.endpoint, verdict.matcher, verdict.actual])).toEqual([
      ['GET /slow', 'toHaveP50Below', '1 s'],
      [null, 'toHaveThroughputAbove', '200 req/s'],
    ])
    expect(verdictsOf(run.endpoint('GET /fast'))).toBe(verdictsOf(run))
  })

  it('keeps an endpoint\'s verdicts recorded before its run was tracked', () => {
    const run = twoEndpointRun()
    expect(run.endpoint('GET /fast')).toHaveP99Below('1s')
    expect(trackVerdicts(run).map(verdict => verdict.endpoint)).toEqual(['GET /fast'])
  })

  it('records \'not measured\' for latency of 10 refused requests, failing even under .not', () => {
    const run = refusedRun()
    expect(() => expect(run).toHaveP95Below('1s')).toThrow()
    expect(() => expect(run).not.toHaveP95Below('1s')).toThrow()
    expect(verdictsOf(run).map(verdict => [verdict.actual, verdict.pass])).toEqual([
      ['not measured', false],
      ['not measured', false],
    ])
  })

  it('records nothing for a matcher given an invalid limit: that is an error, not a verdict', () => {
    const run = fastRun()
    expect(() => expect(run).toHaveP95Below('fast')).toThrow('expects a duration')
    expect(verdictsOf(run)).toEqual([])
  })

  it('keeps runs apart: verdicts on one run never show on another', () => {
    const first = fastRun()
    const second = fastRun()
    expect(first).toHaveP95Below('1s')
    expect(verdictsOf(first)).toHaveLength(1)
    expect(verdictsOf(second)).toHaveLength(0)
  })
})
