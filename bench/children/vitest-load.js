// vitest-load through its public runLoad(), from the build. dist/run-load.js rather than
// dist/index.js: the index registers matchers with Vitest's expect, which a plain Node process
// does not need (and whose modules would add to the memory readings).
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { runLoad } from '../../dist/run-load.js'
import { cpuSeconds, epochNowMs, serveRequests, startSampler } from '../lib/child.js'

const MiB = 1024 * 1024

function loadOptions({ url, connections, durationMs, iterations, workers }) {
  return {
    target: url,
    request: { path: '/' },
    load: iterations === undefined
      ? { users: connections, duration: durationMs }
      : { users: connections, iterations },
    workers,
  }
}

/**
 * A closed load of `connections` users. CPU is read over the run's own window, from its first
 * request to its last response: the pool's start-up and teardown are measured apart (`startup`).
 */
async function runMeasured(message) {
  const sampler = startSampler(50)
  const calledCpuS = cpuSeconds()
  const run = await runLoad(loadOptions(message))
  const totalCpuS = cpuSeconds() - calledCpuS
  sampler.stop()
  const startAtMs = Date.parse(run.startedAt)
  const endAtMs = startAtMs + run.durationMs
  return {
    requests: run.totals.requests,
    ok: run.totals.ok,
    errors: run.totals.errors.total,
    windowMs: run.durationMs,
    cpuS: sampler.cpuAt(endAtMs) - sampler.cpuAt(startAtMs),
    cpuWithStartupS: totalCpuS,
    p50Ms: run.latency.p50Ms,
    p99Ms: run.latency.p99Ms,
  }
}

/** A run of one request per user (one user per worker): when was runLoad() called, when did it end. */
async function runStartup(message) {
  const calledAtMs = epochNowMs()
  const run = await runLoad(loadOptions({ ...message, connections: message.workers, iterations: 1 }))
  const resolvedAtMs = epochNowMs()
  return {
    calledAtMs,
    resolvedAtMs,
    startedAtMs: Date.parse(run.startedAt),
    runMs: run.durationMs,
    requests: run.totals.requests,
    maxLatencyMs: run.latency.maxMs,
  }
}

/** A long run with this process's resident memory read every second, against the run's own clock. */
async function runMemory(message) {
  const sampler = startSampler(1000)
  const run = await runLoad(loadOptions(message))
  sampler.stop()
  const startAtMs = Date.parse(run.startedAt)
  return {
    requests: run.totals.requests,
    errors: run.totals.errors.total,
    windowMs: run.durationMs,
    // requests finished in each second of the run, to count those after the warm-up: indexed by
    // second, a long run's merged point counted at its first second (the seconds between stay empty)
    requestsPerSecond: run.timeline.reduce((bySecond, point) => {
      bySecond[point.second] = point.requests
      return bySecond
    }, []),
    rss: sampler.samples.map(s => ({ atS: (s.atMs - startAtMs) / 1000, rssMiB: s.rssBytes / MiB })),
  }
}

serveRequests(async (message) => {
  switch (message.type) {
    case 'load':
      return runMeasured(message)
    case 'startup':
      return runStartup(message)
    case 'memory':
      return runMemory(message)
    default:
      throw new Error(`unknown request ${message.type}`)
  }
})
