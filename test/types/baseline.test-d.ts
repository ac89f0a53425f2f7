import type { BaselineComparison, BaselineEnvironment, BaselineOptions, BaselineRow, LoadRun, MatcherVerdict } from '../../src/index.js'
import { describe, expect, expectTypeOf, test } from 'vitest'
import '../../src/index.js'

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
