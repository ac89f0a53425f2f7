import { fileURLToPath } from 'node:url'
import { vitestLoad } from 'vitest-load/config'
import { defineConfig } from 'vitest/config'

// `npm run demo`: builds the package, then runs the demo's load tests against demo/api.ts.
// 'vitest-load' resolves to this package's own dist/ through package.json "exports".
export default defineConfig({
  // the vitestLoad() plugin adds the load reporter (one summary per load test) and runs files one at a time
  plugins: [
    vitestLoad(),
  ],
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['demo/*.load.test.ts'],
  },
})
