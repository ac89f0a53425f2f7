// The floor under any Node HTTP client at a fixed rate: the same arrivals written as bytes to
// keep-alive node:net sockets, a response counted per chunk read (the no-op server answers each
// request in one small chunk), no HTTP parser, no histogram. It shows what Node's event loop and
// the kernel cost per request here, apart from the HTTP client's own work.
import { connect } from 'node:net'
import { paceArrivals } from '../lib/arrivals.js'
import { serveRequests } from '../lib/child.js'

async function runRawOpen({ url, connections, durationMs, rate }) {
  const { hostname, port } = new URL(url)
  const request = Buffer.from(`GET / HTTP/1.1\r\nhost: ${hostname}:${port}\r\n\r\n`)
  const sockets = await Promise.all(Array.from({ length: connections }, () => new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket))
    socket.once('error', reject)
  })))
  const load = { requests: 0, ok: 0, errors: 0 }
  const pacer = paceArrivals({ connections: sockets, rate, durationMs }, socket => socket.write(request))
  for (const socket of sockets) {
    socket.on('data', (chunk) => {
      load.requests++
      if (chunk.toString('latin1', 9, 12) === '200')
        load.ok++
      pacer.free(socket)
    })
  }
  const paced = await pacer.finished
  for (const socket of sockets)
    socket.destroy()
  return {
    ...load,
    ...paced,
  }
}

serveRequests(async (message) => {
  if (message.type === 'open')
    return runRawOpen(message)
  throw new Error(`unknown request ${message.type}`)
})
