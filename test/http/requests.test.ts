import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

async function recordingServer(status = 200) {
  const seen: Seen[] = []
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      })
      res.statusCode = status
      res.end('{"ok":true}')
    })
  })
  return { ...server, seen }
}

describe('requests as the server receives them', () => {
  it('sends method, path, query, headers and a JSON body', async () => {
    const server = await recordingServer(201)

    const run = await runLoad({
      target: `${server.url}/api`,
      request: {
        method: 'post',
        path: '/users?source=test',
        query: {
          tag: ['a', 'b'],
          page: 2,
        },
        headers: { 'X-Trace': 'abc' },
        json: { name: 'jeremy', age: 23 },
      },
      load: { users: 1, iterations: 3 },
    })

    expect(server.seen).toHaveLength(3)
    for (const request of server.seen) {
      expect(request.method).toBe('POST')
      expect(request.url).toBe('/api/users?source=test&tag=a&tag=b&page=2')
      expect(request.headers['x-trace']).toBe('abc')
      expect(request.headers['content-type']).toBe('application/json')
      expect(JSON.parse(request.body)).toEqual({ name: 'jeremy', age: 23 })
    }
    expect(run.name).toBe('POST /api/users?source=test&tag=a&tag=b&page=2')
    expect(run.totals.statusCodes).toEqual({ 201: 3 })
    expect(run.totals.ok).toBe(3)
  })

  it('counts the bytes the server received and sent', async () => {
    const server = await recordingServer()
    let receivedAtServer = 0
    const counting = await startServer((req, res) => {
      req.on('data', (chunk: Buffer) => receivedAtServer += chunk.length)
      req.on('end', () => res.end('x'.repeat(1000)))
    })

    const run = await runLoad({
      target: counting.url,
      request: {
        method: 'PUT',
        body: 'y'.repeat(500),
      },
      load: { users: 1, iterations: 4 },
    })

    expect(receivedAtServer).toBe(2000)
    expect(run.totals.bytesSent).toBeGreaterThan(4 * 500)
    // body plus status line and headers of each response
    expect(run.totals.bytesReceived).toBeGreaterThan(4 * 1000)
    expect(run.totals.bytesReceived).toBeLessThan(4 * 1300)
    await server.close()
  })

  it('expectStatus decides which statuses count as success', async () => {
    const server = await recordingServer(404)

    const expected = await runLoad({
      target: server.url,
      request: {
        expectStatus: [200, 404],
      },
      load: { users: 1, iterations: 5 },
    })
    const unexpected = await runLoad({
      target: server.url,
      load: { users: 1, iterations: 5 },
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(expected.totals.ok).toBe(5)
    expect(expected.errorRate).toBe(0)
    expect(unexpected.totals.errors.http).toBe(5)
    expect(unexpected.errorRate).toBe(1)
    expect(unexpected.totals.statusCodes).toEqual({ 404: 5 })
  })

  it('a test name such as "GET /users" is the endpoint name', async () => {
    const server = await recordingServer()

    const run = await runLoad({
      target: server.url,
      request: { path: '/users/7', name: 'GET /users/[id]' },
      load: { users: 1, iterations: 2 },
    })

    expect(server.seen.map(request => request.url)).toEqual(['/users/7', '/users/7'])
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /users/[id]'])
    expect(run.endpoint('GET /users/[id]').totals.requests).toBe(2)
  })
})
