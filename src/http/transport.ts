import type { Dispatcher } from 'undici'
import { createHttp1Transport } from './http1.js'

/**
 * How requests reach the target: the one seam between the engine (users, executors, a scenario's
 * `ctx.http`) and a protocol. Each protocol implements it in its own file; today HTTP/1.1
 * (`http1.ts`). A handler hears every event of its request through undici's dispatch callbacks
 * (`exchange.ts` is the one handler).
 */
export interface Transport {
  /** Sends one request; `handler` hears its connect, headers, body, end or error. */
  send: (options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) => void
  /** Closes every connection now; requests in flight end with an error. */
  close: () => Promise<void>
}

export interface TransportOptions {
  /** `http://127.0.0.1:3000`: scheme, host and port. */
  origin: string
  /** The connect timeout, and undici's own read timeouts (ours covers the whole request). */
  timeoutMs: number
  /**
   * At most this many connections: `1` for a declarative user (one request at a time, one
   * keep-alive connection); unset for a scenario user, one connection per request in flight.
   */
  connections?: number
}

/** A transport to `options.origin`. */
export function openTransport(options: TransportOptions): Transport {
  return createHttp1Transport(options)
}
