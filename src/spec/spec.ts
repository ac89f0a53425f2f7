/** A request fully resolved before load starts: what each worker sends, with nothing left to compute. */
export interface RequestSpec {
  /** Endpoint name that groups the results, e.g. `'GET /users'`. */
  name: string
  method: string
  /** `http://127.0.0.1:3000`: scheme, host and port only. */
  origin: string
  /** Path with the query string, e.g. `/users?page=2`. */
  path: string
  /** Header names in lower case. */
  headers: Record<string, string>
  body: string | Uint8Array | null
  timeoutMs: number
  /** Inclusive status ranges that count as success, e.g. `[[200, 399]]`. */
  successStatuses: Array<[number, number]>
}

export interface ClosedLoadSpec {
  kind: 'closed'
  users: number
  /** Set for `{ users, duration }`; `null` for `{ users, iterations }`. */
  durationMs: number | null
  /** Requests per user; `null` for `{ users, duration }`. */
  iterationsPerUser: number | null
  /** The hard limit: the run is stopped and fails when it takes longer. */
  maxDurationMs: number
}

export type LoadSpec = ClosedLoadSpec

/** Validated, normalised options of one load test: `LoadTestOptions` with every default applied. */
export interface LoadTestSpec {
  name: string
  request: RequestSpec
  load: LoadSpec
  workers: number
}
