// A CPU-bound target for bench/baseline-real.js: node:http on 127.0.0.1, each request hashes a
// 4 KiB buffer WORK times with SHA-256 (about 2.5 ms of CPU at WORK 500 here) before it answers.
// Started for every run, as a service is deployed anew, and prints `{"port":…}` once listening.
// Exits by itself after MAX_LIFE_MS, so nothing outlives a bench that died.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import process from 'node:process'

const work = Number(process.env.WORK ?? 500)
const MAX_LIFE_MS = 120_000
const block = Buffer.alloc(4096, 7)

const server = createServer((_req, res) => {
  let digest = block
  for (let round = 0; round < work; round++)
    digest = createHash('sha256').update(digest).update(block).digest()
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '64' })
  res.end(digest.toString('hex'))
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
setTimeout(() => process.exit(0), MAX_LIFE_MS).unref()
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
