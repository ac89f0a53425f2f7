// The pool's start-up: from runLoad() to the first request, for 1 and 2 workers.
import { log, settings, withChild } from '../lib/context.js'
import { formatFixed, formatTable, median } from '../lib/format.js'

/**
 * `startupRuns` start-ups in one fresh child running bench/children/`file`: each a `startup`
 * request of `workers` workers, read against what the server saw (`reading(run, seen)`).
 */
function startups(server, url, file, workers, reading) {
  return withChild(file, async (child) => {
    const list = []
    for (let i = 0; i < settings.startupRuns; i++) {
      await server.request({ type: 'mark' }, 5000)
      const run = await child.request({ type: 'startup', url, workers }, 60_000)
      const seen = await server.request({ type: 'stats' }, 5000)
      list.push(reading(run, seen))
    }
    return list
  }, [])
}

/** From runLoad() to the first request the server sees, and to the promise resolving, for a run of one request per worker. */
export async function benchStartup(server, url) {
  const results = []
  for (const workers of [1, 2]) {
    const samples = await startups(server, url, 'vitest-load.js', workers, (run, seen) => ({
      toFirstRequestMs: seen.firstRequestAtMs - run.calledAtMs,
      toStartMs: run.startedAtMs - run.calledAtMs,
      totalMs: run.resolvedAtMs - run.calledAtMs,
      totalMinusRequestMs: run.resolvedAtMs - run.calledAtMs - run.maxLatencyMs,
      teardownMs: run.resolvedAtMs - (run.startedAtMs + run.runMs),
      requests: run.requests,
    }))
    // the reference: a bare Piscina pool whose worker imports undici and sends one request, as often
    const bare = await startups(server, url, 'bare-piscina.js', workers, (run, seen) => seen.firstRequestAtMs - run.calledAtMs)
    const pick = key => samples.map(sample => sample[key])
    const bareMedian = median(bare)
    results.push({
      bareToFirstRequestMs: {
        median: bareMedian,
        min: Math.min(...bare),
        max: Math.max(...bare),
        samples: bare,
      },
      vsBare: median(pick('toFirstRequestMs')) / bareMedian,
      workers,
      runs: samples.length,
      toFirstRequestMs: {
        median: median(pick('toFirstRequestMs')),
        min: Math.min(...pick('toFirstRequestMs')),
        max: Math.max(...pick('toFirstRequestMs')),
      },
      toStartMs: median(pick('toStartMs')),
      totalMs: median(pick('totalMs')),
      totalMinusRequestMs: median(pick('totalMinusRequestMs')),
      teardownMs: median(pick('teardownMs')),
      samples,
    })
  }
  return results
}

export function printStartup(results) {
  log()
  log(formatTable(
    [
      'pool',
      'runs',
      'to 1st request ms (median)',
      'min–max',
      'bare Piscina + undici ms',
      '× bare',
      'to start ms',
      'whole run ms',
      'whole run − request ms',
      'teardown ms',
    ],
    results.map(r => [
      `${r.workers} worker${r.workers > 1
        ? 's'
        : ''}`,
      r.runs,
      formatFixed(r.toFirstRequestMs.median, 1),
      `${formatFixed(r.toFirstRequestMs.min, 1)}–${formatFixed(r.toFirstRequestMs.max, 1)}`,
      formatFixed(r.bareToFirstRequestMs.median, 1),
      `${formatFixed(r.vsBare, 2)}×`,
      formatFixed(r.toStartMs, 1),
      formatFixed(r.totalMs, 1),
      formatFixed(r.totalMinusRequestMs, 1),
      formatFixed(r.teardownMs, 1),
    ]),
  ))
  log('to 1st request: runLoad() called → the server receives the first request (target probe, pool threads, modules, ready barrier, 20 ms start margin); runs of 1 request per worker.')
  log('bare Piscina + undici: new Piscina() → the first request of a worker that imports undici and sends one GET (bench/children/bare-piscina.js). The bar: within 1.2× of it.')
}
