import type { AddressInfo, Socket } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { describe, expect, it, onTestFinished } from 'vitest'
import { prepareRequest } from '../../src/http/request.js'
import { HttpUser } from '../../src/http/user.js'
import { runLoad } from '../../src/index.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'
import { ScenarioHttpClient } from '../../src/scenario/http-client.js'
import { EndpointRecorders } from '../../src/scenario/recorders.js'
import { validateOptions } from '../../src/spec/validate.js'
import { fixed, startServer } from '../helpers/server.js'

/**
 * A server on 127.0.0.1 that can go down (listener and every connection closed, so connects are
 * refused) and come back on the same port. It counts the bytes that arrive on its sockets.
 */
async function startRestartableServer() {
  let requests = 0
  let bytesIn = 0
  let onRequest: (count: number) => void = () => {}
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    requests++
    onRequest(requests)
    req.resume()
    req.on('end', () => res.end('ok'))
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('data', (chunk: Buffer) => bytesIn += chunk.length)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  const down = async (): Promise<void> => {
    if (!server.listening)
      return
    server.closeAllConnections()
    for (const socket of sockets)
      socket.destroy()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  onTestFinished(down)
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    bytesIn: () => bytesIn,
    /** Calls `fn` once, on the `count`th request. */
    onRequestNumber: (count: number, fn: () => void) => {
      onRequest = n => n === count && fn()
    },
    down,
    up: async (): Promise<void> => {
      server.listen(port, '127.0.0.1')
      await once(server, 'listening')
    },
  }
}

async function closedPortUrl(): Promise<string> {
  const server = await startServer(fixed())
  await server.close()
  return server.url
}

function requestSpec(target: string) {
  return validateOptions('GET /', {
    target,
    load: { users: 1, iterations: 1 },
  }, 1).request
}

describe('a user whose connect fails backs off', () => {
  it('4 users against a target down for 2 s make a few dozen attempts, every one counted, and resume when it is back', async () => {
    const server = await startRestartableServer()
    // down after the 50th request (the run is under way), back up 2 s later
    let downAtMs = 0
    let upAtMs = 0
    server.onRequestNumber(50, () => {
      void server.down().then(() => {
        downAtMs = performance.now()
        setTimeout(() => void server.up().then(() => upAtMs = performance.now()), 2000)
      })
    })
    const startedMs = performance.now()

    const run = await runLoad({
      target: server.url,
      load: { users: 4, duration: '5s' },
      workers: 1,
      errorBudget: false,
    })

    expect(downAtMs).toBeGreaterThan(startedMs)
    expect(upAtMs).toBeGreaterThan(downAtMs)
    const { requests, ok, errors } = run.totals
    // every attempt is counted, as an error
    expect(requests).toBe(ok + errors.total)
    expect(errors.network).toBeGreaterThan(4)
    // 10, 20, 40 … 1000 ms: about 9 attempts per user in 2 s (the requests reset when the
    // server went down add one each); without back-off, thousands a second
    expect(errors.total).toBeLessThan(4 * 15)
    // back again: the users' waits (at most 1 s) ended and they succeed; the last second has no errors
    const last = run.timeline.at(-2)!
    expect(last.requests).toBeGreaterThan(0)
    expect(last.errors).toBe(0)
    // the server saw every success, plus the requests in flight when it went down (at most one a user)
    expect(server.requests() - ok).toBeGreaterThanOrEqual(0)
    expect(server.requests() - ok).toBeLessThanOrEqual(4)
    console.log(`outage of 2 s, 4 users, 1 worker: ${errors.total} failed attempts (${errors.network} network), ${ok} ok; bytes sent ${run.totals.bytesSent}`)
  })

  it('stops promptly when the run is aborted while its users wait out a back-off', async () => {
    const server = await startRestartableServer()
    server.onRequestNumber(20, () => void server.down())
    const controller = new AbortController()
    let abortedAtMs = 0
    // the waits have grown towards 1 s by then
    setTimeout(() => {
      abortedAtMs = performance.now()
      controller.abort()
    }, 2500)

    const error = await runLoad({
      target: server.url,
      load: { users: 4, duration: '20s' },
      workers: 1,
      errorBudget: false,
    }, { signal: controller.signal }).catch((error: unknown) => error)

    expect(error).toBeInstanceOf(Error)
    // a 1 s wait would hold the run up; the stop ends it at once (generous bound for a busy machine)
    expect(performance.now() - abortedAtMs).toBeLessThan(900)
  })
})

describe('bytesSent counts only bytes written to a socket', () => {
  it('a refused connect sends nothing: 5 attempts, 0 bytes, and the waits back off', async () => {
    const url = await closedPortUrl()
    const request = prepareRequest(requestSpec(url))
    const recorder = new EndpointRecorder('GET /')
    const user = new HttpUser(0, request, recorder)
    const startedMs = performance.now()

    await user.run(current => current.iterations < 5)
    await user.close()

    const { counters } = recorder.takeSnapshot()
    expect(counters.requests).toBe(5)
    expect(counters.networkErrors).toBe(5)
    expect(counters.bytesSent).toBe(0)
    // waits of 10, 20, 40 and 80 ms between the 5 attempts
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(150)
  })

  it('against a healthy server, bytesSent equals the bytes that arrived at its sockets', async () => {
    const server = await startRestartableServer()
    const request = prepareRequest(requestSpec(server.url))
    const recorder = new EndpointRecorder('GET /')
    const user = new HttpUser(0, request, recorder)

    await user.run(current => current.iterations < 20)
    await user.close()

    const { counters } = recorder.takeSnapshot()
    expect(counters.ok).toBe(20)
    expect(counters.bytesSent).toBe(server.bytesIn())
    expect(counters.bytesSent).toBe(20 * request.bytesSent)
  })

  it('a scenario\'s ctx.http sends nothing to a refused port and counts the failed connect', async () => {
    const url = await closedPortUrl()
    const recorders = new EndpointRecorders()
    const client = new ScenarioHttpClient(requestSpec(url), recorders, () => {})

    await expect(client.http.get('/users')).rejects.toThrow()
    await expect(client.http.get('/users')).rejects.toThrow()
    await client.close()

    const [snapshot] = recorders.takeSnapshots()
    expect(snapshot!.counters.networkErrors).toBe(2)
    expect(snapshot!.counters.bytesSent).toBe(0)
    expect(client.connectFailures).toBe(2)
  })

  it('a scenario\'s ctx.http counts the bytes of requests a healthy server received, and a response ends the failure streak', async () => {
    const server = await startRestartableServer()
    const recorders = new EndpointRecorders()
    const client = new ScenarioHttpClient(requestSpec(server.url), recorders, () => {})
    client.connectFailures = 3

    for (let i = 0; i < 10; i++)
      await client.http.get('/users')
    await client.close()

    const [snapshot] = recorders.takeSnapshots()
    expect(snapshot!.counters.ok).toBe(10)
    expect(snapshot!.counters.bytesSent).toBe(server.bytesIn())
    expect(client.connectFailures).toBe(0)
  })
})
