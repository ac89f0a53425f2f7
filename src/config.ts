import type { Plugin } from 'vitest/config'
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
  fileParallelism?: boolean
  env?: Record<string, string>
}

/**
 * The Vitest plugin of vitest-load: adds the load reporter (summaries printed in the main process,
 * in colour on a terminal) beside your reporters, and runs test files one at a time.
 * @example
 * // vitest.config.ts
 * import { vitestLoad } from 'vitest-load/config'
 * import { defineConfig } from 'vitest/config'
 *
 * export default defineConfig({ plugins: [vitestLoad()] })
 */
export function vitestLoad(options: VitestLoadPluginOptions = {}): Plugin {
  return {
    name: 'vitest-load',
    config(config) {
      const testConfig = ((config as { test?: TestConfigShape }).test ??= {})
      if (options.sequentialFiles !== false)
        testConfig.fileParallelism ??= false
      // tests leave the summary to the reporter, which configureVitest makes sure is there
      testConfig.env = { ...testConfig.env, [REPORTER_ENV]: '1' }
    },
    // Runs once the reporters are resolved from the config and the command line, and before they
    // are created: adding ours here keeps it even when `--reporter=…` replaces the config's list.
    configureVitest({ vitest }) {
      const reporters = vitest.config.reporters as unknown[]
      if (!reporters.some(reporter => reporter instanceof LoadReporter))
        reporters.push(new LoadReporter())
    },
  }
}

export { LoadReporter }
