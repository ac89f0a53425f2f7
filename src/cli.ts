#!/usr/bin/env node
import { availableParallelism, hostname } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runAgent } from './distributed/agent.js'
import { checkBrokerUrl } from './distributed/broker.js'
import { checkNamespace, DEFAULT_NAMESPACE } from './distributed/settings.js'
import { parseDurationMs } from './spec/duration.js'

const USAGE = `Usage: vitest-load agent [options]

Runs a share of the load of distributed load tests: waits in Redis for a coordinator (a Vitest
test process with VITEST_LOAD_REDIS set) to claim it, runs its share, and waits for the next run.

Options:
  --redis <url>          Redis URL, redis:// or rediss:// (default: $VITEST_LOAD_REDIS)
  --namespace <name>     runs that share one Redis are kept apart by namespace
                         (default: $VITEST_LOAD_NAMESPACE or "default")
  --allow-target <t>     a target this agent may send load to: an origin (http://api:8080),
                         a host name, or "loopback"; repeatable (default: loopback only)
  --workers <n>          worker threads per run (default: the cores, at most 4)
  --index <n>            orders agents, e.g. a Job's completion index (default: by name)
  --name <name>          shown in reports and messages (default: <host>-<pid>)
  --root <dir>           scenario modules are found inside this folder (default: .)
  --once                 take part in one load test, then exit
  --idle-exit <time>     exit once no load test has come for this long, e.g. 2m:
                         for CI jobs and Kubernetes Jobs that must end
  -h, --help             show this

Environment: VITEST_LOAD_REDIS_CA names a PEM file of the CA of a rediss:// server.
Example: npx vitest-load agent --redis redis://127.0.0.1:6379 --allow-target http://127.0.0.1:3000`

function fail(message: string): never {
  process.stderr.write(`vitest-load: ${message}\n\n${USAGE}\n`)
  process.exit(2)
}

function wholeNumber(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined)
    return undefined
  const number = Number(value)
  if (!Number.isInteger(number) || number < min)
    fail(`--${name} must be a whole number of at least ${min}, got "${value}". Example: --${name} ${min + 1}`)
  return number
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === '-h' || command === '--help' || command === undefined) {
    process.stdout.write(`${USAGE}\n`)
    return command === undefined
      ? 2
      : 0
  }
  if (command !== 'agent')
    fail(`unknown command "${command}"`)
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    values = parseArgs({
      args: rest,
      options: {
        'redis': { type: 'string' },
        'namespace': { type: 'string' },
        'allow-target': { type: 'string', multiple: true },
        'workers': { type: 'string' },
        'index': { type: 'string' },
        'name': { type: 'string' },
        'root': { type: 'string' },
        'once': { type: 'boolean' },
        'idle-exit': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
    }).values
  }
  catch (error) {
    fail((error as Error).message)
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const url = (values.redis as string | undefined) ?? process.env.VITEST_LOAD_REDIS
  const problem = checkBrokerUrl(url)
  if (problem)
    fail(`--redis (or VITEST_LOAD_REDIS) ${problem}. Example: --redis redis://127.0.0.1:6379`)
  const idleExit = values['idle-exit'] as string | undefined
  const idleExitMs = idleExit === undefined
    ? undefined
    : parseDurationMs(idleExit)
  if (idleExit !== undefined && !((idleExitMs ?? 0) > 0))
    fail(`--idle-exit must be a duration above 0, got "${idleExit}". Example: --idle-exit 2m`)
  const namespace = (values.namespace as string | undefined) ?? (process.env.VITEST_LOAD_NAMESPACE || DEFAULT_NAMESPACE)
  const namespaceProblem = checkNamespace(namespace)
  if (namespaceProblem)
    fail(`--namespace (or VITEST_LOAD_NAMESPACE) ${namespaceProblem}. Example: --namespace ci-1234`)
  const controller = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => controller.abort(signal))
  return runAgent({
    url: url!,
    caFile: process.env.VITEST_LOAD_REDIS_CA || undefined,
    namespace,
    name: (values.name as string | undefined) ?? `${hostname()}-${process.pid}`,
    index: wholeNumber('index', values.index as string | undefined, 0) ?? null,
    workers: wholeNumber('workers', values.workers as string | undefined, 1) ?? Math.min(4, availableParallelism()),
    root: resolve((values.root as string | undefined) ?? '.'),
    allowTargets: (values['allow-target'] as string[] | undefined) ?? ['loopback'],
    once: values.once === true,
    ...(idleExitMs !== undefined && { idleExitMs }),
    log: line => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
  }, controller.signal)
}

main(process.argv.slice(2)).then(
  code => process.exitCode = code,
  (error: unknown) => {
    process.stderr.write(`vitest-load agent: ${(error as Error)?.message ?? String(error)}\n`)
    process.exitCode = 1
  },
)
