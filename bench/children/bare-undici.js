// The reference: the least code that drives `connections` keep-alive connections with undici's
// dispatch() in one thread and records every latency (µs) in an HDR histogram. No pool, no
// snapshots, no timeouts of our own.
import { performance } from 'node:perf_hooks'
import hdr from 'hdr-histogram-js'
import { Client } from 'undici'
import { paceArrivals } from '../lib/arrivals.js'
import { cpuSeconds, epochNowMs, serveRequests } from '../lib/child.js'

/**
 * One connection with its own handler object, re-used for every request it sends: latency from
 * the `startMs` each send is given, `ended(connection)` once its response (or error) is in.
 */
class Connection {
  constructor(url, load, ended) {
    this.client = new Client(url, { pipelining: 1 })
    this.options = { origin: url, method: 'GET', path: '/' }
    this.load = load
    this.ended = ended
    this.startMs = 0
    this.status = 0
  }

  send(startMs) {
    this.startMs = startMs
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
    this.load.histogram.recordValue(Math.max(1, Math.round((performance.now() - this.startMs) * 1000)))
    this.load.requests++
    if (this.status >= 200 && this.status < 400)
      this.load.ok++
    this.ended(this)
  }

  onError() {
    this.load.requests++
    this.load.errors++
    // errors can come inside dispatch(): go on from a fresh stack
    setImmediate(() => this.ended(this))
  }
}

/** What a load measured, for the bench. */
function loadOf() {
  return {
    histogram: hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 }),
    requests: 0,
    ok: 0,
    errors: 0,
  }
}

function figuresOf({ histogram, ...counts }) {
  return {
    ...counts,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
  }
}

/** Each connection sends its next request as soon as the previous one ends, for `durationMs`. */
async function runBare({ url, connections, durationMs }) {
  const load = loadOf()
  let running = connections
  let done
  const finished = new Promise(resolve => done = resolve)
  let endMs = 0
  const next = (user) => {
    if (performance.now() >= endMs) {
      if (--running === 0)
        done()
      return
    }
    user.send(performance.now())
  }
  const users = Array.from({ length: connections }, () => new Connection(url, load, next))

  const startAtMs = epochNowMs()
  const startCpuS = cpuSeconds()
  endMs = performance.now() + durationMs
  for (const user of users)
    next(user)
  await finished
  const endAtMs = epochNowMs()
  const cpuS = cpuSeconds() - startCpuS
  await Promise.all(users.map(user => user.client.destroy()))
  return {
    ...figuresOf(load),
    windowMs: endAtMs - startAtMs,
    cpuS,
  }
}

/**
 * The same reference at a fixed rate, as the open model sends (bench/lib/arrivals.js): latency
 * from each arrival's intended time.
 */
async function runBareOpen({ url, connections, durationMs, rate }) {
  const load = loadOf()
  let pacer
  const users = Array.from({ length: connections }, () => new Connection(url, load, user => pacer.free(user)))
  pacer = paceArrivals({ connections: users, rate, durationMs }, (user, intendedMs) => user.send(intendedMs))
  const paced = await pacer.finished
  await Promise.all(users.map(user => user.client.destroy()))
  return {
    ...figuresOf(load),
    ...paced,
  }
}

serveRequests(async (message) => {
  if (message.type === 'load')
    return runBare(message)
  if (message.type === 'open')
    return runBareOpen(message)
  throw new Error(`unknown request ${message.type}`)
})
