// autocannon, driven from its API in this process only, so its CPU time is its own.
import autocannon from 'autocannon'
import { cpuSeconds, epochNowMs, serveRequests } from '../lib/child.js'

async function runAutocannon({ url, connections, durationMs }) {
  const startAtMs = epochNowMs()
  const startCpuS = cpuSeconds()
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: durationMs / 1000,
  })
  const cpuS = cpuSeconds() - startCpuS
  const endAtMs = epochNowMs()
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    errors: result.errors + result.timeouts + result.non2xx,
    windowMs: endAtMs - startAtMs,
    cpuS,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  }
}

serveRequests(async (message) => {
  if (message.type === 'load')
    return runAutocannon(message)
  throw new Error(`unknown request ${message.type}`)
})
