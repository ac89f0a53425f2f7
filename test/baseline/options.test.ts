import { describe, expect, it } from 'vitest'
import { DEFAULT_TOLERANCES } from '../../src/baseline/compare.js'
import { resolveBaselineOptions } from '../../src/baseline/options.js'
import { InvalidMatcherArgumentError } from '../../src/errors.js'

describe('toMatchBaseline options', () => {
  it('defaults to +10 % on p50 and p95, +20 % on p99, −10 % throughput and +1 point of errors', () => {
    expect(resolveBaselineOptions(undefined)).toEqual({
      name: undefined,
      environment: 'strict',
      tolerances: {
        p50: 0.1,
        p95: 0.1,
        p99: 0.2,
        throughput: 0.1,
        errorRate: 0.01,
      },
    })
    expect(DEFAULT_TOLERANCES.p95).toBe(0.1)
  })

  it('reads { p95: \'+15%\', throughput: \'-5%\', errorRate: 0.02, p99: false, name }', () => {
    expect(resolveBaselineOptions({
      p95: '+15%',
      throughput: '-5%',
      errorRate: 0.02,
      p99: false,
      name: 'cold cache',
    })).toEqual({
      name: 'cold cache',
      environment: 'strict',
      tolerances: {
        p50: 0.1,
        p95: 0.15,
        p99: false,
        throughput: 0.05,
        errorRate: 0.02,
      },
    })
    expect(resolveBaselineOptions({ p50: '7.5%', throughput: '−5 %' }).tolerances).toMatchObject({ p50: 0.075, throughput: 0.05 })
  })

  it('says every problem at once, with an example', () => {
    let error: unknown
    try {
      resolveBaselineOptions({
        p95: '-10%',
        throughput: '+5%',
        p90: '10%',
        errorRate: 'lots',
        name: '',
      })
    }
    catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(InvalidMatcherArgumentError)
    expect((error as Error).message).toBe([
      'toMatchBaseline(options) has 5 problems:',
      `  - p95: expected an allowed increase, '+10%' or 0.1, or false to leave it out; got \`"-10%"\` (string) (a p95 tolerance says how much worse it may get: up, '+10%')`,
      `  - throughput: expected an allowed decrease, '-5%' or 0.05, or false to leave it out; got \`"+5%"\` (string) (a throughput tolerance says how much worse it may get: down, '-5%')`,
      '  - p90: not an option; the options are p50, p95, p99, throughput, errorRate, name, environment',
      `  - errorRate: expected an allowed rise of the error rate in percentage points, '+1%' or 0.01, or false to leave it out; got \`"lots"\` (string)`,
      `  - name: expected a non-empty string, got \`""\` (string)`,
      `Example: expect(run).toMatchBaseline({ p95: '+10%', throughput: '-5%', errorRate: '+1%', p99: false })`,
    ].join('\n'))
  })

  it('refuses a non-object', () => {
    expect(() => resolveBaselineOptions('10%')).toThrow(`toMatchBaseline(options) expects an object of tolerances, got \`"10%"\` (string)`)
    expect(() => resolveBaselineOptions({ p95: -0.1 })).toThrow('p95: expected an allowed increase')
  })
})
