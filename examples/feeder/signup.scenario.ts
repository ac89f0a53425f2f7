// Data feeders: each iteration gets its own row, picked by its global iteration index, so rows are
// unique across users and worker threads (as long as there are enough of them).
import { csvFeeder, defineScenario, feeder } from 'vitest-load/scenario'

// ids of the 200 users the demo API starts with, handed out in one seeded random order
const seededIds = Array.from({ length: 200 }, (_, i) => ({ id: i + 1 }))

export default defineScenario({
  data: {
    // read once per worker when the module loads; header row → { name: string, age: string }
    person: csvFeeder(new URL('./new-users.csv', import.meta.url), { onEnd: 'stop' }),
    existing: feeder(seededIds, { order: 'random' }),
  },
  // one iteration: sign up the next person of the CSV file, then look up an existing user
  async tasks(ctx) {
    const { name, age } = ctx.data.person
    await ctx.http.post('/users', {
      json: {
        name,
        age: Number(age),
      },
      expectStatus: 201,
      // ctx.iteration.global numbers the iteration across the whole run: 0, 1, 2 …
      headers: {
        'x-iteration': String(ctx.iteration.global),
      },
    })
    await ctx.http.get(`/users/${ctx.data.existing.id}`, { name: 'GET /users/[id]' })
  },
})
