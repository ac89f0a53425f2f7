// A scenario module: what each virtual user does, imported by every worker thread. It imports only
// 'vitest-load/scenario' (never vitest). TypeScript works on Node 20 and 24; keep to erasable syntax
// (no enum or namespace), which is what Node's own type stripping runs.
import { scrypt } from 'node:crypto'
import { between, defineScenario } from 'vitest-load/scenario'

/** What one virtual user keeps between its iterations. */
interface State {
  /** The user this virtual user signed up in onStart. */
  id: number
}

export default defineScenario<State>({
  // once per virtual user, before its first iteration: sign up and keep the new id
  async onStart(ctx) {
    const created = await ctx.http.post('/users', {
      json: { name: `load user ${ctx.user.index}`, age: 30 },
      expectStatus: 201,
    })
    ctx.user.state.id = created.json<{ id: number }>().id
  },

  // each iteration runs one task; in every 6 iterations of a user: browse 3 times, view 2, view own 1
  tasks: [
    {
      name: 'browse',
      weight: 3,
      run: ctx => ctx.http.get('/users', {
        query: { limit: 10, offset: (ctx.user.iteration * 10) % 200 },
      }),
    },
    {
      name: 'view',
      weight: 2,
      // 200 different URLs, one endpoint in the results
      run: ctx => ctx.http.get(`/users/${1 + ctx.user.iteration % 200}`, { name: 'GET /users/[id]' }),
    },
    {
      name: 'view own',
      weight: 1,
      async run(ctx) {
        const response = await ctx.http.get(`/users/${ctx.user.state.id}`, { name: 'GET /users/[id]' })
        // named checks count passes and fails (one that throws, on a body that is not JSON, fails)
        const found = ctx.check(response, {
          'status is 200': r => r.status === 200,
          'is own user': r => r.json<{ id: number }>().id === ctx.user.state.id,
        })
        // custom metrics, merged across users and workers: a counter sums, a rate is the share of
        // true, a trend is a distribution of numbers (min, mean, percentiles, max)
        ctx.metrics.counter('own views').add()
        ctx.metrics.rate('own user found').add(found)
        ctx.metrics.trend('user bytes').add(response.body.length)
        // a task that throws counts as an error under 'task view own'; the user goes on
        if (response.json<{ id: number }>().id !== ctx.user.state.id)
          throw new Error('the API returned another user')
      },
    },
  ],

  // a pause between one user's iterations, as a person reading the page would take (scaled down)
  thinkTime: between('5ms', '20ms'),

  // once per virtual user, after its last iteration. measure() times any async call as if it were
  // a request, under its own name: a database, a queue, or here a password hash
  async onStop(ctx) {
    await ctx.measure('hash password', () => new Promise<void>((resolve, reject) => {
      scrypt(`load user ${ctx.user.index}`, 'salt', 32, error => error
        ? reject(error)
        : resolve())
    }))
  },
})
