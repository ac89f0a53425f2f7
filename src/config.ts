import type { Plugin } from 'vite'
import { LoadReporter, REPORTER_ENV } from './report/vitest-reporter.js'

export interface VitestLoadPluginOptions {
  /**
   * Run test files one at a time, so load tests never compete with each other (or with other
   * test files) for the machine's cores. Set `false` to keep Vitest's own choice.
   * @default true
   */
  sequentialFiles?: boolean
}

interface TestConfigShape {
  reporters?: unknown
  fileParallelism?: boolean
  env?: Record<string, string>
}

/**
 * The Vitest plugin of vitest-load: adds the load reporter (summaries printed in the main process,
 * in colour on a terminal) beside your reporters, and runs test files one at a time.
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config'
 * import { vitestLoad } from 'vitest-load/config'
 *
 * export default defineConfig({ plugins: [vitestLoad()] })
 */
export function vitestLoad(options: VitestLoadPluginOptions = {}): Plugin {
  return {
    name: 'vitest-load',
    config(config) {
      const testConfig = ((config as { test?: TestConfigShape }).test ??= {})
      const reporters = testConfig.reporters === undefined
        ? ['default']
        : Array.isArray(testConfig.reporters)
          ? testConfig.reporters
          : [testConfig.reporters]
      testConfig.reporters = [
        ...reporters,
        new LoadReporter(),
      ]
      if (options.sequentialFiles !== false)
        testConfig.fileParallelism ??= false
      testConfig.env = { ...testConfig.env, [REPORTER_ENV]: '1' }
    },
  }
}

export { LoadReporter }
