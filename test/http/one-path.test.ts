import type { Socket } from 'node:net'
import type { EndpointSnapshot } from '../../src/metrics/snapshot.js'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { describe, expect, it, onTestFinished } from 'vitest'
import { prepareRequest } from '../../src/http/request.js'
import { TimeoutSweep } from '../../src/http/timeout-sweep.js'
import { HttpUser } from '../../src/http/user.js'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'
import { ScenarioHttpClient } from '../../src/scenario/http-client.js'
import { EndpointRecorders } from '../../src/scenario/recorders.js'
import { validateOptions } from '../../src/spec/validate.js'

/**
 * The same request sent both ways, by a declarative user (`HttpUser`) and by a scenario's
 * `ctx.http`, must record the same: they share one preparation and one dispatch handler, and this
 * checks the outcome against a real server that counts the bytes it receives.
 *
 * `/created`: 201 with a JSON body and a repeated header. `/slow`: answers after 400 ms.
 * `/reset`: destroys the connection without answering.
 */
async function startCountingServer() {
  let bytesIn = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url === '/api/reset') {
        req.socket.destroy()
        return
      }
      const answer = (): void => {
        res.setHeader('x-trace', ['a', 'b'])
        res.writeHead(req.url === '/api/created'
          ? 201
          : 200, { 'content-type': 'application/json' })
        res.end('{"id":7,"name":"jérémy"}')
      }
      if (req.url === '/api/slow')
        setTimeout(answer, 400)
      else
        answer()
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => socket.on('data', (chunk: Buffer) => bytesIn += chunk.length))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })
  const { port } = server.address() as { port: number }
  return {
    /** The target, with a base path that both ways must keep. */
    target: `http://127.0.0.1:${port}/api`,
    bytesIn: () => bytesIn,
  }
}

const HEADERS = { 'x-api-key': 'k-1', 'accept': 'application/json' }
const JSON_BODY = {
  name: 'jérémy',
  tags: ['a', 'b'],
}

/** The load test's request for `path`, as the validator resolves it. */
function specFor(target: string, path: string, options: { timeout?: string, expectStatus?: number } = {}) {
  return validateOptions('one path', {
    target,
    request: {
      method: 'POST',
      path,
      headers: HEADERS,
      json: JSON_BODY,
      ...options,
    },
    load: { users: 1, iterations: 1 },
  }, 1).request
}

/** Sends once the declarative way; `lateMs` > 0 sends it as an open-model arrival that late. */
async function sendDeclarative(target: string, path: string, options: { timeout?: string, expectStatus?: number, lateMs?: number } = {}): Promise<EndpointSnapshot> {
  const { lateMs = 0, ...requestOptions } = options
  const spec = specFor(target, path, requestOptions)
  const recorder = new EndpointRecorder(spec.name, { serviceTime: true })
  const user = new HttpUser(0, prepareRequest(spec), recorder)
  const sweep = new TimeoutSweep(spec.timeoutMs, nowMs => user.expireIfLate(nowMs), () => performance.now())
  sweep.start()
  try {
    await new Promise<void>(resolve => user.fire(performance.now() - lateMs, () => resolve()))
  }
  finally {
    sweep.stop()
    await user.close()
  }
  return recorder.takeSnapshot()
}

/** Sends once through a scenario's ctx.http, with the load test's defaults (the 10 s timeout). */
async function sendFromScenario(target: string, path: string, options: { timeout?: string, expectStatus?: number, lateMs?: number } = {}): Promise<{ snapshot: EndpointSnapshot, outcome: unknown }> {
  const defaults = validateOptions('one path', {
    target,
    scenario: new URL('../fixtures/scenarios/login.scenario.ts', import.meta.url),
    load: { users: 1, iterations: 1 },
  }, 1).request
  const recorders = new EndpointRecorders({ serviceTime: true })
  const clients: ScenarioHttpClient[] = []
  const sweep = new TimeoutSweep(defaults.timeoutMs, nowMs => clients.forEach(client => client.expireIfLate(nowMs)), () => performance.now())
  const client = new ScenarioHttpClient(defaults, recorders, () => {}, undefined, sweep.cover)
  clients.push(client)
  sweep.start()
  let outcome: unknown
  try {
    client.arrivalLate(options.lateMs ?? 0)
    outcome = await client.http.post(path, {
      headers: HEADERS,
      json: JSON_BODY,
      ...(options.timeout !== undefined && { timeout: options.timeout }),
      ...(options.expectStatus !== undefined && { expectStatus: options.expectStatus }),
      name: specFor(target, path).name,
    }).catch((error: Error) => error)
  }
  finally {
    sweep.stop()
    await client.close()
  }
  const [snapshot] = recorders.takeSnapshots()
  return { snapshot: snapshot!, outcome }
}

function latencyAndServiceMs(snapshot: EndpointSnapshot) {
  const latency = decodeHistogram(snapshot.histogram)
  const service = decodeHistogram(snapshot.serviceHistogram!)
  return {
    count: latency.totalCount,
    serviceCount: service.totalCount,
    latencyMs: latency.maxValue / 1000,
    serviceMs: service.maxValue / 1000,
  }
}

describe('one request path: the same request sent both ways records the same', () => {
  it('a 201 with a body: the same bytes sent (those the server received), bytes received, status and success', async () => {
    const server = await startCountingServer()
    const declarative = await sendDeclarative(server.target, '/created', { expectStatus: 201 })
    const sentByDeclarative = server.bytesIn()
    const { snapshot: scenario, outcome } = await sendFromScenario(server.target, '/created', { expectStatus: 201 })

    expect(declarative.name).toBe('POST /api/created')
    expect(scenario.name).toBe(declarative.name)
    for (const snapshot of [declarative, scenario]) {
      expect(snapshot.counters).toMatchObject({
        requests: 1,
        ok: 1,
        httpErrors: 0,
        networkErrors: 0,
        timeouts: 0,
        statusCodes: { 201: 1 },
      })
    }
    // both count what reached the server's socket, byte for byte
    expect(declarative.counters.bytesSent).toBe(sentByDeclarative)
    expect(scenario.counters.bytesSent).toBe(server.bytesIn() - sentByDeclarative)
    expect(scenario.counters.bytesReceived).toBe(declarative.counters.bytesReceived)
    expect(declarative.counters.bytesReceived).toBeGreaterThan('{"id":7,"name":"jérémy"}'.length)
    // the scenario still gets the response: headers (a repeated one as an array) and the body
    expect(outcome).toMatchObject({
      status: 201,
      ok: true,
      headers: {
        'x-trace': ['a', 'b'],
      },
    })
    expect((outcome as { json: () => unknown }).json()).toEqual({ id: 7, name: 'jérémy' })
  })

  it('a status the request does not expect: an HTTP error both ways, counted alike', async () => {
    const server = await startCountingServer()
    const declarative = await sendDeclarative(server.target, '/created', { expectStatus: 200 })
    const { snapshot: scenario, outcome } = await sendFromScenario(server.target, '/created', { expectStatus: 200 })

    for (const snapshot of [declarative, scenario]) {
      expect(snapshot.counters).toMatchObject({
        requests: 1,
        ok: 0,
        httpErrors: 1,
        statusCodes: { 201: 1 },
      })
    }
    expect(outcome).toMatchObject({ status: 201, ok: false })
  })

  it('a reset connection: the same error class and message both ways', async () => {
    const server = await startCountingServer()
    const declarative = await sendDeclarative(server.target, '/reset')
    const { snapshot: scenario, outcome } = await sendFromScenario(server.target, '/reset')

    expect(declarative.counters).toMatchObject({ requests: 1, networkErrors: 1, timeouts: 0 })
    expect(scenario.counters.errorMessages).toEqual(declarative.counters.errorMessages)
    expect(scenario.counters).toMatchObject({
      requests: 1,
      networkErrors: 1,
      timeouts: 0,
      bytesSent: declarative.counters.bytesSent,
    })
    expect(outcome).toBeInstanceOf(Error)
  })

  it('a timeout of 100 ms against a 400 ms answer: a timeout both ways, ended by the sweep', async () => {
    const server = await startCountingServer()
    const startedMs = performance.now()
    const declarative = await sendDeclarative(server.target, '/slow', { timeout: '100ms' })
    // the call's own timeout, shorter than the load test's 10 s: the sweep must cover it
    const { snapshot: scenario, outcome } = await sendFromScenario(server.target, '/slow', { timeout: '100ms' })
    const tookMs = performance.now() - startedMs

    const message = 'VL_REQUEST_TIMEOUT: no complete response within 100 ms'
    expect(declarative.counters).toMatchObject({
      requests: 1,
      timeouts: 1,
      networkErrors: 0,
      errorMessages: { [message]: 1 },
    })
    expect(scenario.counters).toMatchObject({
      requests: 1,
      timeouts: 1,
      networkErrors: 0,
      errorMessages: { [message]: 1 },
    })
    expect(outcome).toMatchObject({ code: 'VL_REQUEST_TIMEOUT' })
    // each ended near its 100 ms (sweeps of 10 ms), far from the server's 400 ms
    expect(tookMs).toBeLessThan(700)
  })

  it('both clocks: an arrival sent 80 ms late has its lateness in latency and not in service time, both ways', async () => {
    const server = await startCountingServer()
    const declarative = latencyAndServiceMs(await sendDeclarative(server.target, '/created', { lateMs: 80 }))
    const scenario = latencyAndServiceMs((await sendFromScenario(server.target, '/created', { lateMs: 80 })).snapshot)

    for (const timing of [declarative, scenario]) {
      expect(timing.count).toBe(1)
      expect(timing.serviceCount).toBe(1)
      expect(timing.latencyMs - timing.serviceMs).toBeGreaterThanOrEqual(79)
      expect(timing.latencyMs - timing.serviceMs).toBeLessThan(100)
    }
  })

  it('the lateness counts once: a second request of the same iteration has latency equal to its service time', async () => {
    const server = await startCountingServer()
    const defaults = validateOptions('one path', {
      target: server.target,
      scenario: new URL('../fixtures/scenarios/login.scenario.ts', import.meta.url),
      load: { users: 1, iterations: 1 },
    }, 1).request
    const recorders = new EndpointRecorders({ serviceTime: true })
    const client = new ScenarioHttpClient(defaults, recorders, () => {})
    try {
      client.arrivalLate(80)
      await client.http.get('/first')
      await client.http.get('/second')
    }
    finally {
      await client.close()
    }
    const byName = Object.fromEntries(recorders.takeSnapshots().map(snapshot => [
      snapshot.name,
      latencyAndServiceMs(snapshot),
    ]))
    expect(byName['GET /api/first']!.latencyMs - byName['GET /api/first']!.serviceMs).toBeGreaterThanOrEqual(79)
    expect(byName['GET /api/second']!.latencyMs).toBe(byName['GET /api/second']!.serviceMs)
  })
})
