// The reference: the least code that drives `connections` keep-alive connections with undici's
// dispatch() in one thread and records every latency (µs) in an HDR histogram. No pool, no
// snapshots, no timeouts of our own.
import { performance } from 'node:perf_hooks'
import hdr from 'hdr-histogram-js'
import { Client } from 'undici'
import { paceArrivals } from '../lib/arrivals.js'
import { cpuSeconds, epochNowMs, serveRequests } from '../lib/child.js'

/** One connection with its own handler object, re-used for every request it sends. */
class Connection {
  constructor(url, options, load) {
    this.client = new Client(url, { pipelining: 1 })
    this.options = options
    this.load = load
    this.startMs = 0
    this.status = 0
  }

  next() {
    if (performance.now() >= this.load.endMs) {
      this.load.finished()
      return
    }
    this.startMs = performance.now()
    this.client.dispatch(this.options, this)
  }

  onConnect() {}

  onHeaders(status) {
    this.status = status
    return true
  }

  onData() {
    return true
  }

  onComplete() {
    const latencyUs = Math.round((performance.now() - this.startMs) * 1000)
    this.load.histogram.recordValue(latencyUs < 1
      ? 1
      : latencyUs)
    this.load.requests++
    if (this.status >= 200 && this.status < 400)
      this.load.ok++
    this.next()
  }

  onError() {
    this.load.requests++
    this.load.errors++
    setImmediate(() => this.next())
  }
}

async function runBare({ url, connections, durationMs }) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 })
  const options = { origin: url, method: 'GET', path: '/' }
  let running = connections
  let done
  const load = {
    histogram,
    requests: 0,
    ok: 0,
    errors: 0,
    endMs: 0,
    finished: () => --running === 0 && done(),
  }
  const users = Array.from({ length: connections }, () => new Connection(url, options, load))
  const finished = new Promise(resolve => done = resolve)

  const startAtMs = epochNowMs()
  const startCpuS = cpuSeconds()
  load.endMs = performance.now() + durationMs
  for (const user of users)
    user.next()
  await finished
  const endAtMs = epochNowMs()
  const cpuS = cpuSeconds() - startCpuS
  await Promise.all(users.map(user => user.client.destroy()))
  return {
    requests: load.requests,
    ok: load.ok,
    errors: load.errors,
    windowMs: endAtMs - startAtMs,
    cpuS,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  }
}

/**
 * The same reference at a fixed rate, as the open model sends (bench/lib/arrivals.js): latency
 * from each arrival's intended time.
 */
async function runBareOpen({ url, connections, durationMs, rate }) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 })
  const options = { origin: url, method: 'GET', path: '/' }
  const load = { requests: 0, ok: 0, errors: 0 }
  let pacer
  class Arrival {
    constructor() {
      this.client = new Client(url, { pipelining: 1 })
      this.intendedMs = 0
      this.status = 0
    }

    onConnect() {}
    onHeaders(status) {
      this.status = status
      return true
    }

    onData() {
      return true
    }

    onComplete() {
      histogram.recordValue(Math.max(1, Math.round((performance.now() - this.intendedMs) * 1000)))
      load.requests++
      if (this.status >= 200 && this.status < 400)
        load.ok++
      pacer.free(this)
    }

    onError() {
      load.requests++
      load.errors++
      setImmediate(() => pacer.free(this))
    }
  }
  const users = Array.from({ length: connections }, () => new Arrival())
  pacer = paceArrivals({ connections: users, rate, durationMs }, (user, intendedMs) => {
    user.intendedMs = intendedMs
    user.client.dispatch(options, user)
  })
  const paced = await pacer.finished
  await Promise.all(users.map(user => user.client.destroy()))
  return {
    ...load,
    ...paced,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  }
}

serveRequests(async (message) => {
  if (message.type === 'load')
    return runBare(message)
  if (message.type === 'open')
    return runBareOpen(message)
  throw new Error(`unknown request ${message.type}`)
})
