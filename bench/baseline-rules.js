// Judges the comparisons a bench/baseline.js run kept (change and 95 % interval of every metric of
// every run) under two rules, with the default tolerances, to show what the choice of rule does:
//   now:     a regression when the whole interval lies beyond the tolerance (what toMatchBaseline does);
//   earlier: when the interval excludes 0 and the estimate lies beyond the tolerance.
// Run with `node bench/baseline-rules.js [bench/results/baseline-<time>.json]` (default: the newest).
import { readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { resultsDir } from './lib/context.js'

const TOLERANCES = {
  p50: 0.1,
  p95: 0.1,
  p99: 0.2,
  throughput: 0.1,
  errorRate: 0.01,
}
/** +1 when a rise is worse, -1 when a fall is. */
const WORSE = {
  p50: 1,
  p95: 1,
  p99: 1,
  throughput: -1,
  errorRate: 1,
}

function regressed(changes, rule) {
  return Object.entries(TOLERANCES).some(([metric, tolerance]) => {
    const found = changes[metric]
    if (!found)
      return false
    const worse = found.change * WORSE[metric]
    const worseLow = WORSE[metric] === 1
      ? found.low
      : -found.high
    return rule === 'now'
      ? worseLow > tolerance
      : worseLow > 0 && worse > tolerance
  })
}

const directory = fileURLToPath(resultsDir)
const file = process.argv[2] ?? `${directory}/${readdirSync(directory).filter(name => name.startsWith('baseline-')).sort().at(-1)}`
const { results, settings } = JSON.parse(readFileSync(file, 'utf8'))
console.log(`${file}: ${results.unchanged.length} unchanged and ${results.slowed.length} slowed runs (${settings.delayMs} → ${settings.slowMs} ms)`)
for (const rule of ['now', 'earlier']) {
  const falseAlarms = results.unchanged.filter(run => regressed(run.changes, rule)).length
  const caught = results.slowed.filter(run => regressed(run.changes, rule)).length
  console.log(`${rule.padEnd(8)} false alarms ${falseAlarms} of ${results.unchanged.length}, caught ${caught} of ${results.slowed.length}`)
}
