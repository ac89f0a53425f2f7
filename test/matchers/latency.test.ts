import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { fastRun, refusedRun, slowRun, thrown, twoEndpointRun } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

const FAST_SUMMARY = 'GET /x: 100 requests, 0 errors (0 %), p50 50 ms, p95 95 ms, p99 99 ms, 100 req/s'

describe('latency matchers on 100 responses of 1–100 ms', () => {
  const run = fastRun()

  it('toHaveP50Below passes at 51 ms and fails at 40 ms, naming the 50 ms p50', () => {
    expect(run).toHaveP50Below('51ms')
    expect(thrown(() => expect(run).toHaveP50Below('40ms')).message)
      .toBe(`expected p50 latency of "GET /x" to be below 40 ms, but it was 50 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHaveP90Below passes at 91 ms and fails at 80 ms, naming the 90 ms p90', () => {
    expect(run).toHaveP90Below('91ms')
    expect(thrown(() => expect(run).toHaveP90Below('80ms')).message)
      .toBe(`expected p90 latency of "GET /x" to be below 80 ms, but it was 90 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHaveP95Below passes at 96 ms and fails at 90 ms, naming the 95 ms p95', () => {
    expect(run).toHaveP95Below('96ms')
    expect(thrown(() => expect(run).toHaveP95Below('90ms')).message)
      .toBe(`expected p95 latency of "GET /x" to be below 90 ms, but it was 95 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHaveP99Below passes at 100 ms and fails at 95 ms, naming the 99 ms p99', () => {
    expect(run).toHaveP99Below('100ms')
    expect(thrown(() => expect(run).toHaveP99Below('95ms')).message)
      .toBe(`expected p99 latency of "GET /x" to be below 95 ms, but it was 99 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHavePercentileBelow(75, …) passes at 76 ms and fails at 70 ms, naming the 75 ms p75', () => {
    expect(run).toHavePercentileBelow(75, '76ms')
    expect(thrown(() => expect(run).toHavePercentileBelow(75, '70ms')).message)
      .toBe(`expected p75 latency of "GET /x" to be below 70 ms, but it was 75 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHavePercentileBelow(99.9, …) reads the merged histogram: passes at 101 ms, fails at 99 ms', () => {
    expect(run).toHavePercentileBelow(99.9, '101ms')
    expect(thrown(() => expect(run).toHavePercentileBelow(99.9, '99ms')).message)
      .toMatch(/^expected p99\.9 latency of "GET \/x" to be below 99 ms, but it was 100 ms\n/)
  })

  it('toHaveMeanLatencyBelow passes at 51 ms and fails at 50 ms, naming the 50.5 ms mean', () => {
    expect(run).toHaveMeanLatencyBelow('51ms')
    expect(thrown(() => expect(run).toHaveMeanLatencyBelow('50ms')).message)
      .toBe(`expected mean latency of "GET /x" to be below 50 ms, but it was 50.5 ms\n  ${FAST_SUMMARY}`)
  })

  it('toHaveMaxLatencyBelow passes at 1.5 s and fails at 0.09 s, naming the 100 ms max', () => {
    expect(run).toHaveMaxLatencyBelow('1.5s')
    expect(thrown(() => expect(run).toHaveMaxLatencyBelow('0.09s')).message)
      .toBe(`expected max latency of "GET /x" to be below 90 ms, but it was 100 ms\n  ${FAST_SUMMARY}`)
  })

  it('a limit equal to the measured value fails: p95 of 95.039 ms is not below 95.039 ms', () => {
    expect(run.latency.p95Ms).toBe(95.039)
    expect(() => expect(run).toHaveP95Below(95.039)).toThrow('but it was 95 ms')
    expect(run).toHaveP95Below(95.04)
  })

  it('gives Vitest the actual value and the limit for its diff: \'95 ms\' and \'< 90 ms\'', () => {
    const error = thrown(() => expect(run).toHaveP95Below('90ms'))
    expect(error.actual).toBe('95 ms')
    expect(error.expected).toBe('< 90 ms')
  })
})

describe('duration limits', () => {
  const run = slowRun()

  it('\'250ms\' and 250 are the same limit: p50 of 1 s fails both with \'below 250 ms\'', () => {
    const message = 'expected p50 latency of "GET /x" to be below 250 ms, but it was 1 s'
    expect(thrown(() => expect(run).toHaveP50Below('250ms')).message).toContain(message)
    expect(thrown(() => expect(run).toHaveP50Below(250)).message).toContain(message)
  })

  it('\'1.5s\' is 1,500 ms: p50 of 1 s passes, p95 of 1.9 s fails', () => {
    expect(run).toHaveP50Below('1.5s')
    expect(run).toHaveP50Below(1_500)
    expect(thrown(() => expect(run).toHaveP95Below('1.5s')).message)
      .toBe('expected p95 latency of "GET /x" to be below 1.5 s, but it was 1.9 s\n  GET /x: 100 requests, 0 errors (0 %), p50 1 s, p95 1.9 s, p99 1.98 s, 100 req/s')
  })

  it('\'1m30s\' and \'2m\' are accepted: a max of 2 s passes both', () => {
    expect(run).toHaveMaxLatencyBelow('1m30s')
    expect(run).toHaveMaxLatencyBelow('2m')
  })
})

describe('.not', () => {
  const run = fastRun()

  it('.not.toHaveP95Below(\'50ms\') passes when p95 is 95 ms', () => {
    expect(run).not.toHaveP95Below('50ms')
    expect(run).not.toHaveMaxLatencyBelow(100)
  })

  it('.not.toHaveP95Below(\'100ms\') fails with \'not to be below 100 ms\'', () => {
    expect(thrown(() => expect(run).not.toHaveP95Below('100ms')).message)
      .toBe(`expected p95 latency of "GET /x" not to be below 100 ms, but it was 95 ms\n  ${FAST_SUMMARY}`)
  })

  it('.not.toHavePercentileBelow(50, \'1s\') fails naming p50', () => {
    expect(() => expect(run).not.toHavePercentileBelow(50, '1s')).toThrow('expected p50 latency of "GET /x" not to be below 1 s, but it was 50 ms')
  })
})

describe('a run without responses', () => {
  const run = refusedRun()

  it('fails toHaveP95Below(\'1s\') as \'not measured\' when all 10 requests were refused', () => {
    const error = thrown(() => expect(run).toHaveP95Below('1s'))
    expect(error.message).toBe('expected p95 latency of "GET /x" to be below 1 s, but it was not measured: no request received a response\n'
      + '  GET /x: 10 requests, 10 errors (100 %), no responses, 0 req/s ok · 10 attempts/s')
    expect(error.actual).toBe('not measured')
  })

  it('fails every latency matcher, even with a limit of 1 hour', () => {
    for (const assert of [
      () => expect(run).toHaveP50Below('1h'),
      () => expect(run).toHaveP90Below('1h'),
      () => expect(run).toHaveP99Below('1h'),
      () => expect(run).toHavePercentileBelow(99.9, '1h'),
      () => expect(run).toHaveMeanLatencyBelow('1h'),
      () => expect(run).toHaveMaxLatencyBelow('1h'),
    ])
      expect(assert).toThrow('not measured: no request received a response')
  })

  it('fails .not.toHaveP95Below(\'1ms\') too: nothing measured is never a pass', () => {
    expect(() => expect(run).not.toHaveP95Below('1ms'))
      .toThrow('expected p95 latency of "GET /x" not to be below 1 ms, but it was not measured: no request received a response')
  })
})

describe('run.endpoint(name)', () => {
  const run = twoEndpointRun()

  it('run.endpoint(\'GET /fast\') passes toHaveP95Below(\'100ms\') while the whole run fails it', () => {
    expect(run.endpoint('GET /fast')).toHaveP95Below('100ms')
    expect(() => expect(run).toHaveP95Below('100ms')).toThrow('expected p95 latency of "users API" to be below 100 ms, but it was 1.8 s')
  })

  it('a failure on run.endpoint(\'GET /slow\') names the endpoint and its own summary', () => {
    expect(thrown(() => expect(run.endpoint('GET /slow')).toHaveP99Below('1s')).message)
      .toBe('expected p99 latency of "GET /slow" to be below 1 s, but it was 1.98 s\n  GET /slow: 100 requests, 0 errors (0 %), p50 1 s, p95 1.9 s, p99 1.98 s, 100 req/s')
  })

  it('run.endpoints[0] works as well as run.endpoint()', () => {
    expect(run.endpoints[0]).toHaveMaxLatencyBelow('101ms')
  })
})
