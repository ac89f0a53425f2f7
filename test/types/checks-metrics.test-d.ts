import type { CheckResult, CounterMetric, CustomMetricResult, LoadRun, RateMetric, ScenarioResponse, TrendMetric, TrendResult } from '../../src/index.js'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { defineScenario } from '../../src/scenario.js'
import '../../src/index.js'

describe('ctx.check() in a scenario', () => {
  test('types each check function\'s argument as the checked value, and returns a boolean', () => {
    defineScenario({
      async tasks(ctx) {
        const response = await ctx.http.get('/users/1')
        const passed = ctx.check(response, {
          'status is 200': r => r.status === 200,
          'has id': (r) => {
            expectTypeOf(r).toEqualTypeOf<ScenarioResponse>()
            return r.json<{ id?: number }>().id !== undefined
          },
        })
        expectTypeOf(passed).toEqualTypeOf<boolean>()
        ctx.check(42, {
          'is even': n => n % 2 === 0,
        })
      },
    })
  })

  test('refuses checks that do not return a boolean, such as async ones, and values of another type', () => {
    defineScenario({
      async tasks(ctx) {
        const response = await ctx.http.get('/')
        ctx.check(response, {
          // @ts-expect-error an async check returns a promise, which a check cannot wait for
          'status is 200': async r => r.status === 200,
        })
        // @ts-expect-error a check of a response is not a check of a number
        ctx.check(response, {
          positive: (n: number) => n > 0,
        })
        // @ts-expect-error checks are an object of named functions, not one function
        ctx.check(response, r => r.ok)
      },
    })
  })
})

describe('ctx.metrics in a scenario', () => {
  test('counter, rate and trend take a name and offer add()', () => {
    defineScenario({
      tasks(ctx) {
        expectTypeOf(ctx.metrics.counter('orders')).toEqualTypeOf<CounterMetric>()
        expectTypeOf(ctx.metrics.rate('cache hit')).toEqualTypeOf<RateMetric>()
        expectTypeOf(ctx.metrics.trend('queue wait ms')).toEqualTypeOf<TrendMetric>()
        ctx.metrics.counter('orders').add()
        ctx.metrics.counter('orders').add(3)
        ctx.metrics.rate('cache hit').add(true)
        ctx.metrics.trend('queue wait ms').add(12.5)
        // @ts-expect-error a rate counts booleans
        ctx.metrics.rate('cache hit').add(1)
        // @ts-expect-error a trend takes one value
        ctx.metrics.trend('queue wait ms').add()
        // @ts-expect-error a counter adds numbers
        ctx.metrics.counter('orders').add('1')
        // @ts-expect-error there is no gauge
        ctx.metrics.gauge('x')
      },
    })
  })
})

describe('the checks and custom metrics of a run', () => {
  test('run.checks is a list of CheckResult and run.metrics a record narrowed by type', () => {
    const run = {} as LoadRun
    expectTypeOf(run.checks).toEqualTypeOf<CheckResult[]>()
    expectTypeOf(run.checks[0]!).toEqualTypeOf<{ name: string, passes: number, fails: number, passRate: number }>()
    expectTypeOf(run.metrics).toEqualTypeOf<Record<string, CustomMetricResult>>()
    const metric = run.metrics.cart
    if (metric?.type === 'trend')
      expectTypeOf(metric).toEqualTypeOf<TrendResult>()
    if (metric?.type === 'counter')
      expectTypeOf(metric.count).toBeNumber()
    if (metric?.type === 'rate')
      expectTypeOf(metric.rate).toBeNumber()
  })
})

describe('toHaveCheckPassRateAbove', () => {
  test('takes a ratio, and optionally a check name', () => {
    const run = {} as LoadRun
    expect(run).toHaveCheckPassRateAbove(0.99)
    expect(run).toHaveCheckPassRateAbove(0.99, 'status is 200')
    expect(run).not.toHaveCheckPassRateAbove(0.5)
    expect.soft(run).toHaveCheckPassRateAbove(0.9, 'has id')
    expectTypeOf(expect(run).toHaveCheckPassRateAbove).parameters.toEqualTypeOf<[ratio: number, check?: string]>()
    // @ts-expect-error the ratio is a number from 0 to 1, not a percentage string
    expect(run).toHaveCheckPassRateAbove('99%')
    // @ts-expect-error the check is named by a string
    expect(run).toHaveCheckPassRateAbove(0.99, 200)
  })
})
