// Requests per CPU-second of each generator against the same server, in rounds.
import { log, settings, withChild } from '../lib/context.js'
import { formatCount, formatFixed, formatTable, median } from '../lib/format.js'

/** Each load in its own fresh child: the tool's modules loaded, nothing else running in it. */
export const TOOLS = [
  { name: 'bare undici', file: 'bare-undici.js' },
  { name: 'vitest-load 1 worker', file: 'vitest-load.js', workers: 1 },
  { name: 'vitest-load 2 workers', file: 'vitest-load.js', workers: 2 },
  // the same request from a scenario module's ctx.http (issue 17: its path should get faster)
  {
    name: 'vitest-load scenario',
    file: 'vitest-load.js',
    workers: 1,
    scenario: true,
  },
  { name: 'autocannon', file: 'autocannon.js' },
]
const REFERENCE = 'bare undici'
const PEER = 'autocannon'
const ONE_WORKER = 'vitest-load 1 worker'
const BAR = 0.9

/** One load by one tool: the child's own measurement plus what the server saw meanwhile. */
async function measureLoad(server, url, tool) {
  const durationMs = settings.durationS * 1000
  return withChild(tool.file, async (child) => {
    await server.request({ type: 'mark' }, 5000)
    const result = await child.request({
      type: 'load',
      url,
      connections: settings.connections,
      durationMs,
      workers: tool.workers,
      scenario: tool.scenario === true,
    }, durationMs + 60_000)
    const seen = await server.request({ type: 'stats' }, 5000)
    return { ...result, serverRequests: seen.requests, serverCpuS: seen.cpuS }
  })
}

function summarizeTool(name, runs) {
  const sum = key => runs.reduce((total, run) => total + (run[key] ?? 0), 0)
  const requests = sum('requests')
  const cpuS = sum('cpuS')
  const windowS = sum('windowMs') / 1000
  return {
    tool: name,
    connections: settings.connections,
    requests,
    errors: sum('errors'),
    windowS,
    reqPerSec: requests / windowS,
    cpuS,
    reqPerCpuS: requests / cpuS,
    cpuUsPerRequest: cpuS * 1e6 / requests,
    cpuSPer100k: cpuS * 1e5 / requests,
    serverCpuPercent: 100 * sum('serverCpuS') / windowS,
    p50Ms: median(runs.map(run => run.p50Ms)),
    p99Ms: median(runs.map(run => run.p99Ms)),
    perRound: runs.map(run => ({
      requests: run.requests,
      windowMs: run.windowMs,
      cpuS: run.cpuS,
      reqPerCpuS: run.requests / run.cpuS,
      cpuWithStartupS: run.cpuWithStartupS,
      serverRequests: run.serverRequests,
      serverCpuS: run.serverCpuS,
    })),
  }
}

export async function benchThroughput(server, url) {
  const runs = new Map(TOOLS.map(tool => [tool.name, []]))
  for (let round = 0; round < settings.rounds; round++) {
    // rotate the order, so that over the rounds every tool runs in every position, and a
    // neighbour's load (or a slowly warming machine) weighs on all of them alike
    const order = TOOLS.map((_, i) => TOOLS[(i + round) % TOOLS.length])
    for (const tool of order) {
      const result = await measureLoad(server, url, tool)
      runs.get(tool.name).push(result)
      log(`  round ${round + 1}/${settings.rounds}  ${tool.name.padEnd(22)} ${formatCount(result.requests).padStart(10)} requests  ${formatFixed(result.cpuS, 2).padStart(6)} CPU s  ${formatCount(result.requests / result.cpuS).padStart(7)} req/CPU-s`)
    }
  }
  const rows = TOOLS.map(tool => summarizeTool(tool.name, runs.get(tool.name)))
  const reference = rows.find(row => row.tool === REFERENCE)
  const peer = rows.find(row => row.tool === PEER)
  for (const row of rows) {
    row.vsBare = row.reqPerCpuS / reference.reqPerCpuS
    row.vsAutocannon = row.reqPerCpuS / peer.reqPerCpuS
    // the same ratio within each round (runs close in time), less exposed to a busy machine
    const paired = row.perRound.map((run, i) => run.reqPerCpuS / reference.perRound[i].reqPerCpuS)
    row.vsBarePerRound = {
      median: median(paired),
      min: Math.min(...paired),
      max: Math.max(...paired),
      values: paired,
    }
  }
  return rows
}

export function printThroughput(rows) {
  log()
  log(formatTable(
    [
      'tool',
      'conns',
      'requests',
      'req/s',
      'CPU s',
      'req/CPU-s',
      'CPU µs/req',
      'CPU s/100k',
      'vs bare',
      'vs autocannon',
      'server CPU',
      'p50 ms',
      'p99 ms',
    ],
    rows.map(row => [
      row.tool,
      row.connections,
      formatCount(row.requests),
      formatCount(row.reqPerSec),
      formatFixed(row.cpuS, 2),
      formatCount(row.reqPerCpuS),
      formatFixed(row.cpuUsPerRequest, 1),
      formatFixed(row.cpuSPer100k, 2),
      `${formatFixed(row.vsBare, 2)}x`,
      `${formatFixed(row.vsAutocannon, 2)}x`,
      `${formatFixed(row.serverCpuPercent, 0)} %`,
      formatFixed(row.p50Ms, 2),
      formatFixed(row.p99Ms, 2),
    ]),
  ))
  const oneWorker = rows.find(row => row.tool === ONE_WORKER)
  const { median: pairedMedian, values } = oneWorker.vsBarePerRound
  log()
  for (const row of rows.filter(row => row.tool !== REFERENCE))
    log(`${row.tool} / bare undici, req/CPU-s per round: ${row.vsBarePerRound.values.map(v => `${formatFixed(v, 2)}x`).join(' ')} (median ${formatFixed(row.vsBarePerRound.median, 2)}x)`)
  // one short round swings by ±30 % on a shared machine: judge only a median of several
  const verdict = values.length < 3
    ? `not judged from ${values.length} round(s); run at least 3 (the default without BENCH_QUICK)`
    : oneWorker.vsBare >= BAR && pairedMedian >= BAR
      ? 'met'
      : 'NOT met'
  log(`one vitest-load worker per CPU-second: ${formatFixed(oneWorker.vsBare, 2)}x the bare undici loop over all rounds, ${formatFixed(pairedMedian, 2)}x median of rounds (bar ${BAR}x: ${verdict})`)
  log('CPU s: the generator process (all threads), from its first request to its last response; vitest-load pool start-up is measured below.')
  log('autocannon reports latency in whole milliseconds.')
}
