// One vitest-load worker's share (dist/engine/worker.js) run in this thread, started with
// --expose-gc, so that the live heap can be read after a full collection: RSS alone also moves
// with V8 sizing its heap, while the heap after gc() only grows if the worker keeps something per
// request. The generator plays the controller's part (ready → start, snapshots counted).
import process from 'node:process'
import { MessageChannel } from 'node:worker_threads'
// the bench measures the build, as users run it
// eslint-disable-next-line antfu/no-import-dist
import runShare from '../../dist/engine/worker.js'
// eslint-disable-next-line antfu/no-import-dist
import { planShares } from '../../dist/plan/plan.js'
// eslint-disable-next-line antfu/no-import-dist
import { resolveSpec } from '../../dist/run-load.js'
import { serveRequests } from '../lib/child.js'

const MiB = 1024 * 1024

async function runHeap({ url, connections, durationMs, gcEveryMs }) {
  if (typeof globalThis.gc !== 'function')
    throw new TypeError('start this child with --expose-gc')
  const spec = resolveSpec(undefined, {
    target: url,
    load: { users: connections, duration: durationMs },
    workers: 1,
  })
  const [share] = planShares(spec)
  const { port1, port2 } = new MessageChannel()
  let requests = 0
  let startMs = 0
  const samples = []
  let timer
  port1.on('message', (message) => {
    if (message.type === 'ready') {
      startMs = performance.now() + 20
      port1.postMessage({ type: 'start', startAtEpochMs: performance.timeOrigin + startMs })
      timer = setInterval(() => {
        globalThis.gc()
        samples.push({ atS: (performance.now() - startMs) / 1000, requests, heapUsedMiB: process.memoryUsage().heapUsed / MiB })
      }, gcEveryMs)
    }
    else {
      requests += message.snapshot.endpoints[0].counters.requests
    }
  })
  try {
    await runShare({ share, port: port2 })
  }
  finally {
    clearInterval(timer)
    port1.close()
  }
  return { requests, samples }
}

serveRequests(async (message) => {
  if (message.type === 'heap')
    return runHeap(message)
  throw new Error(`unknown request ${message.type}`)
})
