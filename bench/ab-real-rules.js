// Judges the slices a bench/ab-real.js run kept (each comparison's per-slice figures, side by
// side) by the real paired comparison under other tolerances and with fewer pairs: how much of a
// miss is the noise, and how much is the tolerance. A comparison is flagged when any metric
// regressed. Run with `node bench/ab-real-rules.js [bench/results/ab-real-<time>.json]`.
import { readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
// eslint-disable-next-line antfu/no-import-dist -- the bench judges with the build's statistics
import { comparePairs, DEFAULT_TOLERANCES } from '../dist/baseline/compare.js'
import { resultsDir } from './lib/context.js'
import { KINDS } from './lib/real-targets.js'

function newest() {
  const files = readdirSync(resultsDir).filter(name => /^ab-real-.*\.json$/.test(name)).sort()
  if (files.length === 0)
    throw new Error('no bench/results/ab-real-*.json: run `npm run bench:ab:real` first, or name a results file')
  return fileURLToPath(new URL(files.at(-1), resultsDir))
}

const file = process.argv[2] ?? newest()
const { results, settings } = JSON.parse(readFileSync(file, 'utf8'))
const RULES = {
  'defaults (p50, p95 +10 %, p99 +20 %, throughput −10 %)': DEFAULT_TOLERANCES,
  'p50, p95, throughput ±5 %, p99 +20 %': {
    ...DEFAULT_TOLERANCES,
    p50: 0.05,
    p95: 0.05,
    throughput: 0.05,
  },
  'throughput −5 % only': {
    p50: false,
    p95: false,
    p99: false,
    throughput: 0.05,
    errorRate: 0.01,
  },
}
process.stdout.write(`${file}: ${settings.pairs} pairs of ${settings.sliceS} s slices, ${settings.rounds} rounds\n`)
for (const { name, tests } of results) {
  const withSlices = tests.filter(test => test.slices)
  if (withSlices.length === 0) {
    process.stdout.write(`\n${name}: no slices kept (a results file of an earlier bench)\n`)
    continue
  }
  process.stdout.write(`\n${name}\n`)
  for (const pairs of [
    ...new Set([
      settings.pairs,
      Math.ceil(settings.pairs / 2),
    ]),
  ].filter(count => count >= 3)) {
    for (const [label, tolerances] of Object.entries(RULES)) {
      const counts = KINDS.map((kind) => {
        const ofKind = withSlices.filter(test => test.kind === kind.name)
        const flagged = ofKind.filter(test => comparePairs(test.slices.a.slice(0, pairs), test.slices.b.slice(0, pairs), tolerances).some(row => row.verdict === 'regressed')).length
        return `${kind.name} ${flagged}/${ofKind.length}`
      })
      process.stdout.write(`  ${String(pairs).padStart(2)} pairs, ${label.padEnd(56)} flagged: ${counts.join('   ')}\n`)
    }
  }
  // what the slowed runs changed by, at the client: the work per request is not the whole of a request's time
  for (const kind of KINDS.filter(one => one.factor > 1)) {
    const changes = withSlices.filter(test => test.kind === kind.name).map(test => test.rows.find(row => row.metric === 'p50').change).sort((a, b) => a - b)
    process.stdout.write(`  ${kind.name} more work: p50 changed by ${(changes[Math.floor(changes.length / 2)] * 100).toFixed(0)} % (median of ${changes.length})\n`)
  }
}
