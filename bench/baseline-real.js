// The baseline gate on services that behave like real ones, not a sleep (issue 13, item 6): a
// CPU-bound Node server (SHA-256 per request) and a CPU-bound Flask app under Debian's gunicorn,
// each started anew for every run, as a deploy would, while a neighbour burns a core in random
// bursts. Per target: BENCH_HISTORY unchanged runs first (the first is recorded as the baseline,
// all are the history a between-run rule would keep), then BENCH_ROUNDS rounds of three runs in a
// seeded random order: unchanged, 15 % and 30 % more work per request. Each run goes through the
// real toMatchBaseline with the file read from disk, as in CI; its whole-run figures are kept so
// that a rule weighing the spread between runs (a prediction interval over the history's runs)
// is judged on the same runs. Prints false alarms and catches for both, and the spread between
// runs of each figure. Run with `npm run bench:baseline:real`; installs gunicorn and python3-flask
// with apt when they are missing (root). About 2 × (history + 3 × rounds) × 8 s.
//
// Settings (environment): BENCH_TARGETS node,flask · BENCH_HISTORY 8 · BENCH_ROUNDS 20 ·
// BENCH_DURATION 6 (s) · BENCH_USERS 2 · BENCH_NOISE 1 (0: no neighbour).
// Results also go to bench/results/baseline-real-<time>.json (git-ignored).
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { sampleOf } from '../dist/baseline/sample.js'
// eslint-disable-next-line antfu/no-import-dist
import { runLoad } from '../dist/run-load.js'

import { matchBaseline } from './lib/baseline-match.js'
import { judgeBetweenRuns } from './lib/between-runs.js'
import { children, KINDS, log, numberSetting, realSettings, roundsOf, startNeighbour, stop, TARGETS, writeResults } from './lib/real-targets.js'

const history = Math.max(3, Math.round(numberSetting('BENCH_HISTORY', 8)))
const rounds = Math.round(numberSetting('BENCH_ROUNDS', 20))
const durationS = numberSetting('BENCH_DURATION', 6)
const { users, noise, targetNames } = realSettings

/** The real matcher, as in a test named 'bench' of `testPath`, and the metrics it found regressed. */
function match(testPath, run, mode) {
  const { pass, status, rows } = matchBaseline(testPath, run, mode)
  return {
    pass,
    status,
    regressed: rows.filter(row => row.verdict === 'regressed').map(row => row.metric),
  }
}

/** One run against a target started for it with `work` per request; the target is stopped after. */
async function measure(target, work, seconds = durationS) {
  const { child, url } = await target.start(work)
  children.add(child)
  try {
    const run = await runLoad({
      target: url,
      request: { path: '/' },
      load: { users, duration: `${seconds}s` },
      workers: 1,
    }, { name: 'bench' })
    return run
  }
  finally {
    await stop(child)
    children.delete(child)
  }
}

/** A run's whole-run figures after its warm-up, as a baseline keeps them, and its seconds, for rules judged afterwards. */
function figuresOf(run) {
  const { summary, intervals } = sampleOf(run, run.model)
  return {
    p50Ms: summary.p50Ms,
    p95Ms: summary.p95Ms,
    throughputPerSec: summary.throughputPerSec,
    othersBusy: run.generatorHealth.cpu?.othersBusy ?? null,
    intervals: { p50Ms: intervals.p50Ms, p95Ms: intervals.p95Ms, throughputPerSec: intervals.throughputPerSec },
  }
}

function spreadOf(runs, figure) {
  const logs = runs.map(run => Math.log(run[figure]))
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length
  return Math.sqrt(logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (logs.length - 1))
}

const percent = value => `${(value * 100).toFixed(1)} %`

async function benchTarget(name, folder) {
  const target = TARGETS[name]
  if (!target)
    throw new Error(`BENCH_TARGETS: unknown target '${name}'; known: ${Object.keys(TARGETS).join(', ')}`)
  target.prepare?.()
  const testPath = join(folder, `${name}.load.test.ts`)
  log(`\n${name}: ${target.describe}; ${users} users × ${durationS} s per run, restarted every run`)
  // the generator's JIT and the target's first start, kept out of everything
  await measure(target, target.baseWork, 2)
  const past = []
  for (let index = 0; index < history; index++) {
    const run = await measure(target, target.baseWork)
    // the baseline records its first run and adds the next ones that pass, up to MAX_RUNS
    const outcome = match(testPath, run, 'new')
    if (index === 0)
      log(`  baseline ${outcome.status}`)
    past.push(figuresOf(run))
    const f = past.at(-1)
    log(`  history ${index + 1}: p50 ${f.p50Ms.toFixed(2)} ms, p95 ${f.p95Ms.toFixed(2)} ms, ${f.throughputPerSec.toFixed(0)} req/s, others ${f.othersBusy === null
      ? '?'
      : percent(f.othersBusy)}`)
  }
  const tests = []
  for (const [round, order] of roundsOf(name, rounds).entries()) {
    for (const kind of order) {
      const run = await measure(target, Math.round(target.baseWork * kind.factor))
      const current = match(testPath, run, 'none')
      const figures = figuresOf(run)
      tests.push({ kind: kind.name, current, figures })
      log(`  ${String(round + 1).padStart(2)} ${kind.name.padEnd(9)} now: ${current.status === 'compared'
        ? (current.pass ? 'pass   ' : 'FLAGGED')
        : current.status.padEnd(7)} p50 ${figures.p50Ms.toFixed(2)} ms, p95 ${figures.p95Ms.toFixed(2)} ms, ${figures.throughputPerSec.toFixed(0)} req/s, others ${figures.othersBusy === null
        ? '?'
        : percent(figures.othersBusy)}${current.regressed.length > 0
        ? ` (${current.regressed.join(', ')})`
        : ''}`)
    }
  }

  const unchangedRuns = [
    ...past,
    ...tests.filter(test => test.kind === 'unchanged').map(test => test.figures),
  ]
  const summary = {
    spreadBetweenRuns: Object.fromEntries(['p50Ms', 'p95Ms', 'throughputPerSec'].map(figure => [
      figure,
      spreadOf(unchangedRuns, figure),
    ])),
    current: {},
    betweenRuns: {},
  }
  for (const kind of KINDS) {
    const ofKind = tests.filter(test => test.kind === kind.name)
    summary.current[kind.name] = {
      flagged: ofKind.filter(test => test.current.status === 'compared' && !test.current.pass).length,
      notComparable: ofKind.filter(test => test.current.status === 'not comparable').length,
      runs: ofKind.length,
    }
  }
  for (const k of [3, 5, history].filter((value, index, list) => value <= history && list.indexOf(value) === index)) {
    const rule = {}
    for (const kind of KINDS) {
      const ofKind = tests.filter(test => test.kind === kind.name)
      const verdicts = ofKind.map(test => judgeBetweenRuns(past.slice(0, k), test.figures))
      rule[kind.name] = {
        flagged: verdicts.filter(verdict => Object.values(verdict).some(figure => figure.regressed)).length,
        runs: ofKind.length,
      }
      rule.detectableP95 = verdicts[0]?.p95Ms.detectable
      rule.detectableThroughput = verdicts[0]?.throughputPerSec.detectable
    }
    summary.betweenRuns[k] = rule
  }
  log(`\n  spread between runs (sd of logs, unchanged): p50 ${percent(summary.spreadBetweenRuns.p50Ms)}, p95 ${percent(summary.spreadBetweenRuns.p95Ms)}, throughput ${percent(summary.spreadBetweenRuns.throughputPerSec)}`)
  const row = (label, counts) => `  ${label.padEnd(34)} false alarms ${counts.unchanged.flagged}/${counts.unchanged.runs}   caught +30 % ${counts['+30 %'].flagged}/${counts['+30 %'].runs}   +15 % ${counts['+15 %'].flagged}/${counts['+15 %'].runs}`
  log(`${row('now (per-second intervals, 1 run)', summary.current)}   not comparable ${KINDS.map(kind => summary.current[kind.name].notComparable).join('/')}`)
  for (const [k, rule] of Object.entries(summary.betweenRuns))
    log(`${row(`between runs, history of ${k}`, rule)}   detectable p95 ≥ ${percent(rule.detectableP95)}, throughput ≥ ${percent(rule.detectableThroughput)}`)
  return {
    name,
    describe: target.describe,
    past,
    tests,
    summary,
  }
}

async function main() {
  const startedAt = new Date()
  const folder = await mkdtemp(join(tmpdir(), 'vitest-load-baseline-real-'))
  const neighbour = noise
    ? startNeighbour()
    : undefined
  log(`vitest-load baseline bench on real services: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}; history ${history}, ${rounds} rounds of unchanged / +15 % / +30 %; neighbour burning a core in bursts: ${noise ? 'yes' : 'no'}`)
  const results = []
  try {
    for (const name of targetNames)
      results.push(await benchTarget(name, folder))
  }
  finally {
    if (neighbour)
      await stop(neighbour)
    await rm(folder, { recursive: true, force: true })
  }
  await writeResults('baseline-real', startedAt, {
    history,
    rounds,
    durationS,
    users,
    noise,
  }, results)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
