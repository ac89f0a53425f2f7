// How often toMatchBaseline cries wolf, and whether it catches a real slowdown: a baseline of
// MAX_RUNS runs against a target that answers after 20 ms, then BASELINE_RUNS runs against the same target
// unchanged and BASELINE_RUNS against it 15 % slower (23 ms), interleaved so that whatever the
// machine does over the minutes touches both alike. Each run goes through the real matcher with a
// baseline file read from disk, as in CI (update state 'none'). Run with `npm run bench:baseline`.
// The bar (issue 6): at most 1 false alarm in 50 unchanged runs, all 50 slowed runs flagged.
//
// Settings (environment): BASELINE_RUNS 50, BASELINE_DURATION 6 (s per run), BASELINE_USERS 10,
// BASELINE_DELAY_MS 20, BASELINE_SLOWDOWN 0.15. Takes about 2 × runs × (duration + 0.5) s.
// Results are also written to bench/results/baseline-<time>.json (git-ignored).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
// eslint-disable-next-line antfu/no-import-dist
import { MAX_RUNS } from '../dist/baseline/compare.js'
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { runLoad } from '../dist/run-load.js'
import { matchBaseline } from './lib/baseline-match.js'
import { resultsDir } from './lib/context.js'
import { startChild } from './lib/parent.js'

function number(name, fallback) {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a number above 0, got '${process.env[name]}'. Example: ${name}=${fallback}`)
  return value
}
const runs = Math.round(number('BASELINE_RUNS', 50))
const durationS = number('BASELINE_DURATION', 6)
const users = Math.round(number('BASELINE_USERS', 10))
const delayMs = number('BASELINE_DELAY_MS', 20)
const slowdown = number('BASELINE_SLOWDOWN', 0.15)
const slowMs = Math.round(delayMs * (1 + slowdown))

// runLoad prints a summary per run outside a Vitest reporter; 101 of them would bury the result
process.env.VITEST_LOAD_REPORTER = '1'

const log = line => process.stdout.write(`${line}\n`)

async function main() {
  const folder = await mkdtemp(join(tmpdir(), 'vitest-load-baseline-bench-'))
  const testPath = join(folder, 'bench.load.test.ts')
  const server = startChild(new URL('./delay-server.js', import.meta.url))
  const startedAt = new Date()
  try {
    const { url } = await server.request({ type: 'listen' }, 10_000)
    const options = {
      target: url,
      request: { path: '/' },
      load: { users, duration: `${durationS}s` },
    }
    log(`vitest-load baseline bench: ${users} users × ${durationS} s per run against ${url} (own process), delay ${delayMs} ms, slowed ${slowMs} ms (+${Math.round((slowMs / delayMs - 1) * 100)} %); ${runs} + ${runs} runs; ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}`)

    await server.request({ type: 'delay', ms: delayMs }, 5_000)
    // one run to warm the JIT and the sockets, then the baseline, as a first local run records it
    await runLoad({
      ...options,
      load: { users, duration: '2s' },
    }, { name: 'bench' })
    const recorded = matchBaseline(testPath, await runLoad(options, { name: 'bench' }), 'new')
    log(`baseline ${recorded.status} in ${join(folder, '__baselines__')}`)
    // and filled with runs, as local runs that pass fill it, so that the spread between runs is known
    for (let added = 1; added < MAX_RUNS; added++)
      matchBaseline(testPath, await runLoad(options, { name: 'bench' }), 'new')

    const results = { unchanged: [], slowed: [] }
    for (let index = 0; index < runs; index++) {
      for (const kind of index % 2 === 0
        ? ['unchanged', 'slowed']
        : ['slowed', 'unchanged']) {
        await server.request({
          type: 'delay',
          ms: kind === 'slowed'
            ? slowMs
            : delayMs,
        }, 5_000)
        const run = await runLoad(options, { name: 'bench' })
        const outcome = matchBaseline(testPath, run, 'none')
        const changes = Object.fromEntries(outcome.rows.map(row => [
          row.metric,
          {
            change: row.change,
            low: row.low,
            high: row.high,
            verdict: row.verdict,
          },
        ]))
        results[kind].push({
          flagged: !outcome.pass,
          requests: run.totals.requests,
          p95Ms: run.latency.p95Ms,
          changes,
        })
        const p95 = changes.p95
        log(`${String(index + 1).padStart(3)} ${kind.padEnd(9)} ${outcome.pass ? 'pass   ' : 'FLAGGED'} p95 ${run.latency.p95Ms.toFixed(2)} ms, change ${(p95.change * 100).toFixed(1)} % [${(p95.low * 100).toFixed(1)} … ${(p95.high * 100).toFixed(1)}]${outcome.pass
          ? ''
          : `  (${outcome.rows.filter(row => row.verdict === 'regressed').map(row => row.metric).join(', ')})`}`)
      }
    }

    const falseAlarms = results.unchanged.filter(run => run.flagged).length
    const caught = results.slowed.filter(run => run.flagged).length
    const spread = (list, metric) => {
      const values = list.map(run => run.changes[metric]?.change).filter(value => value !== undefined).sort((a, b) => a - b)
      const at = q => `${(values[Math.min(values.length - 1, Math.floor(q * values.length))] * 100).toFixed(1)} %`
      return `min ${at(0)}, median ${at(0.5)}, max ${at(1)}`
    }
    log('')
    for (const metric of ['p50', 'p95', 'p99', 'throughput']) {
      log(`${metric.padEnd(10)} unchanged: ${spread(results.unchanged, metric)} · slowed: ${spread(results.slowed, metric)}`)
    }
    log('')
    log(`false alarms: ${falseAlarms} of ${runs} unchanged runs (bar: ≤ 1)   ${falseAlarms <= 1
      ? 'PASS'
      : 'FAIL'}`)
    log(`caught:       ${caught} of ${runs} runs ${Math.round(slowdown * 100)} % slower (bar: all)   ${caught === runs
      ? 'PASS'
      : 'FAIL'}`)

    await mkdir(resultsDir, { recursive: true })
    const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
    await writeFile(new URL(`baseline-${stamp}.json`, resultsDir), `${JSON.stringify({
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: availableParallelism(),
        model: cpus()[0]?.model,
        loadAverageAtStart: loadavg(),
        node: process.version,
      },
      settings: {
        runs,
        durationS,
        users,
        delayMs,
        slowMs,
      },
      falseAlarms,
      caught,
      results,
    }, null, 2)}\n`)
    process.exitCode = falseAlarms <= 1 && caught === runs
      ? 0
      : 1
  }
  finally {
    await server.stop()
    await rm(folder, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
