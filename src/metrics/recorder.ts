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
  /** Only when latency and service time can differ (the open model); a closed loop sends on time. */
  #serviceHistogram: Histogram | null
  #statusCounts = new Uint32Array(600)
  #counters: EndpointCounters = createCounters()

  constructor(name: string, options: { serviceTime?: boolean } = {}) {
    this.name = name
    this.#serviceHistogram = options.serviceTime
      ? createLatencyHistogram()
      : null
  }

  /**
   * A response arrived: `latencyUs` from the intended start to the last byte, `serviceUs` from the
   * actual send (the same in a closed loop, and then not recorded twice).
   */
  recordResponse(status: number, ok: boolean, latencyUs: number, serviceUs: number, bytesSent: number, bytesReceived: number): void {
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
    this.#serviceHistogram?.recordValue(serviceUs < 1
      ? 1
      : serviceUs)
  }

  /**
   * A timed call that is not an HTTP request (a scenario's `ctx.measure()`: a database query, a
   * message sent) finished: it counts as a successful request, with a latency but no status or bytes.
   */
  recordCall(latencyUs: number): void {
    this.#counters.requests++
    this.#counters.ok++
    this.#histogram.recordValue(latencyUs < 1
      ? 1
      : latencyUs)
    this.#serviceHistogram?.recordValue(latencyUs < 1
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
    const snapshot: EndpointSnapshot = {
      name: this.name,
      counters,
      histogram: encodeHistogram(this.#histogram),
    }
    if (this.#serviceHistogram) {
      snapshot.serviceHistogram = encodeHistogram(this.#serviceHistogram)
      this.#serviceHistogram.reset()
    }
    this.#statusCounts.fill(0)
    this.#histogram.reset()
    this.#counters = createCounters()
    return snapshot
  }
}
