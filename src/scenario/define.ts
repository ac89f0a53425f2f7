import type { Scenario, ScenarioData, ScenarioState } from './types.js'

/**
 * Declares a scenario module's default export, with its types: `onStart` once per user, one of
 * `tasks` per iteration, `thinkTime` between iterations, `onStop` once per user. Feeders in
 * `data` hand each iteration a row, `ctx.data.<name>`, by its global index. It returns its
 * argument unchanged; each worker imports the module and checks the shape.
 * @example
 * // users.scenario.ts
 * import { between, defineScenario } from 'vitest-load/scenario'
 *
 * export default defineScenario<{ token: string }>({
 *   async onStart(ctx) {
 *     const login = await ctx.http.post('/login', { json: { user: `user${ctx.user.index}` } })
 *     ctx.user.state.token = login.json<{ token: string }>().token
 *   },
 *   tasks: [
 *     { name: 'browse', weight: 3, run: ctx => ctx.http.get('/items') },
 *     { name: 'view', weight: 1, run: ctx => ctx.http.get(`/items/${ctx.user.iteration % 10}`, { name: 'GET /items/[id]' }) },
 *   ],
 *   thinkTime: between('1s', '3s'),
 * })
 */
export function defineScenario<State extends object = ScenarioState, Data extends ScenarioData = ScenarioData>(scenario: Scenario<State, Data>): Scenario<State, Data> {
  return scenario
}
