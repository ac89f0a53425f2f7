// Helpers for code that runs inside a bench child process: its settings, CPU and memory readings,
// and the request/reply channel to bench/generator.js.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import process from 'node:process'

/** CPU time (user + system) of this whole process, every thread included, in seconds. */
export function cpuSeconds() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** Wall-clock time in milliseconds, comparable between processes on this machine. */
export function epochNowMs() {
  return performance.timeOrigin + performance.now()
}

/**
 * Samples this process's CPU time (and resident memory) every `everyMs`, so that the CPU spent in
 * a time window known only afterwards (a run's start and end) can be read by interpolation.
 */
export function startSampler(everyMs) {
  const samples = []
  const sample = () => samples.push({
    atMs: epochNowMs(),
    cpuS: cpuSeconds(),
    rssBytes: process.memoryUsage.rss(),
  })
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    samples,
    stop: () => {
      clearInterval(timer)
      sample()
    },
    /** CPU seconds at `atMs`, interpolated between the two samples around it. */
    cpuAt: atMs => interpolate(samples, s => s.cpuS, atMs),
  }
}

/**
 * `value` of timed samples (`{ atMs }`, in order) at `atMs`, read linearly between the two samples
 * around it; the last sample's after them.
 */
export function interpolate(samples, value, atMs) {
  let i = samples.findIndex(s => s.atMs >= atMs)
  if (i === -1)
    return value(samples.at(-1))
  if (i === 0)
    i = 1
  const a = samples[i - 1]
  const b = samples[i]
  const f = b.atMs === a.atMs
    ? 1
    : Math.min(1, Math.max(0, (atMs - a.atMs) / (b.atMs - a.atMs)))
  return value(a) + f * (value(b) - value(a))
}

/**
 * Answers the generator's requests with `handle(message)`; the child exits when the generator
 * disconnects, so a child never outlives the bench.
 */
export function serveRequests(handle) {
  process.on('message', async (message) => {
    try {
      const result = await handle(message)
      process.send({ id: message.id, result })
    }
    catch (error) {
      process.send({ id: message.id, error: error?.stack ?? String(error) })
    }
  })
  process.on('disconnect', () => process.exit(0))
}

/**
 * CPU seconds of each thread of this process so far, from /proc/self/task (Linux; `null`
 * elsewhere): `main` is the process's own thread, the rest by thread id. Clock ticks of 10 ms.
 */
export function threadCpuSeconds() {
  const tasks = '/proc/self/task'
  if (!existsSync(tasks))
    return null
  const ticks = 100
  const byThread = new Map()
  for (const tid of readdirSync(tasks)) {
    try {
      // the command name may hold spaces and parentheses: the fields start after the last ')'
      const stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      byThread.set(Number(tid) === process.pid
        ? 'main'
        : tid, (Number(fields[11]) + Number(fields[12])) / ticks)
    }
    catch {
      // a thread that ended between the listing and the read
    }
  }
  return byThread
}

/**
 * Where a window's CPU went, from two `threadCpuSeconds()` readings: the main thread, the busiest
 * other thread (a load's worker), and the rest (V8's compiler and GC helpers, libuv's pool).
 */
export function splitThreadCpu(before, after) {
  if (before === null || after === null)
    return null
  let main = 0
  let busiest = 0
  let rest = 0
  for (const [thread, seconds] of after) {
    const used = seconds - (before.get(thread) ?? 0)
    if (thread === 'main') {
      main = used
    }
    else if (used > busiest) {
      rest += busiest
      busiest = used
    }
    else {
      rest += used
    }
  }
  return { mainS: main, busiestOtherS: busiest, restS: rest }
}
