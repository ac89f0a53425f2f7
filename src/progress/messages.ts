/** What a load test tells the display once its workers have started. */
export interface ProgressStart {
  /** The run's name, e.g. `'POST /users'`. */
  name: string
  /** How long the load is planned to run: its duration, or with iterations the most it may take. */
  plannedMs: number
  /** `true` when `plannedMs` is only a limit (`{ users, iterations }`): the run may end sooner. */
  plannedIsLimit: boolean
  /** The common start of the workers, on this machine's clock. */
  startAtEpochMs: number
}

/** The figures of a run once a second has closed: all workers together, so far. */
export interface ProgressFigures {
  /** Whole seconds since the start of the second that closed: 0 covers [0 s, 1 s). */
  second: number
  /** Users running (closed and ramping models) or busy with a request (open model) as it closed. */
  activeUsers: number
  /** Successful responses in that second: the current throughput (failed attempts are in `errors`). */
  requestsPerSec: number
  /** Requests finished since the start. */
  requests: number
  /** Of those, errors of every kind (HTTP statuses not expected, network errors, timeouts). */
  errors: number
  /** The 95th percentile of every latency since the start, from one running merged histogram. */
  p95Ms: number
}

/**
 * One line of the channel between a test and the reporter (JSON, newline-terminated): a `start`,
 * then an `update` per closed second. The connection closing ends the run's display.
 */
export type ProgressMessage
  = | ({ type: 'start' } & ProgressStart)
    | ({ type: 'update' } & ProgressFigures)

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** Reads one line of the channel; anything else (another program on the socket) is `undefined`. */
export function parseProgressMessage(line: string): ProgressMessage | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  }
  catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null)
    return undefined
  const message = value as Record<string, unknown>
  if (message.type === 'start' && typeof message.name === 'string' && isNumber(message.plannedMs)
    && typeof message.plannedIsLimit === 'boolean' && isNumber(message.startAtEpochMs)) {
    return {
      type: 'start',
      name: message.name,
      plannedMs: message.plannedMs,
      plannedIsLimit: message.plannedIsLimit,
      startAtEpochMs: message.startAtEpochMs,
    }
  }
  if (message.type === 'update' && [
    message.second,
    message.activeUsers,
    message.requestsPerSec,
    message.requests,
    message.errors,
    message.p95Ms,
  ].every(isNumber)) {
    return {
      type: 'update',
      second: message.second as number,
      activeUsers: message.activeUsers as number,
      requestsPerSec: message.requestsPerSec as number,
      requests: message.requests as number,
      errors: message.errors as number,
      p95Ms: message.p95Ms as number,
    }
  }
  return undefined
}
