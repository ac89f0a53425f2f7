// The start-up reference (issue 15, item 4): a bare Piscina pool of `workers` threads whose worker
// imports undici and sends one request, from `new Piscina()` to the request reaching the server.
import { Piscina } from 'piscina'
import { epochNowMs, serveRequests } from '../lib/child.js'

async function runStartup({ url, workers }) {
  const calledAtMs = epochNowMs()
  const pool = new Piscina({
    filename: new URL('./bare-piscina-worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    atomics: 'disabled',
  })
  await Promise.all(Array.from({ length: workers }, () => pool.run({ url })))
  const resolvedAtMs = epochNowMs()
  await pool.destroy()
  return {
    calledAtMs,
    resolvedAtMs,
    destroyedAtMs: epochNowMs(),
  }
}

serveRequests(async (message) => {
  if (message.type === 'startup')
    return runStartup(message)
  throw new Error(`unknown request ${message.type}`)
})
