// The generator ceiling: how many requests vitest-load drives per CPU-second against a no-op
// server on 127.0.0.1, beside a bare undici dispatch loop (the reference) and autocannon, plus the
// pool's start-up time and memory over a long run. Run with `npm run bench` (BENCH_QUICK=1 for a
// short check). The bar: one vitest-load worker ≥ 0.9× the bare loop's requests per CPU-second.
//
// Every tool runs in its own child process, one at a time, and the server in another, so each CPU
// reading (process.cpuUsage(), every thread of the process) belongs to one generator only.
//
// Settings (environment; defaults: full ≈ 2.5–3 min, BENCH_QUICK=1 ≈ 20 s):
//   BENCH_CONNECTIONS 32         users of vitest-load = connections of the others
//   BENCH_DURATION 4 (quick 2)   seconds of each load
//   BENCH_ROUNDS 4 (quick 1)     every tool once per round, the order rotated each round
//   BENCH_STARTUP_RUNS 5         runs of one request per worker, for the pool's start-up time
//   BENCH_MEMORY_REQUESTS 2.5e6, BENCH_MEMORY_MAX_SECONDS 75, BENCH_MEMORY_WARMUP_SECONDS 10,
//   BENCH_MEMORY_WORKERS (1 or 2; default the faster), BENCH_HEAP_SECONDS 20
//   BENCH_PROFILE=1              --cpu-prof for every generator child, into bench/results/profiles
// Results are also written to bench/results/<time>.json (git-ignored).
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg } from 'node:os'
import process from 'node:process'
import { log, quick, resultsDir, settings } from './lib/context.js'
import { startChild } from './lib/parent.js'
import { benchHeap, benchMemory, printHeap, printMemory } from './phases/memory.js'
import { benchStartup, printStartup } from './phases/startup.js'
import { benchThroughput, printThroughput } from './phases/throughput.js'

async function main() {
  const startedAt = new Date()
  log(`vitest-load generator bench${quick ? ' (quick)' : ''}: ${settings.connections} connections, ${settings.durationS} s per load, ${settings.rounds} round(s); ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}`)
  const server = startChild(new URL('./server.js', import.meta.url), { execArgv: [] })
  try {
    const { url } = await server.request({ type: 'listen' }, 10_000)
    log(`server: node:http on ${url} in its own process (pid ${server.pid})\n`)

    const throughput = await benchThroughput(server, url)
    printThroughput(throughput)
    const startup = await benchStartup(server, url)
    printStartup(startup)
    const memory = await benchMemory(url, throughput)
    printMemory(memory)
    const heap = await benchHeap(url)
    printHeap(heap)

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
      startup,
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
