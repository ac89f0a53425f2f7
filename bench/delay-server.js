// The target of the baseline bench: node:http on 127.0.0.1 answering 200 after a fixed delay, in its
// own process. The parent changes the delay between runs ({ type: 'delay', ms }) to inject a slowdown.
import { createServer } from 'node:http'
import process from 'node:process'
import { serveRequests } from './lib/child.js'

let delayMs = 20

const server = createServer((req, res) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
    res.end('ok')
  }, delayMs)
})
server.keepAliveTimeout = 60_000

serveRequests(async (message) => {
  switch (message.type) {
    case 'listen':
      await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
      return { url: `http://127.0.0.1:${server.address().port}` }
    case 'delay':
      delayMs = message.ms
      return null
    default:
      throw new Error(`unknown request ${message.type}`)
  }
})
process.on('disconnect', () => server.closeAllConnections())
