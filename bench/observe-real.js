// Watching a real service (issue 14, item 1): a step test of 1, 2 and 4 users against a CPU-bound
// Flask app under gunicorn with 2 sync workers, with `observe: { process: <gunicorn master pid> }`.
// Prints each step's throughput, p50, the process tree's CPU (cores) and resident memory, and the
// CPU time per request the target spent: the same at every level for a CPU-bound app, which is
// the check that the CPU read from /proc belongs to the requests the load sent. Run with
// `npm run bench:observe:real`; installs gunicorn and python3-flask with apt when missing (root).
//
// Settings (environment): BENCH_STEP 4 (s) · BENCH_WORKERS 2 (gunicorn workers).
// Results also go to bench/results/observe-real-<time>.json (git-ignored).
import process from 'node:process'
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { runLoad } from '../dist/index.js'
import { children, log, numberSetting, stop, TARGETS, writeResults } from './lib/real-targets.js'

const stepSeconds = Math.round(numberSetting('BENCH_STEP', 4))
const workers = Math.round(numberSetting('BENCH_WORKERS', 2))
const flask = TARGETS.flask
const startedAt = new Date()

async function main() {
  flask.prepare()
  const target = await flask.start(flask.baseWork, workers)
  children.add(target.child)
  try {
    const run = await runLoad({
      target: target.url,
      load: {
        steps: {
          users: [1, 2, 4],
          stepDuration: `${stepSeconds}s`,
        },
      },
      observe: { process: target.child.pid },
      workers: 1,
      errorBudget: false,
    })
    const observed = run.observed
    log(`CPU-bound Flask app (SHA-256 × ${flask.baseWork} per request) under gunicorn with ${workers} sync workers: ${observed.process.name} (pid ${observed.process.pid}, ${observed.process.processes} processes)`)
    log('users  ok req/s      p50  target cpu   rss (last)  cpu per request')
    const rows = run.steps.map((step) => {
      const cpu = step.observed?.cpu?.mean ?? Number.NaN
      const rss = step.observed?.rss?.last ?? Number.NaN
      const perRequestMs = cpu / step.throughputPerSec * 1000
      log(`${String(step.level).padStart(5)}  ${step.throughputPerSec.toFixed(1).padStart(8)}  ${step.latency.p50Ms.toFixed(1).padStart(5)} ms  ${cpu.toFixed(2).padStart(5)} cores  ${(rss / 2 ** 20).toFixed(1).padStart(7)} MiB  ${perRequestMs.toFixed(2).padStart(7)} ms`)
      return {
        users: step.level,
        throughputPerSec: step.throughputPerSec,
        p50Ms: step.latency.p50Ms,
        cpuCores: cpu,
        rssBytes: rss,
        cpuPerRequestMs: perRequestMs,
      }
    })
    const perRequest = rows.map(row => row.cpuPerRequestMs)
    log(`cpu per request, most over least: ${(Math.max(...perRequest) / Math.min(...perRequest)).toFixed(2)} (1 is the same at every level)`)
    await writeResults('observe-real', startedAt, { workers, stepSeconds }, { process: observed.process, rows, failures: observed.failures })
  }
  finally {
    await stop(target.child)
    children.delete(target.child)
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
