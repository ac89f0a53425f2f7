import type { Transport, TransportOptions } from './transport.js'
import { Client, Pool } from 'undici'

/**
 * HTTP/1.1 over undici: a `Client` (one keep-alive connection, no pipelining, so a slow response
 * delays only its own user) when one connection is asked for, else a `Pool` that opens one
 * connection per request in flight.
 */
export function createHttp1Transport({ origin, timeoutMs, connections }: TransportOptions): Transport {
  const settings = {
    pipelining: 1,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  }
  const dispatcher = connections === 1
    ? new Client(origin, settings)
    : new Pool(origin, {
        ...settings,
        ...(connections !== undefined && { connections }),
      })
  return {
    send: (options, handler) => {
      dispatcher.dispatch(options, handler)
    },
    close: () => dispatcher.destroy(),
  }
}
