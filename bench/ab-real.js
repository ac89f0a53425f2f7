// The A/B comparison on services that behave like real ones (issue 13, items 5 and 6): runAB()
// alternates slices of load between two targets, both started anew for every comparison, while a
// neighbour burns a core in bursts; toMatchRun pairs slice i of each side. Per target, BENCH_ROUNDS
// rounds of three comparisons in a seeded random order: b unchanged, b with 15 % and with 30 % more
// work per request than a. Prints false alarms (unchanged flagged) and catches, with what the gate
// could detect. Run with `npm run bench:ab:real`; installs gunicorn and python3-flask with apt when
// they are missing (root). About 2 targets × 3 × rounds × (2 × pairs × (slice + 0.5 s)).
//
// Settings (environment): BENCH_TARGETS node,flask · BENCH_ROUNDS 20 · BENCH_PAIRS 5 ·
// BENCH_SLICE 2 (s) · BENCH_USERS 2 · BENCH_NOISE 1 (0: no neighbour).
// Results also go to bench/results/ab-real-<time>.json (git-ignored).
import { availableParallelism, cpus, loadavg } from 'node:os'
import process from 'node:process'
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { sampleOf } from '../dist/baseline/sample.js'
// eslint-disable-next-line antfu/no-import-dist
import { runAB } from '../dist/run-ab.js'

import { children, KINDS, log, numberSetting, realSettings, roundsOf, startNeighbour, stop, TARGETS, writeResults } from './lib/real-targets.js'
import { matchRun } from './lib/run-match.js'

const rounds = Math.round(numberSetting('BENCH_ROUNDS', 20))
const pairs = Math.max(3, Math.round(numberSetting('BENCH_PAIRS', 5)))
const sliceS = numberSetting('BENCH_SLICE', 2)
const { users, noise, targetNames } = realSettings
const percent = value => `${(value * 100).toFixed(1)} %`

/** One comparison: a with the base work, b with `factor` times it, both started for it and stopped after. */
async function compare(target, factor) {
  const started = []
  try {
    for (const work of [
      target.baseWork,
      Math.round(target.baseWork * factor),
    ]) {
      const one = await target.start(work)
      children.add(one.child)
      started.push(one)
    }
    const runs = await runAB({ a: started[0].url, b: started[1].url }, {
      request: { path: '/' },
      load: { users, duration: `${sliceS}s` },
      workers: 1,
    }, { name: 'bench', pairs })
    // each slice's figures, as toMatchRun paired them: for judging the same slices by other rules later
    const figures = side => side.map(run => sampleOf(run, run.model).summary)
    return {
      ...matchRun(runs.b, runs.a),
      slices: {
        a: figures(runs.a),
        b: figures(runs.b),
      },
    }
  }
  finally {
    for (const { child } of started) {
      await stop(child)
      children.delete(child)
    }
  }
}

async function benchTarget(name) {
  const target = TARGETS[name]
  if (!target)
    throw new Error(`BENCH_TARGETS: unknown target '${name}'; known: ${Object.keys(TARGETS).join(', ')}`)
  target.prepare?.()
  log(`\n${name}: ${target.describe}; ${users} users, ${pairs} pairs of ${sliceS} s slices, both targets started for every comparison`)
  const tests = []
  for (const [round, order] of roundsOf(name, rounds).entries()) {
    for (const kind of order) {
      const { pass, rows, slices } = await compare(target, kind.factor)
      const regressed = rows.filter(row => row.verdict === 'regressed').map(row => row.metric)
      const figure = metric => rows.find(row => row.metric === metric)
      tests.push({
        kind: kind.name,
        pass,
        regressed,
        rows: rows.map(row => ({
          metric: row.metric,
          change: row.change,
          low: row.low,
          high: row.high,
          verdict: row.verdict,
          detectable: row.detectable,
        })),
        slices,
      })
      log(`  ${String(round + 1).padStart(2)} ${kind.name.padEnd(9)} ${pass
        ? 'pass   '
        : 'FLAGGED'} p50 ${figure('p50').text.change}, p95 ${figure('p95').text.change}, throughput ${figure('throughput').text.change}${regressed.length > 0
        ? ` (${regressed.join(', ')})`
        : ''}`)
    }
  }
  const summary = {}
  for (const kind of KINDS) {
    const ofKind = tests.filter(test => test.kind === kind.name)
    summary[kind.name] = { flagged: ofKind.filter(test => !test.pass).length, runs: ofKind.length }
  }
  const median = (list) => {
    const sorted = [...list].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }
  const detectable = Object.fromEntries(['p50', 'p95', 'throughput'].map(metric => [
    metric,
    median(tests.filter(test => test.kind === 'unchanged').map(test => test.rows.find(row => row.metric === metric).detectable)),
  ]))
  log(`\n  false alarms ${summary.unchanged.flagged}/${summary.unchanged.runs}   caught +30 % ${summary['+30 %'].flagged}/${summary['+30 %'].runs}   +15 % ${summary['+15 %'].flagged}/${summary['+15 %'].runs}`
    + `   median detectable: p50 ≥ ${percent(detectable.p50)}, p95 ≥ ${percent(detectable.p95)}, throughput ≥ ${percent(detectable.throughput)}`)
  return {
    name,
    describe: target.describe,
    tests,
    summary,
    detectable,
  }
}

async function main() {
  const startedAt = new Date()
  const neighbour = noise
    ? startNeighbour()
    : undefined
  log(`vitest-load A/B bench on real services: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}; ${rounds} rounds of unchanged / +15 % / +30 %; neighbour burning a core in bursts: ${noise ? 'yes' : 'no'}`)
  const results = []
  try {
    for (const name of targetNames)
      results.push(await benchTarget(name))
  }
  finally {
    if (neighbour)
      await stop(neighbour)
  }
  await writeResults('ab-real', startedAt, { rounds, pairs, sliceS, users, noise }, results)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
