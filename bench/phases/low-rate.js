// The generator's cost away from full speed (issue 15, item 1): CPU per request at a low fixed rate
// (300 req/s for 10 s, 10 connections), vitest-load's open model with one worker beside hey at the
// same rate (`hey -q rate/c -c c`: every connection paced), the same arrivals sent by a bare undici
// loop (the HTTP client vitest-load is built on), and by plain node:net sockets (Node's own floor).
// Each in its own process, one at a time, the order rotated each round; CPU over the load's own
// window (vitest-load's start-up apart), requests counted at the server.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { aptInstall } from '../lib/apt.js'
import { log, numberFromEnv, quick, withChild } from '../lib/context.js'
import { formatCount, formatFixed, formatTable, median } from '../lib/format.js'

export const lowRateSettings = {
  rate: numberFromEnv('BENCH_LOW_RATE', 300),
  connections: Math.round(numberFromEnv('BENCH_LOW_RATE_CONNECTIONS', 10)),
  durationS: numberFromEnv('BENCH_LOW_RATE_SECONDS', quick ? 3 : 10),
  rounds: Math.round(numberFromEnv('BENCH_LOW_RATE_ROUNDS', quick ? 1 : 3)),
}
/** The bar: vitest-load's CPU per request within 1.5× of hey's. */
const BAR = 1.5
const VITEST_LOAD = 'vitest-load 1 worker'
const HEY = 'hey'

/** hey from Debian, installed here when missing (as root, with apt-get); `null` when it cannot be had. */
function findHey() {
  const which = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v hey'], { encoding: 'utf8' }).trim() || null
    }
    catch {
      return null
    }
  }
  const found = which()
  if (found || process.getuid?.() !== 0)
    return found
  try {
    aptInstall(['hey'], log)
  }
  catch {
    // said below: the table goes on without hey
  }
  return which()
}

/** CPU seconds of this process's children that have ended (and been reaped): /proc/self/stat's cutime + cstime. */
function childrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) / 100
}

/** hey at the same rate: c workers of rate/c requests a second each, for the duration; its whole CPU. */
function runHey(hey, url, { rate, connections, durationS }) {
  return new Promise((resolve, reject) => {
    const before = childrenCpuSeconds()
    const child = spawn(hey, [
      '-z',
      `${durationS}s`,
      '-q',
      String(rate / connections),
      '-c',
      String(connections),
      `${url}/`,
    ], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), (durationS + 30) * 1000)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0)
        return reject(new Error(`hey exited with ${code}: ${output}`))
      const ok = Number(/\[200\]\s+(\d+) responses/.exec(output)?.[1] ?? 0)
      resolve({
        ok,
        windowMs: durationS * 1000,
        cpuS: childrenCpuSeconds() - before,
        p99Ms: Number(/99%+ in ([\d.]+) secs/.exec(output)?.[1] ?? Number.NaN) * 1000,
      })
    })
  })
}

const TOOLS = [
  { name: VITEST_LOAD, file: 'vitest-load.js' },
  { name: 'bare undici', file: 'bare-undici.js' },
  { name: 'node:net floor', file: 'raw-net.js' },
  { name: HEY },
]

export async function benchLowRate(server, url) {
  const { rate, connections, durationS, rounds } = lowRateSettings
  const hey = findHey()
  const tools = TOOLS.filter(tool => tool.name !== HEY || hey)
  log(`\nlow rate: ${formatCount(rate)} req/s for ${durationS} s over ${connections} connections, ${rounds} round(s)${hey ? '' : '; hey is not installed and could not be (apt-get as root): left out'}…`)
  const runs = new Map(tools.map(tool => [tool.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < tools.length; i++) {
      const tool = tools[(i + round) % tools.length]
      await server.request({ type: 'mark' }, 5000)
      const result = tool.name === HEY
        ? await runHey(hey, url, lowRateSettings)
        : await withChild(tool.file, child => child.request({
            type: 'open',
            url,
            rate,
            connections,
            durationMs: durationS * 1000,
          }, durationS * 1000 + 60_000), [])
      const seen = await server.request({ type: 'stats' }, 5000)
      runs.get(tool.name).push({ ...result, serverRequests: seen.requests })
    }
  }
  const rows = tools.map((tool) => {
    const list = runs.get(tool.name)
    const served = list.reduce((sum, run) => sum + run.serverRequests, 0)
    const cpuS = list.reduce((sum, run) => sum + run.cpuS, 0)
    return {
      tool: tool.name,
      serverRequests: served,
      cpuS,
      cpuUsPerRequest: cpuS * 1e6 / served,
      perRound: list.map(run => run.cpuS * 1e6 / run.serverRequests),
      dropped: list.reduce((sum, run) => sum + (run.dropped ?? 0), 0),
      p99Ms: median(list.map(run => run.p99Ms ?? Number.NaN)),
      startupCpuS: tool.name === VITEST_LOAD
        ? median(list.map(run => run.startupCpuS))
        : null,
      threadsMsPerS: tool.name === VITEST_LOAD && list.every(run => run.threadsMsPerS)
        ? Object.fromEntries(['main', 'worker', 'rest'].map(key => [
            key,
            median(list.map(run => run.threadsMsPerS[key])),
          ]))
        : null,
    }
  })
  const heyRow = rows.find(row => row.tool === HEY)
  for (const row of rows) {
    row.vsHey = heyRow
      ? row.cpuUsPerRequest / heyRow.cpuUsPerRequest
      : null
  }
  return { settings: lowRateSettings, bar: BAR, rows }
}

export function printLowRate(result) {
  const { rows, bar } = result
  log(formatTable(
    [
      'tool',
      'requests at server',
      'CPU s (window)',
      'CPU µs / request',
      'rounds µs',
      '× hey',
      'dropped',
      'p99 ms',
    ],
    rows.map(row => [
      row.tool,
      formatCount(row.serverRequests),
      formatFixed(row.cpuS, 2),
      formatFixed(row.cpuUsPerRequest, 0),
      row.perRound.map(value => formatFixed(value, 0)).join(' '),
      row.vsHey === null
        ? '-'
        : `${formatFixed(row.vsHey, 2)}×`,
      formatCount(row.dropped),
      formatFixed(row.p99Ms, 1),
    ]),
  ))
  const ours = rows.find(row => row.tool === VITEST_LOAD)
  if (ours.threadsMsPerS) {
    const { main, worker, rest } = ours.threadsMsPerS
    log(`vitest-load, CPU ms per second of load by thread (median of rounds): test thread ${formatFixed(main, 1)}, worker ${formatFixed(worker, 1)}, other threads (V8 compiler and GC helpers) ${formatFixed(rest, 1)}; start-up (runLoad() to the first request, and teardown) ${formatFixed(ours.startupCpuS, 2)} CPU s, apart.`)
  }
  if (ours.vsHey !== null) {
    log(`the bar: vitest-load's CPU per request within ${bar}× of hey's: ${ours.vsHey <= bar
      ? 'met'
      : 'NOT met'} (${formatFixed(ours.vsHey, 2)}×); bare undici at the same rate ${formatFixed(rows.find(row => row.tool === 'bare undici').vsHey, 2)}×.`)
  }
}
