/** Counts for one endpoint over some span of time. Every field adds exactly across workers and intervals. */
export interface EndpointCounters {
  /** Finished requests: successes plus every kind of error. */
  requests: number
  /** Responses with a status the test expects (`2xx`/`3xx` unless `expectStatus` says otherwise). */
  ok: number
  /** Responses with any other status. */
  httpErrors: number
  /** Requests that failed below HTTP: refused or reset connections, sockets closed mid-response. */
  networkErrors: number
  /** Requests that took longer than `request.timeout`. */
  timeouts: number
  /** Responses by status code, e.g. `{ '200': 95, '500': 5 }`. */
  statusCodes: Record<string, number>
  /** Bytes of request line, headers and body written, as estimated from the request built once per run. */
  bytesSent: number
  /** Bytes of response headers and body received. */
  bytesReceived: number
  /** Errors by message, e.g. `{ 'ECONNRESET: other side closed': 3 }`; at most 20 distinct messages, the rest under `'(other)'`. */
  errorMessages: Record<string, number>
}

export const MAX_ERROR_MESSAGES = 20

export function createCounters(): EndpointCounters {
  return {
    requests: 0,
    ok: 0,
    httpErrors: 0,
    networkErrors: 0,
    timeouts: 0,
    statusCodes: createTally(),
    bytesSent: 0,
    bytesReceived: 0,
    errorMessages: createTally(),
  }
}

/**
 * Counts keyed by text from outside (error messages): without a prototype, a message such as
 * 'constructor' or '__proto__' is a key like any other, not an inherited property.
 */
function createTally(): Record<string, number> {
  return Object.create(null) as Record<string, number>
}

function addRecord(target: Record<string, number>, source: Readonly<Record<string, number>>, limit = Infinity): void {
  for (const [key, count] of Object.entries(source)) {
    const slot = key in target || Object.keys(target).length < limit
      ? key
      : '(other)'
    target[slot] = (target[slot] ?? 0) + count
  }
}

/** Adds `source` into `target`: every count adds, so merge order never matters. */
export function addCounters(target: EndpointCounters, source: Readonly<EndpointCounters>): void {
  target.requests += source.requests
  target.ok += source.ok
  target.httpErrors += source.httpErrors
  target.networkErrors += source.networkErrors
  target.timeouts += source.timeouts
  target.bytesSent += source.bytesSent
  target.bytesReceived += source.bytesReceived
  addRecord(target.statusCodes, source.statusCodes)
  addRecord(target.errorMessages, source.errorMessages, MAX_ERROR_MESSAGES)
}

export function errorCount(counters: Readonly<EndpointCounters>): number {
  return counters.httpErrors + counters.networkErrors + counters.timeouts
}
