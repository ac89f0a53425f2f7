import type { Feeder, ScenarioIterationInfo } from '../../src/index.js'
import { describe, expectTypeOf, it } from 'vitest'
import { csvFeeder, defineScenario, feeder } from '../../src/scenario.js'

describe('feeders in defineScenario', () => {
  it('types ctx.data from the feeders of data', () => {
    defineScenario({
      data: {
        product: feeder([
          { id: 1, name: 'pen' },
          { id: 2, name: 'ink' },
        ], { order: 'random' }),
        account: csvFeeder(new URL('./accounts.csv', import.meta.url), { onEnd: 'stop' }),
      },
      tasks: (ctx) => {
        expectTypeOf(ctx.data.product).toEqualTypeOf<{ id: number, name: string }>()
        expectTypeOf(ctx.data.account).toEqualTypeOf<Record<string, string>>()
        expectTypeOf(ctx.iteration).toEqualTypeOf<ScenarioIterationInfo>()
        expectTypeOf(ctx.iteration.global).toEqualTypeOf<number>()
        // @ts-expect-error not a feeder of data
        void ctx.data.missing
      },
    })
  })

  it('types a feeder by its rows', () => {
    expectTypeOf(feeder(['a', 'b'])).toEqualTypeOf<Feeder<string>>()
    // @ts-expect-error not an order
    feeder([1], { order: 'shuffled' })
  })
})
