// The bench's scenario: the same request as the declarative tools send, through ctx.http.
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { defineScenario } from '../../dist/scenario.js'

export default defineScenario({
  tasks: ctx => ctx.http.get('/'),
})
