// vitest-load through its public runLoad(), from the build. dist/run-load.js rather than
// dist/index.js: the index registers matchers with Vitest's expect, which a plain Node process
// does not need (and whose modules would add to the memory readings).
// eslint-disable-next-line antfu/no-import-dist -- the bench measures the build, as users run it
import { runLoad } from '../../dist/run-load.js'
import { cpuSeconds, epochNowMs, serveRequests, splitThreadCpu, startSampler, threadCpuSeconds } from '../lib/child.js'

const MiB = 1024 * 1024

/** One `ctx.http.get('/')` per iteration: the declarative request, sent through a scenario. */
const GET_SCENARIO = new URL('../targets/get.scenario.mjs', import.meta.url)

function loadOptions({ url, connections, durationMs, iterations, workers, scenario }) {
  return {
    target: url,
    ...(scenario
      ? { scenario: GET_SCENARIO }
      : {
          request: { path: '/' },
        }),
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

/**
 * The open model at a fixed rate (issue 15's idle cost): CPU over the run's own window, and where it
 * went, thread by thread, over the whole seconds inside it (read every 500 ms), per second of load.
 */
async function runOpen({ url, rate, durationMs, connections }) {
  const sampler = startSampler(50)
  const threads = []
  const readThreads = () => threads.push({
    atMs: epochNowMs(),
    cpu: threadCpuSeconds(),
  })
  const threadTimer = setInterval(readThreads, 500)
  const calledCpuS = cpuSeconds()
  const run = await runLoad({
    target: url,
    request: { path: '/' },
    load: { rate, duration: durationMs, maxUsers: connections },
    workers: 1,
  })
  const totalCpuS = cpuSeconds() - calledCpuS
  clearInterval(threadTimer)
  sampler.stop()
  const startAtMs = Date.parse(run.startedAt)
  const endAtMs = startAtMs + run.durationMs
  const cpuS = sampler.cpuAt(endAtMs) - sampler.cpuAt(startAtMs)
  const inside = threads.filter(reading => reading.atMs >= startAtMs && reading.atMs <= endAtMs)
  const first = inside[0]
  const last = inside.at(-1)
  const split = first && last && last !== first
    ? splitThreadCpu(first.cpu, last.cpu)
    : null
  const perSecond = seconds => seconds * 1000 / ((last.atMs - first.atMs) / 1000)
  return {
    requests: run.totals.requests,
    ok: run.totals.ok,
    errors: run.totals.errors.total,
    dropped: run.droppedArrivals,
    windowMs: run.durationMs,
    cpuS,
    startupCpuS: totalCpuS - cpuS,
    threadsMsPerS: split && {
      main: perSecond(split.mainS),
      worker: perSecond(split.busiestOtherS),
      rest: perSecond(split.restS),
    },
    p50Ms: run.latency.p50Ms,
    p99Ms: run.latency.p99Ms,
  }
}

/**
 * The open model at a high rate (issue 15, item 2): how many arrivals were dropped, how late they
 * went out, and whether the run said the generator fell behind.
 */
async function runPrecision({ url, rate, durationMs, maxUsers }) {
  const run = await runLoad({
    target: url,
    request: { path: '/' },
    load: { rate, duration: durationMs, maxUsers },
    workers: 1,
  })
  const [worker] = run.generatorHealth.workers
  return {
    requests: run.totals.requests,
    errors: run.totals.errors.total,
    dropped: run.droppedArrivals,
    windowMs: run.durationMs,
    arrivals: worker.arrivals,
    droppedLate: worker.droppedLate,
    slipP99Ms: worker.scheduleSlipP99Ms,
    slipMaxMs: worker.scheduleSlipMaxMs,
    busy: worker.meanUtilization,
    delayP99Ms: worker.delayP99Ms,
    saturated: run.generatorHealth.saturated,
    cause: run.generatorHealth.cause,
  }
}

/**
 * Many closed-model users (issue 15, item 3): this process's resident memory before the run (the
 * package loaded, nothing running) and at its busiest, read every 250 ms, and when the run started.
 */
async function runUsers({ url, users, durationMs, workers }) {
  globalThis.gc?.()
  const idleRssBytes = process.memoryUsage.rss()
  const sampler = startSampler(250)
  const calledAtMs = epochNowMs()
  const run = await runLoad({
    target: url,
    request: { path: '/' },
    load: { users, duration: durationMs },
    workers,
  })
  sampler.stop()
  const startAtMs = Date.parse(run.startedAt)
  const during = sampler.samples.filter(sample => sample.atMs >= startAtMs && sample.atMs <= startAtMs + run.durationMs)
  return {
    calledAtMs,
    startedAtMs: startAtMs,
    requests: run.totals.requests,
    errors: run.totals.errors.total,
    windowMs: run.durationMs,
    reqPerSec: run.throughputPerSec,
    idleRssBytes,
    peakRssBytes: Math.max(...during.map(sample => sample.rssBytes)),
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
    case 'open':
      return runOpen(message)
    case 'users':
      return runUsers(message)
    case 'precision':
      return runPrecision(message)
    case 'startup':
      return runStartup(message)
    case 'memory':
      return runMemory(message)
    default:
      throw new Error(`unknown request ${message.type}`)
  }
})
