// Runs one vitest-load worker's share (dist/engine/worker.js) in this process, without Piscina or
// the controller, so that a CPU profile holds the worker's work and little else:
//   npm run build && node --cpu-prof --cpu-prof-dir=bench/results/profiles bench/profile-worker.js
// PROFILE_THREAD=1 runs the share in a worker_threads Worker (as Piscina does; --cpu-prof then
// writes one profile per thread). PROFILE_USERS (32) and PROFILE_SECONDS (5) set the load. The
// server runs in a child process. CPU is read from the worker's `ready` to the end of its share.
import process from 'node:process'
import { MessageChannel, Worker } from 'node:worker_threads'
// the bench measures the build, as users run it
// eslint-disable-next-line antfu/no-import-dist
import runShare from '../dist/engine/worker.js'
// eslint-disable-next-line antfu/no-import-dist
import { planShares } from '../dist/plan/plan.js'
// eslint-disable-next-line antfu/no-import-dist
import { resolveSpec } from '../dist/run-load.js'
import { cpuSeconds } from './lib/child.js'
import { startChild } from './lib/parent.js'

const users = Number(process.env.PROFILE_USERS ?? 32)
const seconds = Number(process.env.PROFILE_SECONDS ?? 5)
const inThread = process.env.PROFILE_THREAD === '1'

// a plain thread that imports the worker module and runs one share, as a Piscina thread does
const THREAD_SOURCE = `
  import { parentPort, workerData } from 'node:worker_threads'
  const { default: runShare } = await import(workerData.module)
  parentPort.once('message', async (task) => parentPort.postMessage(await runShare(task)))
`

/** Plays the controller: answers `ready` with a start 20 ms ahead, counts the snapshots' requests. */
function driveShare(port) {
  const totals = { requests: 0, startCpuS: 0, startMs: 0 }
  port.on('message', (message) => {
    if (message.type === 'ready') {
      totals.startCpuS = cpuSeconds()
      totals.startMs = performance.now()
      port.postMessage({ type: 'start', startAtEpochMs: Date.now() + 20 })
    }
    else {
      totals.requests += message.snapshot.endpoints[0].counters.requests
    }
  })
  return totals
}

async function runInThread(task) {
  const thread = new Worker(new URL(`data:text/javascript,${encodeURIComponent(THREAD_SOURCE)}`), {
    workerData: { module: new URL('../dist/engine/worker.js', import.meta.url).href },
  })
  try {
    thread.postMessage(task, [task.port])
    await new Promise((resolve, reject) => {
      thread.once('message', resolve)
      thread.once('error', reject)
    })
  }
  finally {
    await thread.terminate()
  }
}

async function main() {
  const server = startChild(new URL('./server.js', import.meta.url))
  try {
    const { url } = await server.request({ type: 'listen' }, 10_000)
    const spec = resolveSpec(undefined, {
      target: url,
      load: { users, duration: seconds * 1000 },
      workers: 1,
    })
    const [share] = planShares(spec)
    const { port1, port2 } = new MessageChannel()
    const totals = driveShare(port1)
    if (inThread)
      await runInThread({ share, port: port2 })
    else
      await runShare({ share, port: port2 })
    const cpuS = cpuSeconds() - totals.startCpuS
    const elapsedS = (performance.now() - totals.startMs) / 1000
    // the last snapshot is posted just before the share ends
    await new Promise(resolve => setTimeout(resolve, 50))
    port1.close()
    console.log(`${inThread ? 'worker thread' : 'main thread'}: ${users} users, ${seconds} s: ${totals.requests} requests, ${cpuS.toFixed(2)} CPU s, ${Math.round(totals.requests / cpuS)} req/CPU-s, ${Math.round(totals.requests / elapsedS)} req/s`)
  }
  finally {
    await server.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
