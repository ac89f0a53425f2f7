// The generator's cost and precision against a no-op server on 127.0.0.1, each beside a reference
// measured in the same run: requests per CPU-second at full speed (a bare undici dispatch loop,
// autocannon); CPU per request at a low fixed rate (hey, a bare undici loop, plain node:net); the
// open model at 10,000 and 20,000 arrivals a second (dropped, schedule slip, the server's count);
// the pool's start-up (a bare Piscina pool that imports undici); 1,000 and 10,000 users (memory per
// user, time to connect them all); memory over a long run. Run with `npm run bench`
// (BENCH_QUICK=1 for a short check); docs/performance.md gives the figures and the bars.
//
// Every tool runs in its own child process, one at a time, and the server in another, so each CPU
// reading (process.cpuUsage(), every thread of the process) belongs to one generator only.
//
// Settings (environment; defaults: full ≈ 8 min, BENCH_QUICK=1 ≈ 1 min):
//   BENCH_CONNECTIONS 32         users of vitest-load = connections of the others
//   BENCH_DURATION 4 (quick 2)   seconds of each load
//   BENCH_ROUNDS 4 (quick 1)     every tool once per round, the order rotated each round
//   BENCH_STARTUP_RUNS 5         runs of one request per worker, for the pool's start-up time
//   BENCH_MEMORY_REQUESTS 2.5e6, BENCH_MEMORY_MAX_SECONDS 75, BENCH_MEMORY_WARMUP_SECONDS 10,
//   BENCH_MEMORY_WORKERS (1 or 2; default the faster), BENCH_HEAP_SECONDS 20
//   BENCH_PROFILE=1              --cpu-prof for every generator child, into bench/results/profiles
//   BENCH_LOW_RATE 300, BENCH_LOW_RATE_SECONDS 10 (quick 3), BENCH_LOW_RATE_ROUNDS 3 (quick 1),
//   BENCH_LOW_RATE_CONNECTIONS 10; BENCH_PRECISION_RATES 10000,20000 (quick 10000),
//   BENCH_PRECISION_SECONDS 10 (quick 3), BENCH_PRECISION_USERS 200;
//   BENCH_USERS_LEVELS 1000,10000 (quick 1000), BENCH_USERS_SECONDS 10 (quick 3)
//   BENCH_PHASES throughput,low-rate,…  only these phases (default all: throughput, low-rate,
//   precision, startup, users, memory, heap)
// Results are also written to bench/results/<time>.json (git-ignored).
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg } from 'node:os'
import process from 'node:process'
import { log, quick, resultsDir, settings } from './lib/context.js'
import { startChild } from './lib/parent.js'
import { benchLowRate, printLowRate } from './phases/low-rate.js'
import { benchHeap, benchMemory, printHeap, printMemory } from './phases/memory.js'
import { benchOpenPrecision, printOpenPrecision } from './phases/open-precision.js'
import { benchStartup, printStartup } from './phases/startup.js'
import { benchThroughput, printThroughput } from './phases/throughput.js'
import { benchUsers, printUsers } from './phases/users.js'

const PHASES = [
  'throughput',
  'low-rate',
  'precision',
  'startup',
  'users',
  'memory',
  'heap',
]
const chosen = process.env.BENCH_PHASES?.split(',').map(name => name.trim()).filter(Boolean) ?? PHASES
const unknown = chosen.filter(name => !PHASES.includes(name))
if (unknown.length > 0)
  throw new Error(`BENCH_PHASES names unknown phases: ${unknown.join(', ')}. Known: ${PHASES.join(', ')}. Example: BENCH_PHASES=throughput,low-rate`)

/** Runs and prints one phase of the bench, or skips it (null) when BENCH_PHASES leaves it out. */
async function phase(name, bench, print) {
  if (!chosen.includes(name))
    return null
  const result = await bench()
  print(result)
  return result
}

async function main() {
  const startedAt = new Date()
  log(`vitest-load generator bench${quick ? ' (quick)' : ''}: ${settings.connections} connections, ${settings.durationS} s per load, ${settings.rounds} round(s); ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}`)
  const server = startChild(new URL('./server.js', import.meta.url), { execArgv: [] })
  try {
    const { url } = await server.request({ type: 'listen' }, 10_000)
    log(`server: node:http on ${url} in its own process (pid ${server.pid})\n`)

    const throughput = await phase('throughput', () => benchThroughput(server, url), printThroughput)
    const lowRate = await phase('low-rate', () => benchLowRate(server, url), printLowRate)
    const openPrecision = await phase('precision', () => benchOpenPrecision(server, url), printOpenPrecision)
    const startup = await phase('startup', () => benchStartup(server, url), printStartup)
    const users = await phase('users', () => benchUsers(server, url), printUsers)
    const memory = await phase('memory', () => benchMemory(url, throughput), printMemory)
    const heap = await phase('heap', () => benchHeap(url), printHeap)

    await mkdir(resultsDir, { recursive: true })
    const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
    const file = new URL(`${stamp}${quick ? '-quick' : ''}.json`, resultsDir)
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: availableParallelism(),
        model: cpus()[0]?.model,
        loadAverageAtStart: loadavg(),
        node: process.version,
        platform: process.platform,
      },
      settings,
      throughput,
      lowRate,
      openPrecision,
      startup,
      users,
      memory,
      heap,
    }
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
    log(`\nresults: ${file.pathname} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s)`)
  }
  finally {
    await server.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
