import type { LoadTestOptions, ScenarioContext, ScenarioResponse } from '../../src/index.js'
import { assertType, describe, expectTypeOf, test } from 'vitest'
import { between, constant, defineScenario, pacing } from '../../src/scenario.js'

describe('defineScenario from vitest-load/scenario', () => {
  test('types the per-user state given as a type argument, through onStart, tasks and onStop', () => {
    defineScenario<{ token: string }>({
      async onStart(ctx) {
        const login = await ctx.http.post('/login', {
          json: { user: ctx.user.index },
        })
        ctx.user.state.token = login.json<{ token: string }>().token
      },
      tasks: [
        {
          name: 'me',
          weight: 3,
          run: ctx => ctx.http.get('/me', {
            headers: { authorization: ctx.user.state.token },
          }),
        },
        {
          run: ctx => expectTypeOf(ctx.user.state.token).toEqualTypeOf<string>(),
        },
      ],
      onStop: ctx => ctx.http.delete('/session'),
      thinkTime: between('1s', '5s'),
    })
  })

  test('ctx.http answers with the response, its body read', () => {
    defineScenario({
      tasks: async (ctx) => {
        expectTypeOf(ctx).toEqualTypeOf<ScenarioContext>()
        const response = await ctx.http.request({
          method: 'PATCH',
          path: '/users/1',
          json: {},
          name: 'PATCH /users/[id]',
          expectStatus: [200, '4xx'],
          timeout: '2s',
        })
        expectTypeOf(response).toEqualTypeOf<ScenarioResponse>()
        expectTypeOf(response.json<{ id: number }>()).toEqualTypeOf<{ id: number }>()
        expectTypeOf(response.body).toBeString()
        await ctx.sleep('100ms')
        expectTypeOf(await ctx.measure('db: query', async () => [1, 2])).toEqualTypeOf<number[]>()
        expectTypeOf(await ctx.measure('sync', () => 'done')).toEqualTypeOf<string>()
      },
      thinkTime: pacing(5000),
    })
  })

  test('thinkTime takes a helper\'s result, not a duration', () => {
    assertType(defineScenario({
      tasks: () => {},
      thinkTime: constant('1s'),
    }))
    defineScenario({
      tasks: () => {},
      // @ts-expect-error a bare duration is not a think time: constant('1s') is
      thinkTime: '1s',
    })
    // @ts-expect-error tasks are required
    defineScenario({
      thinkTime: constant('1s'),
    })
  })

  test('loadTest options take the scenario as a URL or a path', () => {
    assertType<LoadTestOptions>({
      target: 'http://127.0.0.1:3000',
      scenario: new URL('./x.scenario.ts', import.meta.url),
      load: { users: 1, iterations: 1 },
    })
    assertType<LoadTestOptions>({
      target: 'http://127.0.0.1:3000',
      scenario: './x.scenario.ts',
      load: { users: 1, iterations: 1 },
    })
  })
})
