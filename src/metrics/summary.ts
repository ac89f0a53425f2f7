import type { EndpointCounters } from './counters.js'
import type { EncodedHistogram, LatencySummary } from './histogram.js'

/** Errors by kind. `total` is their sum. */
export interface ErrorCounts {
  total: number
  /** Responses whose status the test does not expect (by default anything but 2xx and 3xx). */
  http: number
  /** Refused or reset connections and other failures below HTTP. */
  network: number
  /** Requests slower than `request.timeout`. */
  timeout: number
}

/** Totals of a run or of one endpoint. */
export interface RequestTotals {
  /** Finished requests: `ok` plus `errors.total`. */
  requests: number
  ok: number
  errors: ErrorCounts
  /** Responses by status code, e.g. `{ '200': 95, '500': 5 }`. */
  statusCodes: Record<string, number>
  /** Errors by message, e.g. `{ 'ECONNRESET: other side closed': 3 }`. */
  errorMessages: Record<string, number>
  bytesSent: number
  bytesReceived: number
}

/** One second of the run (the last one may be shorter; see `durationMs`). */
export interface TimelinePoint {
  /** Seconds since the start when this interval began: 0, 1, 2… */
  second: number
  durationMs: number
  requests: number
  errors: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  /** Virtual users running at the end of the interval. */
  activeUsers: number
}

/** The measurements of one endpoint name, or of the whole run. */
export interface EndpointResult {
  /** The endpoint name, e.g. `'GET /users'`. */
  name: string
  totals: RequestTotals
  /** `errors.total / requests`, 0 when nothing finished. */
  errorRate: number
  /** Finished requests per second over the measured time. */
  throughputPerSec: number
  /** From the merged HDR histogram; latency covers requests that received a response. */
  latency: LatencySummary
  timeline: TimelinePoint[]
  /** The merged latency histogram (µs), compressed, so runs can be merged or compared later. */
  histogram: EncodedHistogram
}

/** The finished result of one load test: immutable, with every figure read from merged data. */
export interface LoadRun extends EndpointResult {
  /** The load test's name. The run-wide figures merge every endpoint. */
  name: string
  /** Origin the requests went to, e.g. `'http://127.0.0.1:3000'`. */
  target: string
  /** One line describing the load model, e.g. `'20 users for 5 s'`. */
  model: string
  users: number
  workers: number
  /** When the first request was sent, ISO 8601. */
  startedAt: string
  /** From the start to the last response of any worker. */
  durationMs: number
  endpoints: EndpointResult[]
  /** The result of one endpoint name; throws `UnknownEndpointError` listing the known names. */
  endpoint: (name: string) => EndpointResult
}

export function toTotals(counters: Readonly<EndpointCounters>): RequestTotals {
  const errors = { http: counters.httpErrors, network: counters.networkErrors, timeout: counters.timeouts }
  return {
    requests: counters.requests,
    ok: counters.ok,
    errors: { total: errors.http + errors.network + errors.timeout, ...errors },
    statusCodes: { ...counters.statusCodes },
    errorMessages: { ...counters.errorMessages },
    bytesSent: counters.bytesSent,
    bytesReceived: counters.bytesReceived,
  }
}

/** A run or endpoint result: `run.endpoints[0]` and `run` itself both qualify. */
export function isEndpointResult(value: unknown): value is EndpointResult {
  if (typeof value !== 'object' || value === null)
    return false
  const candidate = value as Partial<EndpointResult>
  return typeof candidate.name === 'string' && typeof candidate.latency === 'object' && typeof candidate.totals === 'object'
}
