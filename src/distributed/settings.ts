import type { DistributedSettings } from './coordinator.js'
import { DistributedRunError } from '../errors.js'
import { parseDurationMs } from '../spec/duration.js'
import { checkBrokerUrl } from './broker.js'

/** The environment that makes a Vitest run distributed; the plugin's `distributed` option sets it for the tests. */
export const DISTRIBUTED_ENV = {
  redis: 'VITEST_LOAD_REDIS',
  namespace: 'VITEST_LOAD_NAMESPACE',
  agents: 'VITEST_LOAD_AGENTS',
  startTimeout: 'VITEST_LOAD_START_TIMEOUT',
  ca: 'VITEST_LOAD_REDIS_CA',
} as const

/** The namespace of runs with none set. */
export const DEFAULT_NAMESPACE = 'default'
/** How long a run waits for its agents by default. */
export const DEFAULT_START_TIMEOUT_MS = 60_000

const NAMESPACE = /^[\w.-]{1,100}$/

/** A namespace may hold letters, digits, `_`, `.` and `-`; returns the problem, or undefined. */
export function checkNamespace(namespace: unknown): string | undefined {
  return typeof namespace === 'string' && NAMESPACE.test(namespace)
    ? undefined
    : `must be 1 to 100 letters, digits, "_", "." or "-", got ${JSON.stringify(namespace)}`
}

/**
 * The distributed settings of this process from its environment, or `undefined` when
 * `VITEST_LOAD_REDIS` is unset (the run is local). Every problem is named before anything connects.
 */
export function distributedSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): DistributedSettings | undefined {
  const url = env[DISTRIBUTED_ENV.redis]
  if (url === undefined || url === '')
    return undefined
  const problems: string[] = []
  const urlProblem = checkBrokerUrl(url)
  if (urlProblem)
    problems.push(`${DISTRIBUTED_ENV.redis} ${urlProblem}. Example: ${DISTRIBUTED_ENV.redis}=redis://127.0.0.1:6379`)
  const namespace = env[DISTRIBUTED_ENV.namespace] || DEFAULT_NAMESPACE
  const namespaceProblem = checkNamespace(namespace)
  if (namespaceProblem)
    problems.push(`${DISTRIBUTED_ENV.namespace} ${namespaceProblem}. Example: ${DISTRIBUTED_ENV.namespace}=ci-1234`)
  const agentsText = env[DISTRIBUTED_ENV.agents]
  const agents = Number(agentsText)
  if (agentsText === undefined || agentsText === '' || !Number.isInteger(agents) || agents < 1) {
    problems.push(`${DISTRIBUTED_ENV.agents} must be the number of agents each load test waits for, 1 or more, got ${agentsText === undefined
      ? 'nothing'
      : JSON.stringify(agentsText)}. Example: ${DISTRIBUTED_ENV.agents}=3`)
  }
  const timeoutText = env[DISTRIBUTED_ENV.startTimeout]
  const startTimeoutMs = timeoutText === undefined || timeoutText === ''
    ? DEFAULT_START_TIMEOUT_MS
    : parseDurationMs(timeoutText)
  if (startTimeoutMs === undefined || startTimeoutMs <= 0)
    problems.push(`${DISTRIBUTED_ENV.startTimeout} must be a duration above 0, got ${JSON.stringify(timeoutText)}. Example: ${DISTRIBUTED_ENV.startTimeout}=5m`)
  if (problems.length > 0)
    throw new DistributedRunError(`The distributed run's settings are invalid:\n${problems.map(problem => `  - ${problem}`).join('\n')}`)
  return {
    url,
    ...(env[DISTRIBUTED_ENV.ca] && { caFile: env[DISTRIBUTED_ENV.ca] }),
    namespace,
    agents,
    startTimeoutMs: startTimeoutMs!,
  }
}
