import type { EndpointCounters } from './counters.js'
import type { Histogram } from './histogram.js'
import type { EndpointSnapshot } from './snapshot.js'
import { createCounters, MAX_ERROR_MESSAGES } from './counters.js'
import { createLatencyHistogram, encodeHistogram } from './histogram.js'

export type ErrorKind = 'network' | 'timeout'

/**
 * Records one endpoint's requests inside a worker. The per-request methods only add to numbers and
 * one histogram; objects are built once a second in `takeSnapshot()`.
 */
export class EndpointRecorder {
  readonly name: string
  #histogram: Histogram = createLatencyHistogram()
  #statusCounts = new Uint32Array(600)
  #counters: EndpointCounters = createCounters()

  constructor(name: string) {
    this.name = name
  }

  /** A response arrived: `latencyUs` from the intended start to the last byte. */
  recordResponse(status: number, ok: boolean, latencyUs: number, bytesSent: number, bytesReceived: number): void {
    const counters = this.#counters
    counters.requests++
    if (ok)
      counters.ok++
    else
      counters.httpErrors++
    counters.bytesSent += bytesSent
    counters.bytesReceived += bytesReceived
    if (status >= 0 && status < 600)
      this.#statusCounts[status]!++
    this.#histogram.recordValue(latencyUs < 1
      ? 1
      : latencyUs)
  }

  /** A request failed without a response. It counts as an error and has no latency. */
  recordError(kind: ErrorKind, message: string, bytesSent: number, bytesReceived: number): void {
    const counters = this.#counters
    counters.requests++
    if (kind === 'timeout')
      counters.timeouts++
    else
      counters.networkErrors++
    counters.bytesSent += bytesSent
    counters.bytesReceived += bytesReceived
    const messages = counters.errorMessages
    const key = message in messages || Object.keys(messages).length < MAX_ERROR_MESSAGES
      ? message
      : '(other)'
    messages[key] = (messages[key] ?? 0) + 1
  }

  /** Returns what was recorded since the last snapshot and starts the next interval empty. */
  takeSnapshot(): EndpointSnapshot {
    const counters = this.#counters
    for (let status = 0; status < 600; status++) {
      if (this.#statusCounts[status]! > 0)
        counters.statusCodes[status] = this.#statusCounts[status]!
    }
    const snapshot = {
      name: this.name,
      counters,
      histogram: encodeHistogram(this.#histogram),
    }
    this.#statusCounts.fill(0)
    this.#histogram.reset()
    this.#counters = createCounters()
    return snapshot
  }
}
