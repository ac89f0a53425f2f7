import type { BreakingPointLoadOptions, BreakingPointResult, GeneratorHealth, LoadModelOptions, LoadRun, OpenLoadOptions, RampingRateOptions, RampingUsersOptions, ScenarioContext, StepLoadOptions } from '../../src/index.js'
import { expectTypeOf, it } from 'vitest'

it('exports the option types of every load model from vitest-load', () => {
  expectTypeOf<OpenLoadOptions>().toExtend<LoadModelOptions>()
  expectTypeOf<RampingRateOptions>().toExtend<LoadModelOptions>()
  expectTypeOf<RampingUsersOptions>().toExtend<LoadModelOptions>()
  expectTypeOf<BreakingPointLoadOptions>().toExtend<LoadModelOptions>()
  expectTypeOf<StepLoadOptions>().toExtend<LoadModelOptions>()
})

it('exports the result types a run holds, and the scenario context', () => {
  expectTypeOf<LoadRun['breakingPoint']>().toEqualTypeOf<BreakingPointResult | null>()
  expectTypeOf<LoadRun['generatorHealth']>().toEqualTypeOf<GeneratorHealth>()
  expectTypeOf<ScenarioContext>().toHaveProperty('http')
})
