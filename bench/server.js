// The no-op target: node:http on 127.0.0.1, answering 200 'ok' at once, keep-alive. It runs in its
// own process so it never shares a thread (or a CPU reading) with a generator.
import { createServer } from 'node:http'
import process from 'node:process'
import { cpuSeconds, epochNowMs, serveRequests } from './lib/child.js'

let requests = 0
let firstRequestAtMs = null
let markCpuS = cpuSeconds()
let markAtMs = epochNowMs()

const server = createServer((req, res) => {
  if (requests++ === 0)
    firstRequestAtMs = epochNowMs()
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
  res.end('ok')
})
server.keepAliveTimeout = 60_000

serveRequests(async (message) => {
  switch (message.type) {
    case 'listen':
      await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
      return { url: `http://127.0.0.1:${server.address().port}` }
    // start counting afresh: requests, CPU, the time of the first request
    case 'mark':
      requests = 0
      firstRequestAtMs = null
      markCpuS = cpuSeconds()
      markAtMs = epochNowMs()
      return null
    case 'stats':
      return {
        requests,
        firstRequestAtMs,
        cpuS: cpuSeconds() - markCpuS,
        elapsedMs: epochNowMs() - markAtMs,
      }
    default:
      throw new Error(`unknown request ${message.type}`)
  }
})
process.on('disconnect', () => server.closeAllConnections())
