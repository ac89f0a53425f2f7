import type { RunOverlap } from '../metrics/overlap.js'

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
  /**
   * The id of the test side's own overlap tracker (one per test file's module graph): the reporter
   * does not name runs of one group to each other, since that side sees them itself.
   */
  group?: string
  /** The test file, an absolute path: the reporter names it, relative to the Vitest root, to runs that overlap this one. */
  file?: string
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
 * then an `update` per closed second, and an `end` when the load has stopped, which the reporter
 * answers with an `overlaps` line. The connection closing ends the run's display.
 */
export type ProgressMessage
  = | ({ type: 'start' } & ProgressStart)
    | ({ type: 'update' } & ProgressFigures)
    | { type: 'end' }

/** The reporter's answer to `end`: the load tests of other test processes that ran during this one. */
export interface OverlapsAnswer {
  type: 'overlaps'
  overlaps: RunOverlap[]
}

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
      ...(typeof message.group === 'string' && { group: message.group }),
      ...(typeof message.file === 'string' && { file: message.file }),
    }
  }
  if (message.type === 'end')
    return { type: 'end' }
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

function isOverlap(value: unknown): value is RunOverlap {
  if (typeof value !== 'object' || value === null)
    return false
  const overlap = value as Record<string, unknown>
  return typeof overlap.name === 'string' && isNumber(overlap.ms)
    && (overlap.file === undefined || typeof overlap.file === 'string')
}

/** Reads the reporter's answer to `end`; anything else is `undefined`. */
export function parseOverlapsAnswer(line: string): OverlapsAnswer | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  }
  catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null)
    return undefined
  const answer = value as Record<string, unknown>
  if (answer.type !== 'overlaps' || !Array.isArray(answer.overlaps) || !answer.overlaps.every(isOverlap))
    return undefined
  return {
    type: 'overlaps',
    overlaps: answer.overlaps.map(({ name, file, ms }) => ({
      name,
      ...(file !== undefined && { file }),
      ms,
    })),
  }
}
