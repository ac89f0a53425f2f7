// What every phase of the bench shares: the settings (from the environment), output, and a
// child process per measurement.
import process from 'node:process'
import { startChild } from './parent.js'

const env = process.env
export const quick = env.BENCH_QUICK === '1'

/** A number above 0 from the environment, `fallback` when unset; anything else is an error with an example. */
export function numberFromEnv(name, fallback) {
  const raw = env[name]
  if (raw === undefined || raw === '')
    return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a number above 0, got '${raw}'. Example: ${name}=${fallback}`)
  return value
}

export const settings = {
  quick,
  connections: Math.round(numberFromEnv('BENCH_CONNECTIONS', 32)),
  durationS: numberFromEnv('BENCH_DURATION', quick ? 2 : 4),
  rounds: Math.round(numberFromEnv('BENCH_ROUNDS', quick ? 1 : 4)),
  startupRuns: Math.round(numberFromEnv('BENCH_STARTUP_RUNS', quick ? 2 : 5)),
  memoryRequests: Math.round(numberFromEnv('BENCH_MEMORY_REQUESTS', quick ? 50_000 : 2_500_000)),
  memoryMaxS: numberFromEnv('BENCH_MEMORY_MAX_SECONDS', quick ? 4 : 75),
  memoryWarmupS: numberFromEnv('BENCH_MEMORY_WARMUP_SECONDS', quick ? 1 : 10),
  // unset: whichever of 1 or 2 workers drove more requests per second above
  memoryWorkers: env.BENCH_MEMORY_WORKERS
    ? Math.round(numberFromEnv('BENCH_MEMORY_WORKERS', 1))
    : null,
  heapS: numberFromEnv('BENCH_HEAP_SECONDS', quick ? 3 : 20),
  profile: env.BENCH_PROFILE === '1',
}

const children = new URL('../children/', import.meta.url)
export const resultsDir = new URL('../results/', import.meta.url)
const childExecArgv = settings.profile
  ? ['--cpu-prof', `--cpu-prof-dir=${new URL('profiles/', resultsDir).pathname}`]
  : []

export function log(line = '') {
  process.stdout.write(`${line}\n`)
}

/** Runs `use(child)` with a fresh child process running bench/children/`file`, and always stops it. */
export async function withChild(file, use, execArgv = childExecArgv) {
  const child = startChild(new URL(file, children), { execArgv, quiet: true })
  try {
    return await use(child)
  }
  finally {
    await child.stop()
  }
}
