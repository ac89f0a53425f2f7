import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/{spec,plan,metrics,matchers,report,docs,scenario,baseline}/**/*.test.ts'],
          typecheck: {
            enabled: true,
            include: ['test/types/**/*.test-d.ts'],
          },
        },
      },
      {
        test: {
          name: 'integration',
          // outputs: report files written to disk, redaction through a real run, the HTML in Chromium
          include: ['test/{http,engine,outputs,observe,distributed}/**/*.test.ts'],
          // load tests side by side take CPU from each other and skew each other's numbers
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          // after the integration tests, not beside them: load tests of both at once take each
          // other's CPU, and each would be marked as overlapping the other
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
