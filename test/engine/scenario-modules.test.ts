import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

/**
 * A small API for the scenario fixtures, counting every request at the server by method and path
 * (without the query): POST /login hands out a token per user, GET /me accepts only that user's
 * token, /status/N answers N, /reset drops the connection, anything else answers 200 after `delayMs`.
 */
async function startApi(delayMs = 0) {
  const seen = new Map<string, number>()
  const tokens = new Map<string, string>()
  const count = (key: string): number => seen.get(key) ?? 0
  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const key = `${req.method} ${url.pathname}`
    seen.set(key, count(key) + 1)
    const status = /^\/status\/(\d{3})$/.exec(url.pathname)
    if (url.pathname === '/reset') {
      req.socket.destroy()
    }
    else if (key === 'POST /login') {
      const { user } = JSON.parse(body) as { user: number }
      const token = `token-${user}-${Math.random().toString(36).slice(2)}`
      tokens.set(String(user), token)
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ token }))
    }
    else if (key === 'GET /me') {
      const expected = tokens.get(url.searchParams.get('user') ?? '')
      res.statusCode = expected !== undefined && req.headers.authorization === `Bearer ${expected}`
        ? 200
        : 401
      res.end()
    }
    else if (status) {
      res.statusCode = Number(status[1])
      res.end()
    }
    else {
      setTimeout(() => res.end('ok'), delayMs)
    }
  }
  const server = await startServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => body += chunk)
    req.on('end', () => handle(req, res, body))
  })
  return { url: server.url, count, total: server.requests }
}

describe('scenario modules against a server that counts what it receives', () => {
  it('runs 3:1 weighted tasks exactly 300 and 100 times in 4 users × 100 iterations', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('weighted.scenario.ts'),
      load: { users: 4, iterations: 100 },
      workers: 2,
    })

    expect(api.count('GET /browse')).toBe(300)
    expect(api.count('POST /buy')).toBe(100)
    expect(run.endpoint('GET /browse').totals.requests).toBe(300)
    expect(run.endpoint('POST /buy').totals.requests).toBe(100)
    expect(run.endpoint('POST /buy').totals.bytesSent).toBeGreaterThan(100 * 'POST /buy HTTP/1.1\r\n'.length)
    expect(run.totals.requests).toBe(400)
    expect(run.errorRate).toBe(0)
    expect(run.name).toBe('weighted.scenario.ts')
  })

  it('runs onStart once per user and hands its state to every iteration', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('login.scenario.ts'),
      load: { users: 5, iterations: 4 },
      workers: 2,
    })

    expect(api.count('POST /login')).toBe(5)
    // the server answers 401 to a token that is not the user's own
    expect(api.count('GET /me')).toBe(20)
    expect(run.endpoint('GET /me').totals.statusCodes).toEqual({ 200: 20 })
    expect(api.count('POST /logout')).toBe(5)
    expect(run.errorRate).toBe(0)
  })

  it('runs onStop for every user when the run ends by duration', async () => {
    const api = await startApi(5)

    await runLoad({
      target: api.url,
      scenario: scenario('login.scenario.ts'),
      load: { users: 3, duration: '1s' },
      workers: 2,
    })

    expect(api.count('POST /login')).toBe(3)
    expect(api.count('POST /logout')).toBe(3)
    expect(api.count('GET /me')).toBeGreaterThan(3)
  })

  it('groups /items/1 … /items/5 under one name and leaves the query out of default names', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('items.scenario.ts'),
      load: { users: 2, iterations: 10 },
      workers: 2,
    })

    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /items', 'GET /items/[id]'])
    expect(run.endpoint('GET /items/[id]').totals.requests).toBe(20)
    expect(run.endpoint('GET /items').totals.requests).toBe(20)
    for (const id of [1, 2, 3, 4, 5])
      expect(api.count(`GET /items/${id}`)).toBe(4)
  })

  it('constant(\'100ms\') think time keeps each user to at most 10 iterations a second', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('think-time.scenario.ts'),
      load: { users: 2, duration: '1s' },
      workers: 1,
    })

    // iterations start at 0, ≥100, ≥200 … ≥900 ms: 10 per user at most
    expect(api.total()).toBeLessThanOrEqual(20)
    expect(api.total()).toBeGreaterThanOrEqual(10)
    expect(run.totals.requests).toBe(api.total())
  })

  it('pacing(\'200ms\') starts an iteration every 200 ms, whatever the iteration took', async () => {
    const api = await startApi(50)

    await runLoad({
      target: api.url,
      scenario: scenario('pacing.scenario.ts'),
      load: { users: 1, duration: '1s' },
      workers: 1,
    })

    // at 0, 200, 400, 600 and 800 ms; constant('200ms') after a 50 ms request would fit only 4
    expect(api.total()).toBeLessThanOrEqual(5)
    expect(api.total()).toBeGreaterThanOrEqual(4)
  })

  it('counts a task that throws under \'task checkout\' with its message, and the users go on', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('throwing.scenario.ts'),
      load: { users: 2, iterations: 10 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    const checkout = run.endpoint('task checkout')
    expect(checkout.totals.errors.total).toBe(10)
    expect(checkout.totals.errorMessages).toEqual({ 'cart is empty': 10 })
    expect(api.count('GET /')).toBe(10)
    expect(run.endpoint('GET /').totals.ok).toBe(10)
    expect(run.totals.requests).toBe(20)
    expect(run.errorRate).toBe(0.5)
  })

  it('records an unexpected status without throwing, and a reset connection once, as a network error', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('failing-requests.scenario.ts'),
      load: { users: 1, iterations: 4 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(run.endpoint('GET /status/500').totals.errors.http).toBe(2)
    expect(run.endpoint('GET /status/404').totals.ok).toBe(2)
    expect(run.endpoint('GET /reset').totals.errors.network).toBe(2)
    // the task let the rejection through: not counted again under 'task reset', nor did 'status' throw
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /reset', 'GET /status/404', 'GET /status/500'])
    expect(run.totals.errors.total).toBe(4)
  })

  it('runs one iteration per arrival in the open model, onStart and onStop once per user that ran', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('login.scenario.ts'),
      load: { rate: 20, duration: '1s', maxUsers: 5 },
      workers: 1,
    })

    expect(run.droppedArrivals).toBe(0)
    expect(api.count('GET /me')).toBe(20)
    expect(api.count('POST /login')).toBeGreaterThanOrEqual(1)
    expect(api.count('POST /login')).toBeLessThanOrEqual(5)
    expect(api.count('POST /logout')).toBe(api.count('POST /login'))
    expect(run.errorRate).toBe(0)
  })

  it('starts and stops users as a ramp moves, each with onStart and onStop', async () => {
    const api = await startApi(5)

    await runLoad({
      target: api.url,
      scenario: scenario('login.scenario.ts'),
      load: {
        stages: [
          { duration: '300ms', users: 3 },
          { duration: '400ms', users: 3 },
          { duration: '300ms', users: 0 },
        ],
        gracefulStop: '1s',
      },
      workers: 1,
    })

    expect(api.count('POST /login')).toBe(3)
    expect(api.count('POST /logout')).toBe(3)
  })

  it('times calls that are not HTTP with ctx.measure, and records a rejection once, under its name', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('measure.scenario.ts'),
      load: { users: 2, iterations: 4 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    const slow = run.endpoint('db: slow query')
    expect(slow.totals.requests).toBe(8)
    expect(slow.latency.minMs).toBeGreaterThanOrEqual(20)
    expect(slow.totals.statusCodes).toEqual({})
    const publish = run.endpoint('queue: publish')
    expect(publish.totals.ok).toBe(4)
    expect(publish.totals.errorMessages).toEqual({ 'queue is full': 4 })
    // the rejection went through the task, which does not count it again
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['db: slow query', 'queue: publish'])
    expect(api.total()).toBe(0)
  })

  it('loads a scenario module written in plain JavaScript', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('plain.scenario.mjs'),
      load: { users: 1, iterations: 3 },
    })

    expect(api.count('GET /plain')).toBe(3)
    expect(run.endpoint('GET /plain').totals.ok).toBe(3)
  })

  it('sends scenario requests under the target\'s base path', async () => {
    const api = await startApi()

    const run = await runLoad({
      target: `${api.url}/api/`,
      scenario: scenario('plain.scenario.mjs'),
      load: { users: 1, iterations: 2 },
    })

    expect(api.count('GET /api/plain')).toBe(2)
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /api/plain'])
  })
})
