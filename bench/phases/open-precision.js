// The open model at high rates (issue 15, item 2): one worker at 10,000 and 20,000 arrivals a
// second for 10 s against the no-op server, `maxUsers: 200`. Where the machine has the cores, the
// generator's process runs on a core of its own and the server on another (`taskset`); on two
// cores the test thread shares the generator's core with the worker. The bar: under 0.1 % dropped,
// schedule slip p99 under 2 ms, the rate counted at the server within 0.5 %; and when that does
// not hold, the run says the generator fell behind (`saturated`).
import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import process from 'node:process'
import { log, numberFromEnv, quick, withChild } from '../lib/context.js'
import { formatCount, formatFixed, formatTable } from '../lib/format.js'

export const precisionSettings = {
  rates: (process.env.BENCH_PRECISION_RATES ?? (quick ? '10000' : '10000,20000')).split(',').map(Number),
  durationS: numberFromEnv('BENCH_PRECISION_SECONDS', quick ? 3 : 10),
  maxUsers: Math.round(numberFromEnv('BENCH_PRECISION_USERS', 200)),
}

/** Pins every thread of `pid` (and those it starts later) to `cores` ('1', '0-1'); false where taskset is missing. */
function pin(pid, cores) {
  try {
    execFileSync('taskset', [
      '-a',
      '-pc',
      cores,
      String(pid),
    ], { stdio: 'ignore' })
    return true
  }
  catch {
    return false
  }
}

export async function benchOpenPrecision(server, url) {
  const { rates, durationS, maxUsers } = precisionSettings
  const cpus = availableParallelism()
  const generatorCore = String(cpus - 1)
  const pinned = cpus >= 2 && pin(server.pid, '0')
  log(`\nopen-model precision: 1 worker, maxUsers ${maxUsers}, ${durationS} s per rate; ${pinned
    ? `server on core 0, the generator's process on core ${generatorCore}${cpus === 2
      ? ' (its test thread shares that core with the worker)'
      : ''}`
    : 'not pinned (taskset missing or a single core)'}…`)
  const rows = []
  try {
    for (const rate of rates) {
      await server.request({ type: 'mark' }, 5000)
      const result = await withChild('vitest-load.js', (child) => {
        if (pinned)
          pin(child.pid, generatorCore)
        return child.request({
          type: 'precision',
          url,
          rate,
          durationMs: durationS * 1000,
          maxUsers,
        }, durationS * 1000 + 60_000)
      }, [])
      const seen = await server.request({ type: 'stats' }, 5000)
      const intended = rate * durationS
      rows.push({
        rate,
        intended,
        serverRequests: seen.requests,
        ...result,
      })
    }
  }
  finally {
    if (pinned)
      pin(server.pid, `0-${cpus - 1}`)
  }
  return { settings: precisionSettings, pinned, rows }
}

export function printOpenPrecision({ rows }) {
  log(formatTable(
    [
      'rate /s',
      'at server',
      'vs intended',
      'dropped',
      'dropped late',
      'slip p99 ms',
      'slip max ms',
      'worker busy',
      'timer delay p99 ms',
      'saturated',
    ],
    rows.map(row => [
      formatCount(row.rate),
      formatCount(row.serverRequests),
      `${formatFixed(100 * (row.serverRequests / row.intended - 1), 2)} %`,
      `${formatFixed(100 * row.dropped / row.arrivals, 2)} %`,
      formatCount(row.droppedLate),
      formatFixed(row.slipP99Ms, 2),
      formatFixed(row.slipMaxMs, 1),
      `${formatFixed(100 * row.busy, 0)} %`,
      formatFixed(row.delayP99Ms, 1),
      row.saturated
        ? `yes (${row.cause})`
        : 'no',
    ]),
  ))
  const held = rows.filter(row => row.dropped / row.arrivals < 0.001 && row.slipP99Ms < 2 && Math.abs(row.serverRequests / row.intended - 1) <= 0.005)
  const honest = rows.every(row => row.dropped / row.arrivals < 0.001 || row.saturated)
  log(`the bar (under 0.1 % dropped, slip p99 under 2 ms, within 0.5 % at the server): held at ${held.length === 0
    ? 'no rate'
    : held.map(row => formatCount(row.rate)).join(', ')}; every run that dropped more said it was saturated: ${honest ? 'yes' : 'NO'}.`)
}
