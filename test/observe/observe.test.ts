import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { InvalidOptionsError, runLoad } from '../../src/index.js'
import { cleanedAfterEach } from '../helpers/processes.js'
import { delayed, startServer } from '../helpers/server.js'

const { started } = cleanedAfterEach()

/**
 * A process with a known CPU: it spins `dutyMs` of every 100 ms and sleeps the rest, and starts
 * `children` more of the same (a master and its workers). Ends by itself after 30 s.
 */
async function spinner(dutyMs: number, children = 0): Promise<ChildProcess> {
  const spin = `const d=${dutyMs};const end=Date.now()+30000;setInterval(()=>{const t=Date.now()+d;while(Date.now()<t);if(Date.now()>end)process.exit(0)},100)`
  const code = `${children > 0
    ? `const {spawn}=require('node:child_process');for(let i=0;i<${children};i++)spawn(process.execPath,['-e',${JSON.stringify(spin)}],{stdio:'ignore'});`
    : ''}${spin};setTimeout(()=>process.stdout.write('ready\\n'),300)`
  const child = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  started.push(child.pid!)
  await once(child.stdout!, 'data')
  return child
}

/** The pids below `pid`, to end them with it. */
function descendants(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
  }
  catch {
    return []
  }
}

const load = { users: 2, duration: '3s' } as const

describe('observe.process: a process beside the load', () => {
  it('reads the CPU of a process that is busy 40 % of the time, and of its two workers as well', async () => {
    const server = await startServer(delayed(5))
    const single = await spinner(40)
    const run = await runLoad({
      target: server.url,
      load,
      observe: { process: single.pid! },
    })

    const observed = run.observed!
    expect(observed.process).toEqual({ pid: single.pid, name: 'node', processes: 1 })
    // the truth: 40 ms of every 100 ms; a busy machine can only lower it
    expect(observed.figures.cpu!.mean).toBeGreaterThan(0.25)
    expect(observed.figures.cpu!.mean).toBeLessThan(0.5)
    expect(observed.figures.cpu!.unit).toBe('cores')
    expect(observed.figures.rss!.last).toBeGreaterThan(10 * 1024 * 1024)
    expect(observed.figures.threads!.min).toBeGreaterThanOrEqual(1)
    expect(observed.figures.openFiles!.min).toBeGreaterThanOrEqual(3)
    // one point a second, on the run's own seconds, and a part of the last
    expect(observed.timeline.map(point => point.second)).toEqual([
      0,
      1,
      2,
      ...(observed.timeline.length > 3
        ? [3]
        : []),
    ])
    expect(observed.failures).toBeNull()
    expect(run).toHaveTargetCpuBelow(0.6)
    expect(() => expect(run).toHaveTargetCpuBelow(0.2)).toThrow(/^expected target CPU of "GET \/" to be below 0\.2 cores, but it was 0\.\d+ cores \(the mean over the judged seconds; max /)

    const master = await spinner(20, 2)
    started.push(...descendants(master.pid!))
    const tree = await runLoad({
      target: server.url,
      load,
      observe: { process: master.pid! },
    })
    expect(tree.observed!.process!.processes).toBe(3)
    // three processes of 20 % each
    expect(tree.observed!.figures.cpu!.mean).toBeGreaterThan(0.4)
    expect(tree.observed!.figures.cpu!.mean).toBeLessThan(0.75)
  })

  it('a process that ends during the run: the readings after it are counted as failed, and the run goes on', async () => {
    const server = await startServer(delayed(5))
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)'], { stdio: 'ignore' })
    started.push(child.pid!)
    const run = await runLoad({
      target: server.url,
      load,
      observe: { process: child.pid! },
    })
    expect(run.totals.errors.total).toBe(0)
    expect(run.observed!.failures!.count).toBeGreaterThanOrEqual(1)
    expect(run.observed!.failures!.first).toMatch(new RegExp(`^process ${child.pid} could not be read at \\d s: it is gone$`))
  })

  it('refuses a process that does not exist before any load', async () => {
    const server = await startServer(delayed(5))
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    await once(child, 'exit')
    await sleep(50)
    await expect(runLoad({
      target: server.url,
      load,
      observe: { process: child.pid! },
    })).rejects.toThrow(InvalidOptionsError)
    await expect(runLoad({
      target: server.url,
      load,
      observe: { process: child.pid! },
    })).rejects.toThrow(`observe.process: there is no process ${child.pid} on this machine`)
    expect(server.requests()).toBe(0)
  })
})

describe('observe.process: \'self\', a target in the test process', () => {
  /** A server that keeps `keptPerRequest` numbers of every request it answers (8 bytes each), or lets them go. */
  async function leaky(keptPerRequest: number, keep: boolean) {
    const kept: number[][] = []
    let answered = 0
    const server = await startServer((req, res) => {
      const data = Array.from<number>({ length: keptPerRequest }).fill(answered++ + 0.5)
      if (keep)
        kept.push(data)
      delayed(2)(req, res)
    })
    return {
      server,
      answered: () => answered,
      kept,
    }
  }

  it('catches a leak of 8 KB a request by the slope of its heap, near the truth; the same server that keeps nothing passes', async () => {
    const trap = await leaky(1000, true)
    const run = await runLoad({
      target: trap.server.url,
      load: { users: 2, duration: '4s' },
      observe: { process: 'self' },
    })
    const growth = run.observed!.memoryGrowth!
    expect(growth.of).toBe('heap')
    // the truth: 8,000 bytes and an array header kept per answer, over the run
    const truthPerSec = trap.answered() * 8_016 / (run.durationMs / 1000)
    expect(growth.bytesPerSec / truthPerSec).toBeGreaterThan(0.5)
    expect(growth.bytesPerSec / truthPerSec).toBeLessThan(2)
    expect(() => expect(run).toHaveMemoryGrowthBelow('60MB/min')).toThrow(/^expected heap growth of the target of "GET \/" to be below \+57\.2 MiB\/min, but it was \+[\d.]+ MiB\/min \(live V8 heap, least squares over \d+ readings after full collections, [\d.]+ s from 1(\.\d)? s\)/)
    expect(run.observed!.figures.eventLoopDelayP99!.max).toBeGreaterThanOrEqual(0)
    trap.kept.length = 0

    const control = await leaky(1000, false)
    const healthy = await runLoad({
      target: control.server.url,
      load: { users: 2, duration: '4s' },
      observe: { process: 'self' },
    })
    expect(healthy).toHaveMemoryGrowthBelow('60MB/min')
  })
})

describe('observe.prometheus', () => {
  /** A target that counts its answers in a counter on /metrics, and shows a gauge. */
  async function counted() {
    let answered = 0
    return startServer((req, res) => {
      if (req.url === '/metrics') {
        res.setHeader('content-type', 'text/plain; version=0.0.4')
        res.end(`# TYPE app_requests_total counter\napp_requests_total{route="/"} ${answered}\n# TYPE app_pool_size gauge\napp_pool_size 8\n`)
        return
      }
      answered++
      delayed(5)(req, res)
    })
  }

  it('turns the target\'s own request counter into a rate that matches the run\'s throughput', async () => {
    const server = await counted()
    const run = await runLoad({
      target: server.url,
      load: { users: 2, duration: '4s' },
      observe: {
        prometheus: {
          url: `${server.url}/metrics`,
          metrics: ['app_requests_total', 'app_pool_size'],
        },
      },
    })
    const { figures, prometheus } = run.observed!
    expect(prometheus).toEqual({
      url: `${server.url}/metrics`,
      metrics: ['app_requests_total', 'app_pool_size'],
    })
    const rate = figures['app_requests_total{route="/"}']!
    expect(rate.unit).toBe('/s')
    // the same answers, counted by the target and by the load: within a tenth
    expect(rate.mean / run.throughputPerSec).toBeGreaterThan(0.9)
    expect(rate.mean / run.throughputPerSec).toBeLessThan(1.1)
    expect(figures.app_pool_size).toMatchObject({ mean: 8, max: 8, unit: '' })
    expect(run).toHaveTargetMetricBelow('app_pool_size', 9)
    expect(() => expect(run).toHaveTargetMetricBelow('app_pool_size', 8)).toThrow('expected max app_pool_size of "GET /" to be below 8, but it was 8 (mean 8)')
    expect(() => expect(run).toHaveTargetMetricBelow('app_pool', 8)).toThrow('observed no figure named `"app_pool"` (string). It has: app_pool_size, app_requests_total{route="/"}')
  })

  it('refuses, before any load, an endpoint that is not there and a metric it does not show', async () => {
    const server = await counted()
    await expect(runLoad({
      target: server.url,
      load,
      observe: {
        prometheus: {
          url: `${server.url}/metrics`,
          metrics: ['app_latency_seconds'],
        },
      },
    })).rejects.toThrow('observe.prometheus: Prometheus endpoint')
    const missing = await startServer((_req, res) => {
      res.statusCode = 404
      res.end()
    })
    await expect(runLoad({
      target: server.url,
      load,
      observe: {
        prometheus: {
          url: `${missing.url}/metrics`,
          metrics: ['app_requests_total'],
        },
      },
    })).rejects.toThrow(/answered 404/)
    // nothing but the two scrapes reached the target
    expect(server.requests()).toBe(1)
  })
})
