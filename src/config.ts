import type { Plugin } from 'vitest/config'
import type { InterruptReports } from './report/interrupt.js'
import type { LoadReporterOptions } from './report/vitest-reporter.js'
import type { ReportFormat } from './report/write-reports.js'
import { isAbsolute, resolve } from 'node:path'
import { checkBrokerUrl } from './distributed/broker.js'
import { checkNamespace, DISTRIBUTED_ENV } from './distributed/settings.js'
import { InvalidPluginOptionsError } from './errors.js'
import { newProgressSocketPath, PROGRESS_SOCKET_ENV } from './progress/channel.js'
import { ProgressReporter } from './progress/reporter.js'
import { REPORTS_ENV } from './report/interrupt.js'
import { DEFAULT_OUTPUT_DIR, LoadReporter, REPORTER_ENV } from './report/vitest-reporter.js'
import { REPORT_FORMATS } from './report/write-reports.js'
import { describeValue } from './spec/describe-value.js'
import { parseDurationMs } from './spec/duration.js'

export interface VitestLoadPluginOptions extends LoadReporterOptions {
  /**
   * Run test files one at a time, so load tests never compete with each other (or with other
   * test files) for the machine's cores. Set `false` to keep Vitest's own choice.
   * @default true
   */
  sequentialFiles?: boolean
  /**
   * Live progress of each load test while it runs: elapsed and planned time, active users, the
   * current req/s, the p95 and errors so far. On a terminal, one line per load test in Vitest's own
   * window, redrawn 4 times a second and removed when the test ends; without one (CI), a plain line
   * per load test at most every 10 s.
   * @default true
   */
  progress?: boolean
  /**
   * Runs every load test over agents through Redis (docs/distributed.md), unless a test sets
   * `distributed: false`. Sets the tests' `VITEST_LOAD_*` environment; a variable already set in
   * the environment wins, so CI can point the same config elsewhere. Off when absent or `false`.
   * @example vitestLoad({ distributed: process.env.REDIS_URL ? { redis: process.env.REDIS_URL, agents: 3 } : false })
   */
  distributed?: DistributedPluginOptions | false
}

/** The plugin's `distributed` option: where the agents are, and how many each load test waits for. */
export interface DistributedPluginOptions {
  /** `redis://` or `rediss://` URL, credentials included (never shown: `***` in any output). */
  redis: string
  /** Agents each load test claims; it waits for them up to `startTimeout`. */
  agents: number
  /** Keeps runs that share one Redis apart, e.g. the CI run's id. @default 'default' */
  namespace?: string
  /** How long a load test waits for its agents, e.g. `'5m'` for CI jobs that start minutes apart. @default '60s' */
  startTimeout?: string
}

interface TestConfigShape {
  fileParallelism?: boolean
  env?: Record<string, string>
  root?: string
}

/** Every problem with the plugin's options, each with the value received and an example. */
function checkOptions(options: VitestLoadPluginOptions): string[] {
  const problems: string[] = []
  const { outputDir, formats, progress, sequentialFiles } = options
  if (outputDir !== undefined && (typeof outputDir !== 'string' || outputDir.trim() === ''))
    problems.push(`outputDir must be a folder path, relative to the Vitest root or absolute, got ${describeValue(outputDir)}. Example: vitestLoad({ outputDir: '${DEFAULT_OUTPUT_DIR}' })`)
  if (formats !== undefined && (!Array.isArray(formats) || !formats.every(format => REPORT_FORMATS.includes(format))))
    problems.push(`formats must be an array of ${REPORT_FORMATS.map(format => `'${format}'`).join(', ')}, got ${describeValue(formats)}. Example: vitestLoad({ formats: ['json', 'markdown'] })`)
  for (const [name, value] of [
    ['progress', progress],
    ['sequentialFiles', sequentialFiles],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      problems.push(`${name} must be true or false, got ${describeValue(value)}. Example: vitestLoad({ ${name}: false })`)
  }
  problems.push(...checkDistributed(options.distributed))
  return problems
}

function checkDistributed(distributed: unknown): string[] {
  if (distributed === undefined || distributed === false)
    return []
  const example = `vitestLoad({ distributed: { redis: 'redis://127.0.0.1:6379', agents: 3 } })`
  if (distributed === null || typeof distributed !== 'object')
    return [`distributed must be an object or false, got ${describeValue(distributed)}. Example: ${example}`]
  const { redis, agents, namespace, startTimeout, ...rest } = distributed as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(rest))
    problems.push(`distributed.${key} is not an option; the options are redis, agents, namespace, startTimeout. Example: ${example}`)
  const redisProblem = checkBrokerUrl(redis)
  if (redisProblem)
    problems.push(`distributed.redis ${redisProblem}. Example: ${example}`)
  if (typeof agents !== 'number' || !Number.isInteger(agents) || agents < 1)
    problems.push(`distributed.agents must be a whole number of agents, 1 or more, got ${describeValue(agents)}. Example: ${example}`)
  const namespaceProblem = namespace === undefined
    ? undefined
    : checkNamespace(namespace)
  if (namespaceProblem)
    problems.push(`distributed.namespace ${namespaceProblem}. Example: vitestLoad({ distributed: { redis, agents: 3, namespace: 'ci-1234' } })`)
  if (startTimeout !== undefined && !((parseDurationMs(startTimeout) ?? 0) > 0))
    problems.push(`distributed.startTimeout must be a duration above 0, got ${describeValue(startTimeout)}. Example: vitestLoad({ distributed: { redis, agents: 3, startTimeout: '5m' } })`)
  return problems
}

/**
 * One progress socket per Vitest process, whichever plugin instance (one per project config) sets
 * the tests' environment and whichever adds the reporter.
 */
let progressSocketPath: string | undefined

/**
 * The Vitest plugin of vitest-load: adds the load reporter (summaries printed in the main process,
 * in colour on a terminal; JSON, HTML and Markdown reports written to `.vitest-load/`) and the live
 * progress of each load test beside your reporters, and runs test files one at a time.
 * @example
 * // vitest.config.ts
 * import { vitestLoad } from 'vitest-load/config'
 * import { defineConfig } from 'vitest/config'
 *
 * export default defineConfig({ plugins: [vitestLoad({ formats: ['json', 'html', 'markdown'] })] })
 */
export function vitestLoad(options: VitestLoadPluginOptions = {}): Plugin {
  const problems = checkOptions(options)
  if (problems.length > 0)
    throw new InvalidPluginOptionsError('vitestLoad()', problems)
  return {
    name: 'vitest-load',
    config(config) {
      const testConfig = ((config as { test?: TestConfigShape }).test ??= {})
      if (options.sequentialFiles !== false)
        testConfig.fileParallelism ??= false
      // tests leave the summary to the reporter, which configureVitest makes sure is there
      testConfig.env = { ...testConfig.env, [REPORTER_ENV]: '1' }
      // a distributed run's settings, for the tests; the environment's own win
      if (options.distributed) {
        const { redis, agents, namespace, startTimeout } = options.distributed
        for (const [name, value] of [
          [DISTRIBUTED_ENV.redis, redis],
          [
            DISTRIBUTED_ENV.agents,
            String(agents),
          ],
          [DISTRIBUTED_ENV.namespace, namespace],
          [DISTRIBUTED_ENV.startTimeout, startTimeout],
        ] as const) {
          if (value !== undefined && !process.env[name])
            testConfig.env[name] = value
        }
      }
      // where tests send their live progress: the socket the progress reporter listens on
      if (options.progress !== false)
        testConfig.env[PROGRESS_SOCKET_ENV] = progressSocketPath ??= newProgressSocketPath()
      // where the reporter writes, for a test process that must write its runs itself (its Vitest
      // main process gone: Ctrl-C in `vitest run`, a signal to it): resolved as the reporter does
      const root = resolve(testConfig.root ?? (config as { root?: string }).root ?? process.cwd())
      const outputDir = options.outputDir ?? DEFAULT_OUTPUT_DIR
      testConfig.env[REPORTS_ENV] = JSON.stringify({
        root,
        outputDir: isAbsolute(outputDir)
          ? outputDir
          : resolve(root, outputDir),
        formats: [
          ...(options.formats ?? REPORT_FORMATS),
        ],
      } satisfies InterruptReports)
    },
    // Runs once the reporters are resolved from the config and the command line, and before they
    // are created: adding ours here keeps it even when `--reporter=…` replaces the config's list.
    configureVitest({ vitest }) {
      const reporters = vitest.config.reporters as unknown[]
      if (!reporters.some(reporter => reporter instanceof LoadReporter))
        reporters.push(new LoadReporter({ outputDir: options.outputDir, formats: options.formats }))
      if (options.progress !== false && !reporters.some(reporter => reporter instanceof ProgressReporter))
        reporters.push(new ProgressReporter(progressSocketPath ??= newProgressSocketPath()))
    },
  }
}

export { InvalidPluginOptionsError, LoadReporter }
export type { LoadReporterOptions, ReportFormat }
