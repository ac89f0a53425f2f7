// Judges the runs a bench/baseline-real.js run kept under rules that weigh the spread between runs,
// to choose the one toMatchBaseline should use. Each rule reduces a run to one value per figure
// (a statistic of its seconds after the warm-up), takes the first k history runs as the baseline,
// and calls a new run a regression of a figure when the whole 95 % prediction interval of the
// change (Student's t over the history's logarithms) lies beyond the 10 % tolerance. A run is
// flagged when any of p50, p95 or throughput regressed. Prints false alarms and catches per
// target, rule and k, and the smallest change each could have flagged (its detectable change).
// Run with `node bench/baseline-real-rules.js [bench/results/baseline-real-<time>.json]`.
import { readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { judgeBetweenRuns, WHOLE_RUN } from './lib/between-runs.js'
import { resultsDir } from './lib/context.js'

function quantile(values, q) {
  const sorted = values.filter(value => value !== null && Number.isFinite(value)).sort((a, b) => a - b)
  if (sorted.length === 0)
    return Number.NaN
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.min(sorted.length - 1, low + 1)] - sorted[low]) * (at - low)
}

/** How a rule reduces a run to one value of a figure; latency rises and throughput falls when worse. */
const STATISTICS = {
  'whole run': WHOLE_RUN,
  'median second': {
    p50Ms: run => quantile(run.intervals.p50Ms, 0.5),
    p95Ms: run => quantile(run.intervals.p95Ms, 0.5),
    throughputPerSec: run => quantile(run.intervals.throughputPerSec, 0.5),
  },
  'quietest quarter of seconds': {
    p50Ms: run => quantile(run.intervals.p50Ms, 0.25),
    p95Ms: run => quantile(run.intervals.p95Ms, 0.25),
    throughputPerSec: run => quantile(run.intervals.throughputPerSec, 0.75),
  },
}
function newest() {
  const files = readdirSync(resultsDir).filter(name => /^baseline-real-.*\.json$/.test(name)).sort()
  if (files.length === 0)
    throw new Error(`no bench/results/baseline-real-*.json: run npm run bench:baseline:real first`)
  return fileURLToPath(new URL(files.at(-1), resultsDir))
}

const file = process.argv[2] ?? newest()
const { results, settings } = JSON.parse(readFileSync(file, 'utf8'))
const percent = value => `${(value * 100).toFixed(0)} %`
process.stdout.write(`${file}: history ${settings.history}, ${settings.rounds} rounds, neighbour ${settings.noise ? 'on' : 'off'}\n`)
for (const target of results) {
  process.stdout.write(`\n${target.name}: ${target.describe}\n`)
  const kinds = ['unchanged', '+15 %', '+30 %']
  const current = kinds.map(kind => target.summary.current[kind])
  process.stdout.write(`  ${'now: per-second intervals, 1 run'.padEnd(46)} false alarms ${current[0].flagged}/${current[0].runs}  caught +15 % ${current[1].flagged}/${current[1].runs}  +30 % ${current[2].flagged}/${current[2].runs}\n`)
  for (const [name, statistic] of Object.entries(STATISTICS)) {
    for (const k of [3, 5, target.past.length].filter((value, index, list) => value <= target.past.length && list.indexOf(value) === index)) {
      const counts = kinds.map((kind) => {
        const tests = target.tests.filter(test => test.kind === kind)
        return { flagged: tests.filter(test => Object.values(judgeBetweenRuns(target.past.slice(0, k), test.figures, statistic)).some(figure => figure.regressed)).length, runs: tests.length }
      })
      // both: the between-run rule and the matcher's within-run verdict of the same run
      const both = kinds.map((kind) => {
        const tests = target.tests.filter(test => test.kind === kind)
        return tests.filter(test => test.current.status === 'compared' && !test.current.pass && Object.values(judgeBetweenRuns(target.past.slice(0, k), test.figures, statistic)).some(figure => figure.regressed)).length
      })
      const detectable = judgeBetweenRuns(target.past.slice(0, k), target.past[0], statistic)
      process.stdout.write(`  ${`${name}, history ${k}`.padEnd(46)} false alarms ${counts[0].flagged}/${counts[0].runs}  caught +15 % ${counts[1].flagged}/${counts[1].runs}  +30 % ${counts[2].flagged}/${counts[2].runs}  detectable p50 ${percent(detectable.p50Ms.detectable)} p95 ${percent(detectable.p95Ms.detectable)} thr ${percent(detectable.throughputPerSec.detectable)}\n`)
      process.stdout.write(`  ${`  and within one run too`.padEnd(46)} false alarms ${both[0]}/${counts[0].runs}  caught +15 % ${both[1]}/${counts[1].runs}  +30 % ${both[2]}/${counts[2].runs}\n`)
    }
  }
}
