import type { TrendResult } from '../../src/index.js'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

/** GET /item: 200 with `{ id }` to 3 of every 4 requests the server receives, 503 'busy' to every 4th. */
async function startItems() {
  let received = 0
  return startServer((req, res) => {
    req.resume()
    req.once('end', () => {
      received++
      if (received % 4 === 0) {
        res.statusCode = 503
        res.end('busy')
      }
      else {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ id: received }))
      }
    })
  })
}

describe('checks and custom metrics against a server that fails every 4th request', () => {
  it('gives exact check counts and custom metrics over 4 users × 100 iterations on 2 workers', async () => {
    const server = await startItems()

    const run = await runLoad({
      target: server.url,
      scenario: scenario('checks.scenario.ts'),
      load: { users: 4, iterations: 100 },
      workers: 2,
    })

    expect(server.requests()).toBe(400)
    expect(run.workers).toBe(2)
    // 'has id' throws on the 503s (their body is not JSON): counted as fails, nothing crashed
    expect(run.checks).toEqual([
      {
        name: 'has id',
        passes: 300,
        fails: 100,
        passRate: 0.75,
      },
      {
        name: 'status is 200',
        passes: 300,
        fails: 100,
        passRate: 0.75,
      },
    ])
    expect(run.errorRate).toBe(0)
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /item'])
    expect(run).toHaveCheckPassRateAbove(0.74)
    expect(run).not.toHaveCheckPassRateAbove(0.75, 'status is 200')

    expect(run.metrics.iterations).toEqual({ type: 'counter', count: 400 })
    expect(run.metrics.items).toEqual({ type: 'counter', count: 800 })
    expect(run.metrics['even iteration']).toEqual({
      type: 'rate',
      trues: 200,
      total: 400,
      rate: 0.5,
    })
    // each user's iterations 0 … 99: every value 4 times
    const trend = run.metrics.iteration as TrendResult
    expect(trend).toMatchObject({
      type: 'trend',
      count: 400,
      min: 0,
      max: 99,
      mean: 49.5,
    })
    // the 200th of 400 sorted values is 49; HDR keeps 3 significant digits
    expect(trend.p50).toBeGreaterThanOrEqual(49)
    expect(trend.p50).toBeLessThanOrEqual(49 * 1.001)
    expect(trend.p99).toBeGreaterThanOrEqual(98)
    expect(trend.p99).toBeLessThanOrEqual(98 * 1.001)
  })

  it('counts a check per iteration in the open model, the last partial second included', async () => {
    const server = await startItems()

    const run = await runLoad({
      target: server.url,
      scenario: scenario('checks.scenario.ts'),
      load: { rate: 200, duration: '1s', maxUsers: 20 },
      workers: 2,
    })

    const sent = run.endpoint('GET /item').totals.requests
    expect(sent + run.droppedArrivals).toBe(200)
    expect(server.requests()).toBe(sent)
    const status = run.checks.find(check => check.name === 'status is 200')!
    expect(status.passes + status.fails).toBe(sent)
    expect(status.fails).toBe(Math.floor(sent / 4))
    expect(run.metrics.iterations).toEqual({ type: 'counter', count: sent })
  })

  it('records a name used as a counter, then as a rate, as an error of the task; the counter still counts', async () => {
    const run = await runLoad({
      target: (await startItems()).url,
      scenario: scenario('metric-type-conflict.scenario.ts'),
      load: { users: 2, iterations: 5 },
      workers: 1,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    const task = run.endpoint('task conflict')
    expect(task.totals.requests).toBe(10)
    expect(task.totals.errorMessages).toEqual({
      'ctx.metrics.rate(\'orders\'): \'orders\' is already a counter; a custom metric has one type. Give the rate another name': 10,
    })
    expect(run.metrics).toEqual({
      orders: { type: 'counter', count: 10 },
    })
    expect(run.checks).toEqual([])
  })

  it('gives a declarative run no checks and no custom metrics', async () => {
    const server = await startItems()

    const run = await runLoad({
      target: server.url,
      request: {
        path: '/item',
        expectStatus: [200, 503],
      },
      load: { users: 2, iterations: 4 },
    })

    expect(run.totals.requests).toBe(8)
    expect(run.checks).toEqual([])
    expect(run.metrics).toEqual({})
  })
})
