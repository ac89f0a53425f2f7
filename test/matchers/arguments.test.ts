import { describe, expect, it } from 'vitest'
import { InvalidMatcherArgumentError } from '../../src/errors.js'
import { loadMatchers } from '../../src/matchers/index.js'
import { fastRun, thrown } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

const run = fastRun()

function invalidArgument(fn: () => unknown): string {
  const error = thrown(fn)
  expect(error).toBeInstanceOf(InvalidMatcherArgumentError)
  expect(error.name).toBe('InvalidMatcherArgumentError')
  expect(error.code).toBe('VL_ERR_INVALID_MATCHER_ARGUMENT')
  return error.message
}

describe('invalid limits', () => {
  it('toHaveP95Below(\'fast\') names the value, its type and a valid example', () => {
    expect(invalidArgument(() => expect(run).toHaveP95Below('fast')))
      .toBe('toHaveP95Below(limit) expects a duration such as \'250ms\', \'1.5s\' or 250 (ms), got `"fast"` (string). Example: expect(run).toHaveP95Below(\'100ms\')')
  })

  it.each([
    ['\'250\' without a unit', '250', '`"250"` (string)'],
    ['-5', -5, '`-5` (number)'],
    ['NaN', Number.NaN, '`NaN` (number)'],
    ['an empty string', '', '`""` (string)'],
    ['{}', {}, '`{}` (object)'],
  ])('rejects %s as a latency limit', (_, limit, described) => {
    expect(invalidArgument(() => expect(run).toHaveP50Below(limit as string))).toContain(`got ${described}`)
  })

  it('every latency matcher checks its limit: toHaveMaxLatencyBelow(\'soon\')', () => {
    for (const assert of [
      () => expect(run).toHaveP50Below('soon'),
      () => expect(run).toHaveP90Below('soon'),
      () => expect(run).toHaveP99Below('soon'),
      () => expect(run).toHavePercentileBelow(99, 'soon'),
      () => expect(run).toHaveMeanLatencyBelow('soon'),
      () => expect(run).toHaveMaxLatencyBelow('soon'),
    ])
      expect(invalidArgument(assert)).toContain('expects a duration such as \'250ms\'')
  })

  it('toHaveErrorRateBelow(2) asks for a ratio from 0 to 1', () => {
    expect(invalidArgument(() => expect(run).toHaveErrorRateBelow(2)))
      .toBe('toHaveErrorRateBelow() expects a ratio from 0 to 1 (0.01 is 1 %), got `2` (number). Example: expect(run).toHaveErrorRateBelow(0.01)')
  })

  it('toHaveErrorRateBelow rejects -0.1 and \'1%\'', () => {
    expect(invalidArgument(() => expect(run).toHaveErrorRateBelow(-0.1))).toContain('got `-0.1` (number)')
    expect(invalidArgument(() => expect(run).toHaveErrorRateBelow('1%' as unknown as number))).toContain('got `"1%"` (string)')
  })

  it('toHaveThroughputAbove rejects -1 and \'100/s\' with an example of 1000', () => {
    expect(invalidArgument(() => expect(run).toHaveThroughputAbove(-1)))
      .toBe('toHaveThroughputAbove() expects a number of requests per second, 0 or more, got `-1` (number). Example: expect(run).toHaveThroughputAbove(1000)')
    expect(invalidArgument(() => expect(run).toHaveThroughputAbove('100/s' as unknown as number))).toContain('got `"100/s"` (string)')
  })

  it('toHavePercentileBelow accepts percentiles above 0 up to 100, rejecting 0 and 101', () => {
    expect(run).toHavePercentileBelow(100, '101ms')
    expect(invalidArgument(() => expect(run).toHavePercentileBelow(0, '1s')))
      .toBe('toHavePercentileBelow() expects a percentile above 0 and at most 100, got `0` (number). Example: expect(run).toHavePercentileBelow(99.9, \'250ms\')')
    expect(invalidArgument(() => expect(run).toHavePercentileBelow(101, '1s'))).toContain('got `101` (number)')
  })
})

describe('invalid received values', () => {
  it('expect(42).toHaveP95Below(\'1ms\') says what it expects instead of a run', () => {
    expect(invalidArgument(() => expect(42).toHaveP95Below('1ms')))
      .toBe('toHaveP95Below() expects the run passed to a loadTest() callback, the result of runLoad(), run.endpoint(name) or run.step(level); got `42` (number). Example: expect(run).toHaveP95Below(…)')
  })

  it.each([
    ['undefined', undefined, '`undefined`'],
    ['null', null, '`null`'],
    [
      'a promise of a run',
      Promise.resolve(run),
      '`{}` (object)',
    ],
    [
      '{ p95Ms: 10 }',
      { p95Ms: 10 },
      '`{"p95Ms":10}` (object)',
    ],
  ])('rejects %s in place of a run', (_, received, described) => {
    expect(invalidArgument(() => expect(received).toHaveErrorRateBelow(0.01))).toContain(`got ${described}`)
    expect(invalidArgument(() => expect(received).toHaveThroughputAbove(1))).toContain(`got ${described}`)
  })
})

describe('invalid arguments under .not', () => {
  it('.not.toHaveP95Below(\'fast\') throws the argument error instead of passing', () => {
    expect(invalidArgument(() => expect(run).not.toHaveP95Below('fast'))).toContain('got `"fast"` (string)')
  })

  it('.not.toHaveErrorRateBelow(2) on 42 throws the argument error instead of passing', () => {
    expect(invalidArgument(() => expect(42).not.toHaveErrorRateBelow(2))).toContain('got `42` (number)')
  })
})
