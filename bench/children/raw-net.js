// The floor under any Node HTTP client at a fixed rate: the same arrivals written as bytes to
// keep-alive node:net sockets, a response counted per chunk read (the no-op server answers each
// request in one small chunk), no HTTP parser, no histogram. It shows what Node's event loop and
// the kernel cost per request here, apart from the HTTP client's own work.
import { connect } from 'node:net'
import { performance } from 'node:perf_hooks'
import { cpuSeconds, epochNowMs, serveRequests } from '../lib/child.js'

async function runRawOpen({ url, connections, durationMs, rate }) {
  const { hostname, port } = new URL(url)
  const request = Buffer.from(`GET / HTTP/1.1\r\nhost: ${hostname}:${port}\r\n\r\n`)
  const sockets = await Promise.all(Array.from({ length: connections }, () => new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket))
    socket.once('error', reject)
  })))
  const load = {
    requests: 0,
    ok: 0,
    errors: 0,
    dropped: 0,
  }
  const free = [...sockets]
  const total = Math.round(rate * durationMs / 1000)
  let arrivals = 0
  let done
  const finished = new Promise(resolve => done = resolve)
  const settle = () => arrivals === total && free.length === connections && done()
  for (const socket of sockets) {
    socket.on('data', (chunk) => {
      load.requests++
      if (chunk.toString('latin1', 9, 12) === '200')
        load.ok++
      free.push(socket)
      settle()
    })
  }
  const startMs = performance.now() + 20
  const tick = () => {
    const nowMs = performance.now()
    while (arrivals < total && startMs + arrivals * 1000 / rate <= nowMs) {
      const socket = free.pop()
      if (socket)
        socket.write(request)
      else
        load.dropped++
      arrivals++
    }
    if (arrivals < total)
      setTimeout(tick, startMs + arrivals * 1000 / rate - performance.now())
    else
      settle()
  }
  const startAtMs = performance.timeOrigin + startMs
  const startCpuS = cpuSeconds()
  setTimeout(tick, startMs - performance.now())
  await finished
  const endAtMs = epochNowMs()
  const cpuS = cpuSeconds() - startCpuS
  for (const socket of sockets)
    socket.destroy()
  return { ...load, windowMs: endAtMs - startAtMs, cpuS }
}

serveRequests(async (message) => {
  if (message.type === 'open')
    return runRawOpen(message)
  throw new Error(`unknown request ${message.type}`)
})
