import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { onTestFinished } from 'vitest'

/** A real HTTP server on 127.0.0.1 with a known behaviour, and what it saw. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Requests the server received, counted at the server. */
  requests: () => number
  close: () => Promise<void>
}

/**
 * Starts `handler` on 127.0.0.1, port 0. Closed when the current test finishes, or by `close()`
 * when started in a hook. Binds 127.0.0.1, not localhost, so IPv4/IPv6 resolution never matters.
 */
export async function startServer(handler: RequestListener, options: { closeOnTestFinished?: boolean } = {}): Promise<TestServer> {
  let count = 0
  const server = createServer((req, res) => {
    count++
    handler(req, res)
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  let closed = false
  const close = async (): Promise<void> => {
    if (closed)
      return
    closed = true
    server.closeAllConnections() // undici keeps sockets alive; close() alone would wait for them
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  if (options.closeOnTestFinished !== false)
    onTestFinished(close)
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close,
  }
}

/** Drains the request body, then answers. */
function afterBody(req: IncomingMessage, respond: () => void): void {
  req.resume()
  req.once('end', respond)
}

/**
 * Answers `200 ok` no sooner than `delayMs` after the request arrived. Node's timers count from
 * the event loop's cached time and may fire a little early, so the wait is checked on a precise
 * clock and re-armed for whatever is left: the delay is a true lower bound on latency.
 */
export function delayed(delayMs: number): RequestListener {
  return (req, res) => {
    const dueMs = performance.now() + delayMs
    const answerWhenDue = (): void => {
      const leftMs = dueMs - performance.now()
      if (leftMs > 0)
        setTimeout(answerWhenDue, leftMs)
      else
        res.end('ok')
    }
    afterBody(req, answerWhenDue)
  }
}

/**
 * Answers 500 to exactly `errorsPer` of every `outOf` requests, in a fixed order, and 200 to the
 * rest: `erroring(1, 10)` fails requests 10, 20, 30…, so any whole number of tens is exactly 10 %.
 */
export function erroring(errorsPer: number, outOf: number): RequestListener {
  let seen = 0
  return (req, res) => afterBody(req, () => {
    seen++
    res.statusCode = seen % outOf < errorsPer
      ? 500
      : 200
    res.end(res.statusCode === 500
      ? 'error'
      : 'ok')
  })
}

/** Never answers: the request stays open until the client gives up. */
export function stalling(): RequestListener {
  return req => req.resume()
}

/** Destroys the socket without any response. */
export function resetting(): RequestListener {
  return req => req.socket.destroy()
}

/** Answers at once with `status` and `body`. */
export function fixed(status = 200, body = 'ok'): RequestListener {
  return (req, res: ServerResponse) => afterBody(req, () => {
    res.statusCode = status
    res.end(body)
  })
}

/**
 * Answers `200 ok` at once, except that its event loop freezes for `freezeMs` every `everyMs`,
 * counting from the first request: nothing is read or answered while frozen, as in a long GC pause
 * or a blocking call. The first freeze begins `firstAfterMs` after the first request.
 */
export function freezing(options: { freezeMs: number, everyMs: number, firstAfterMs: number }): RequestListener & { freezes: () => number } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let freezes = 0
  const freeze = (): void => {
    freezes++
    const until = performance.now() + options.freezeMs
    while (performance.now() < until) {
      // busy: the event loop is blocked, like a server stuck in a synchronous call
    }
    timer = setTimeout(freeze, options.everyMs - options.freezeMs)
    timer.unref()
  }
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (timer === undefined) {
      timer = setTimeout(freeze, options.firstAfterMs)
      timer.unref()
    }
    afterBody(req, () => res.end('ok'))
  }
  onTestFinished(() => clearTimeout(timer))
  return Object.assign(handler, {
    freezes: () => freezes,
  })
}

/**
 * A server with a knee: it answers after `fastMs` while at most `capacity` requests are in
 * flight, and after `slowMs` once more are, as a pool of `capacity` workers that starts queueing.
 */
export function kneeAt(capacity: number, fastMs: number, slowMs: number): RequestListener {
  let inFlight = 0
  return (req, res) => {
    inFlight++
    const delayMs = inFlight > capacity
      ? slowMs
      : fastMs
    res.once('close', () => inFlight--)
    delayed(delayMs)(req, res)
  }
}
