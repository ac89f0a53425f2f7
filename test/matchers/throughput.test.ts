import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { recordRun } from '../metrics/record-run.js'
import { failingRun, fastRun, refusedRun, thrown, twoEndpointRun } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

describe('toHaveThroughputAbove on 100 requests in 1 s', () => {
  const run = fastRun()

  it('passes above 99 req/s', () => {
    expect(run.throughputPerSec).toBe(100)
    expect(run).toHaveThroughputAbove(99)
  })

  it('fails above 150 req/s, naming the 100 req/s measured', () => {
    const error = thrown(() => expect(run).toHaveThroughputAbove(150))
    expect(error.message).toBe('expected throughput of "GET /x" to be above 150 req/s, but it was 100 req/s\n'
      + '  GET /x: 100 requests, 0 errors (0 %), p50 50 ms, p95 95 ms, p99 99 ms, 100 req/s')
    expect(error.actual).toBe('100 req/s')
    expect(error.expected).toBe('> 150 req/s')
  })

  it('fails above 100 req/s: 100 req/s is not above 100 req/s', () => {
    expect(() => expect(run).toHaveThroughputAbove(100)).toThrow('to be above 100 req/s, but it was 100 req/s')
  })

  it('.not.toHaveThroughputAbove(150) passes, .not.toHaveThroughputAbove(50) fails', () => {
    expect(run).not.toHaveThroughputAbove(150)
    expect(() => expect(run).not.toHaveThroughputAbove(50)).toThrow('expected throughput of "GET /x" not to be above 50 req/s, but it was 100 req/s')
  })
})

describe('toHaveThroughputAbove over other runs', () => {
  it('counts successful responses only: 100 requests with 5 errors in 2 s are 47.5 req/s ok, 50 attempts/s', () => {
    const run = failingRun()
    expect(run).toHaveThroughputAbove(47)
    expect(run.attemptsPerSec).toBe(50)
    expect(() => expect(run).toHaveThroughputAbove(49.5)).toThrow('but it was 47.5 req/s\n  GET /x: 100 requests, 5 errors (5 %), p50 46 ms, p95 91 ms, p99 95 ms (only the 98 % of requests that got a response; 2 % got none), 47.5 req/s ok · 50 attempts/s')
  })

  it('a dead target\'s refused connects are no throughput: 10 refused requests are 0 req/s ok', () => {
    const run = refusedRun()
    expect(run.attemptsPerSec).toBeGreaterThan(0)
    expect(() => expect(run).toHaveThroughputAbove(0)).toThrow('but it was 0 req/s')
  })

  it('a run without requests fails above 0 req/s with 0 req/s', () => {
    expect(() => expect(recordRun([])).toHaveThroughputAbove(0)).toThrow('to be above 0 req/s, but it was 0 req/s')
  })

  it('each of 2 endpoints runs at 100 req/s and the whole run at 200 req/s', () => {
    const run = twoEndpointRun()
    expect(run).toHaveThroughputAbove(199)
    expect(run.endpoint('GET /fast')).not.toHaveThroughputAbove(100)
    expect(() => expect(run.endpoint('GET /slow')).toHaveThroughputAbove(150)).toThrow('expected throughput of "GET /slow" to be above 150 req/s, but it was 100 req/s')
  })
})
