import type { LoadRun } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { InvalidMatcherArgumentError } from '../../src/errors.js'
import { loadMatchers } from '../../src/matchers/index.js'
import { verdictsOf } from '../../src/metrics/verdicts.js'
import { recordRun, responses } from '../metrics/record-run.js'
import { fastRun, thrown } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

/**
 * 100 responses over 2 workers, checked: 'status is 200' passes 75 of 100 times, 'has id' 100 of
 * 100: 175 of 200 checks passed (87.5 %).
 */
function checkedRun(): LoadRun {
  return recordRun([
    ...responses(50),
    ...responses(50, 1, { worker: 1 }),
  ], {
    name: 'shop',
    custom: (recorders, worker) => {
      for (let index = 0; index < 50; index++) {
        const status = (worker * 50 + index) % 4 === 3
          ? 500
          : 200
        recorders.check({ status }, {
          'status is 200': r => r.status === 200,
          'has id': () => true,
        })
      }
    },
  })
}

describe('toHaveCheckPassRateAbove over all checks', () => {
  const run = checkedRun()

  it('reads 175 of 200 passed (87.5 %): passes above 0.87, fails above 0.9', () => {
    expect(run).toHaveCheckPassRateAbove(0.87)
    const error = thrown(() => expect(run).toHaveCheckPassRateAbove(0.9))
    const [first, summary] = error.message.split('\n')
    expect(first).toBe('expected check pass rate of "shop" to be above 90 %, but it was 87.5 % (175 of 200 passed, 25 failed)')
    expect(summary).toMatch(/^ {2}shop: 100 requests, 0 errors/)
    expect(error.actual).toBe('87.5 %')
    expect(error.expected).toBe('> 90 %')
  })

  it('fails at exactly its pass rate: 87.5 % is not above 87.5 %', () => {
    expect(() => expect(run).toHaveCheckPassRateAbove(0.875)).toThrow('to be above 87.5 %, but it was 87.5 %')
  })

  it('.not inverts it', () => {
    expect(run).not.toHaveCheckPassRateAbove(0.9)
    expect(() => expect(run).not.toHaveCheckPassRateAbove(0.5)).toThrow('expected check pass rate of "shop" not to be above 50 %, but it was 87.5 %')
  })
})

describe('toHaveCheckPassRateAbove on one check', () => {
  const run = checkedRun()

  it('reads \'status is 200\' at 75 % (75 of 100) and \'has id\' at 100 %', () => {
    expect(run).toHaveCheckPassRateAbove(0.74, 'status is 200')
    expect(run).not.toHaveCheckPassRateAbove(0.75, 'status is 200')
    expect(run).toHaveCheckPassRateAbove(0.99, 'has id')
    expect(() => expect(run).toHaveCheckPassRateAbove(0.99, 'status is 200'))
      .toThrow('expected pass rate of check \'status is 200\' of "shop" to be above 99 %, but it was 75 % (75 of 100 passed, 25 failed)')
  })

  it('throws for an unknown check, listing the known ones', () => {
    const error = thrown(() => expect(run).toHaveCheckPassRateAbove(0.99, 'status is 201'))
    expect(error).toBeInstanceOf(InvalidMatcherArgumentError)
    expect(error.message).toBe('toHaveCheckPassRateAbove(): load test "shop" has no check named \'status is 201\'. Known checks: \'has id\', \'status is 200\'')
  })

  it('throws for a name that is not a string', () => {
    expect(() => expect(run).toHaveCheckPassRateAbove(0.99, 200 as unknown as string))
      .toThrow('toHaveCheckPassRateAbove(ratio, check) expects the name of a check as its second argument, got `200` (number)')
  })

  it('records a verdict naming the check, for the reports', () => {
    const other = checkedRun()
    expect(other).toHaveCheckPassRateAbove(0.5, 'status is 200')
    expect(other).not.toHaveCheckPassRateAbove(0.99)
    expect(verdictsOf(other)).toEqual([
      {
        matcher: 'toHaveCheckPassRateAbove',
        measured: 'pass rate of check \'status is 200\'',
        endpoint: null,
        check: 'status is 200',
        expected: '> 50 %',
        actual: '75 %',
        isNot: false,
        pass: true,
      },
      {
        matcher: 'toHaveCheckPassRateAbove',
        measured: 'check pass rate',
        endpoint: null,
        expected: '> 99 %',
        actual: '87.5 %',
        isNot: true,
        pass: true,
      },
    ])
  })
})

describe('toHaveCheckPassRateAbove without checks', () => {
  it('fails as \'not measured\' on a run without checks, with .not too', () => {
    const error = thrown(() => expect(fastRun()).toHaveCheckPassRateAbove(0.5))
    expect(error.message.split('\n')[0]).toBe('expected check pass rate of "GET /x" to be above 50 %, but it was not measured: no check ran (ctx.check() in a scenario module)')
    expect(error.actual).toBe('not measured')
    expect(() => expect(fastRun()).not.toHaveCheckPassRateAbove(0.5)).toThrow('but it was not measured')
  })

  it('names no known check on a run without checks', () => {
    expect(() => expect(fastRun()).toHaveCheckPassRateAbove(0.5, 'status is 200')).toThrow('Known checks: none (no ctx.check() ran)')
  })

  it('throws on an endpoint: checks belong to the whole run', () => {
    const run = checkedRun()
    expect(() => expect(run.endpoint('GET /x')).toHaveCheckPassRateAbove(0.5))
      .toThrow('toHaveCheckPassRateAbove() expects a run, whose checks it reads, got the endpoint \'GET /x\': checks belong to the whole run. Example: expect(run).toHaveCheckPassRateAbove(0.99, \'status is 200\')')
  })

  it('throws for a ratio outside 0–1', () => {
    const run = checkedRun()
    expect(() => expect(run).toHaveCheckPassRateAbove(99)).toThrow('toHaveCheckPassRateAbove() expects a ratio from 0 to 1 (0.99 is 99 %), got `99` (number)')
    expect(() => expect(run).toHaveCheckPassRateAbove('0.9' as unknown as number)).toThrow(InvalidMatcherArgumentError)
  })
})
