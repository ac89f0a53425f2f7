import type { EndpointResult, LoadRun, RecoveryAssessment } from '../../src/index.js'
import { assertType, describe, expect, expectTypeOf, test } from 'vitest'
import '../../src/index.js'

declare const run: LoadRun

describe('matchers added to expect by importing vitest-load', () => {
  test('every matcher takes the documented arguments on a run', () => {
    expect(run).toHaveP50Below('50ms')
    expect(run).toHaveP90Below('1.5s')
    expect(run).toHaveP95Below('100ms')
    expect(run).toHaveP99Below(250)
    expect(run).toHavePercentileBelow(99.9, '250ms')
    expect(run).toHaveMeanLatencyBelow('40ms')
    expect(run).toHaveMaxLatencyBelow('2s')
    expect(run).toHaveErrorRateBelow(0.01)
    expect(run).toHaveThroughputAbove(190)
  })

  test('.not, expect.soft and run.endpoint() offer the same matchers', () => {
    expect(run).not.toHaveP95Below('100ms')
    expect.soft(run).toHaveP95Below('100ms')
    expect.soft(run).not.toHaveErrorRateBelow(0.5)
    expect(run.endpoint('GET /users')).toHaveP99Below('1s')
    expect(run.endpoints[0]).toHaveThroughputAbove(10)
  })

  test('the target matchers take cores, a growth rate and a figure by name, on a run or a step, with .not', () => {
    expect(run).toHaveTargetCpuBelow(0.8)
    expect(run).not.toHaveMemoryGrowthBelow('5MB/min')
    expect(run).toHaveMemoryGrowthBelow(1024)
    expect(run).toHaveTargetMetricBelow('openFiles', 1000)
    expect(run).toHaveTargetMetricBelow('cpu', 0.5, 'mean')
    expect(run.step(50)).toHaveTargetCpuBelow(1)
    expectTypeOf(expect(run).toHaveTargetMetricBelow).parameters.toEqualTypeOf<[name: string, limit: number, stat?: 'max' | 'mean']>()
    // @ts-expect-error the statistic is 'max' or 'mean'
    expect(run).toHaveTargetMetricBelow('cpu', 0.5, 'p99')
    expectTypeOf<NonNullable<LoadRun['observed']>['figures'][string]['unit']>().toEqualTypeOf<'cores' | 'bytes' | 'count' | 'ms' | '/s' | ''>()
  })

  test('toRecoverWithin takes a duration and a latency tolerance, on a spike\'s run', () => {
    expect(run).toRecoverWithin('5s')
    expect(run).toRecoverWithin(5000, { latency: '+20%' })
    expect(run).not.toRecoverWithin('1s', { latency: 0.2 })
    // @ts-expect-error the tolerance is '+N%' or a ratio
    expect(run).toRecoverWithin('5s', { latency: '20%' })
    expectTypeOf<LoadRun['recovery']>().toEqualTypeOf<RecoveryAssessment | null>()
  })

  test('matchers are methods of the assertion expect() returns', () => {
    expectTypeOf(expect(run).toHaveP95Below).toBeFunction()
    expectTypeOf(expect(run).toHaveP95Below).parameters.toEqualTypeOf<[limit: string | number]>()
    expectTypeOf(expect(run).toHavePercentileBelow).parameters.toEqualTypeOf<[percentile: number, limit: string | number]>()
    expectTypeOf(expect(run).toHaveErrorRateBelow).parameters.toEqualTypeOf<[ratio: number]>()
    expectTypeOf(expect(run).toHaveThroughputAbove).toBeCallableWith(1000)
  })

  test('arguments of the wrong type do not compile', () => {
    // @ts-expect-error a limit is a duration: a string such as '100ms' or a number of ms
    expect(run).toHaveP95Below({})
    // @ts-expect-error a limit is required
    expect(run).toHaveP95Below()
    // @ts-expect-error a limit is a duration, not a boolean
    expect(run).not.toHaveP99Below(true)
    // @ts-expect-error the ratio is a number, 0.01 for 1 %
    expect(run).toHaveErrorRateBelow('1%')
    // @ts-expect-error the percentile comes first, as a number
    expect(run).toHavePercentileBelow('99.9', '250ms')
    // @ts-expect-error both the percentile and the limit are required
    expect(run).toHavePercentileBelow(99.9)
    // @ts-expect-error throughput is a number of requests per second
    expect(run).toHaveThroughputAbove('100/s')
    // @ts-expect-error no such matcher: the name is toHaveP95Below
    expect(run).toHaveP95LatencyBelow('100ms')
  })
})

describe('LoadRun', () => {
  test('its fields are typed, with units in their names', () => {
    expectTypeOf(run.latency.p95Ms).toEqualTypeOf<number>()
    expectTypeOf(run.latency.count).toEqualTypeOf<number>()
    expectTypeOf(run.errorRate).toEqualTypeOf<number>()
    expectTypeOf(run.throughputPerSec).toEqualTypeOf<number>()
    expectTypeOf(run.durationMs).toEqualTypeOf<number>()
    expectTypeOf(run.name).toEqualTypeOf<string>()
    expectTypeOf(run.totals.errors).toEqualTypeOf<{ total: number, http: number, network: number, timeout: number }>()
    expectTypeOf(run.totals.statusCodes).toEqualTypeOf<Record<string, number>>()
    expectTypeOf(run.timeline[0]!.p99Ms).toEqualTypeOf<number>()
    expectTypeOf(run.histogram).toEqualTypeOf<string>()
  })

  test('run.endpoint(name) returns an EndpointResult, and a run is one too', () => {
    expectTypeOf(run.endpoint).parameters.toEqualTypeOf<[name: string]>()
    expectTypeOf(run.endpoint('GET /users')).toEqualTypeOf<EndpointResult>()
    expectTypeOf(run.endpoints).toEqualTypeOf<EndpointResult[]>()
    expectTypeOf(run).toExtend<EndpointResult>()
    assertType<EndpointResult>(run)
  })

  test('an endpoint has no endpoint() of its own', () => {
    const endpoint = run.endpoint('GET /users')
    // @ts-expect-error only the run looks endpoints up by name
    endpoint.endpoint('GET /users')
    // @ts-expect-error p95 is p95Ms: the unit is in the name
    assertType<number>(run.latency.p95)
  })
})
