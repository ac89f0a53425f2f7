import type { ABRuns, BaselineComparison, BaselineEnvironment, BaselineOptions, BaselineRow, LoadRun, MatcherVerdict, RunABSettings } from '../../src/index.js'
import { describe, expect, expectTypeOf, test } from 'vitest'
import { runAB } from '../../src/index.js'

describe('toMatchBaseline', () => {
  test('takes per-metric tolerances and a name, or nothing', () => {
    const run = {} as LoadRun
    expect(run).toMatchBaseline()
    expect(run).toMatchBaseline({ p95: '+10%', throughput: '-5%' })
    expect(run).toMatchBaseline({
      p50: 0.1,
      p99: false,
      errorRate: '+1%',
      name: 'cold cache',
    })
    expect(run.endpoint('GET /users')).toMatchBaseline({ p95: '+15%' })
    expect.soft(run).toMatchBaseline()
    expectTypeOf(expect(run).toMatchBaseline).parameters.toEqualTypeOf<[options?: BaselineOptions]>()
    // @ts-expect-error p90 is not compared: the metrics are p50, p95, p99, throughput and errorRate
    expect(run).toMatchBaseline({ p90: '+10%' })
    // @ts-expect-error a tolerance is a string, a number or false
    expect(run).toMatchBaseline({ p95: true })
    expect(run).toMatchBaseline({ environment: 'lenient' })
    expect(run).toMatchBaseline({ environment: false })
    // @ts-expect-error the strictness is 'strict', 'lenient' or false
    expect(run).toMatchBaseline({ environment: 'loose' })
  })

  test('puts the comparison in the verdict, metric by metric', () => {
    const verdict = {} as MatcherVerdict
    expectTypeOf(verdict.baseline).toEqualTypeOf<BaselineComparison | undefined>()
    const row = {} as BaselineRow
    expectTypeOf(row.verdict).toEqualTypeOf<'regressed' | 'improved' | 'inconclusive' | 'within tolerance' | 'unchanged'>()
    expectTypeOf(row.confidence).toEqualTypeOf<number | null>()
    expectTypeOf(row.text.change).toBeString()
    expectTypeOf(row.detectable).toEqualTypeOf<number | null>()
    expectTypeOf(row.runs).toBeNumber()
    expectTypeOf(row.text.detectable).toBeString()
    const comparison = {} as BaselineComparison
    expectTypeOf(comparison.notComparable).toEqualTypeOf<string[] | undefined>()
    expectTypeOf(comparison.environment).toEqualTypeOf<{ baseline: BaselineEnvironment | null, now: BaselineEnvironment } | undefined>()
  })
})

describe('toMatchRun and runAB', () => {
  test('takes the other run, or the other side\'s slices, and the tolerances of toMatchBaseline', async () => {
    const [before, after] = [{} as LoadRun, {} as LoadRun]
    expect(after).toMatchRun(before)
    expect(after).toMatchRun(before, { p95: '+10%', p99: false })
    expect(after.endpoint('GET /users')).toMatchRun(before.endpoint('GET /users'))
    expect.soft(after).toMatchRun(before)
    // @ts-expect-error the other run is required
    expect(after).toMatchRun()
    // @ts-expect-error a name is a baseline's: two runs have no stored file
    expect(after).toMatchRun(before, { name: 'x' })
    // @ts-expect-error p90 is not compared
    expect(after).toMatchRun(before, { p90: '+10%' })
    const runs = await runAB({ a: 'http://127.0.0.1:3001', b: 'http://127.0.0.1:3002' }, {
      request: { path: '/items' },
      load: { users: 4, duration: '2s' },
    }, { pairs: 6 })
    expectTypeOf(runs).toEqualTypeOf<ABRuns>()
    expectTypeOf(runs.a).toEqualTypeOf<LoadRun[]>()
    expectTypeOf(runs.order).toEqualTypeOf<('a' | 'b')[]>()
    expect(runs.b).toMatchRun(runs.a, { throughput: '-5%' })
    expectTypeOf(runAB).parameter(2).toEqualTypeOf<RunABSettings | undefined>()
    // @ts-expect-error the targets are a and b
    await runAB({ a: 'http://127.0.0.1:3001' }, {
      load: { users: 1, duration: '1s' },
    })
    await runAB({ a: 'http://127.0.0.1:3001', b: 'http://127.0.0.1:3002' }, {
      // @ts-expect-error runAB takes its targets in its first argument, not in the options
      target: 'http://127.0.0.1:3003',
      load: { users: 1, duration: '1s' },
    })
    const comparison = {} as BaselineComparison
    expectTypeOf(comparison.against).toEqualTypeOf<string | undefined>()
  })
})
