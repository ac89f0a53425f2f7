// The no-op target: node:http on 127.0.0.1, answering 200 'ok' at once, keep-alive. It runs in its
// own process so it never shares a thread (or a CPU reading) with a generator.
import { createServer } from 'node:http'
import process from 'node:process'
import { cpuSeconds, epochNowMs, serveRequests } from './lib/child.js'

let requests = 0
let firstRequestAtMs = null
// connections opened since the mark, and when the latest came: how long a load took to open all its users'
let connections = 0
let lastConnectionAtMs = null
let markCpuS = cpuSeconds()
let markAtMs = epochNowMs()

const server = createServer((req, res) => {
  if (requests++ === 0)
    firstRequestAtMs = epochNowMs()
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
  res.end('ok')
})
server.keepAliveTimeout = 60_000
server.on('connection', () => {
  connections++
  lastConnectionAtMs = epochNowMs()
})

serveRequests(async (message) => {
  switch (message.type) {
    case 'listen':
      // a backlog as deep as the kernel allows: 10,000 users connect at once in the users phase
      await new Promise(resolve => server.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, resolve))
      return { url: `http://127.0.0.1:${server.address().port}` }
    // start counting afresh: requests, CPU, the time of the first request
    case 'mark':
      requests = 0
      firstRequestAtMs = null
      connections = 0
      lastConnectionAtMs = null
      markCpuS = cpuSeconds()
      markAtMs = epochNowMs()
      return null
    case 'stats':
      return {
        requests,
        firstRequestAtMs,
        connections,
        lastConnectionAtMs,
        cpuS: cpuSeconds() - markCpuS,
        elapsedMs: epochNowMs() - markAtMs,
      }
    default:
      throw new Error(`unknown request ${message.type}`)
  }
})
process.on('disconnect', () => server.closeAllConnections())
