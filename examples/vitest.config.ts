import { fileURLToPath } from 'node:url'
import { vitestLoad } from 'vitest-load/config'
import { defineConfig } from 'vitest/config'

// `npm run examples`: builds the package, then runs every example. Each example starts its own
// server on 127.0.0.1 in beforeAll and sends it a short, bounded load.
export default defineConfig({
  // the load reporter prints one summary per load test and writes the reports; test files run
  // one at a time. These options are the defaults, spelled out.
  plugins: [
    vitestLoad({
      outputDir: '.vitest-load', // relative to the Vitest root
      formats: ['json', 'html', 'markdown'],
    }),
  ],
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['examples/**/*.load.test.ts'],
    // for runLoad() inside an ordinary test(), which has Vitest's default 5 s timeout otherwise;
    // loadTest() sets its own timeout from the load it plans
    testTimeout: 30_000,
  },
})
