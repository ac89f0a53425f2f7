// The open model's schedule for the bench's reference loops (bare undici, node:net): `rate`
// arrivals a second for `durationMs`, from 20 ms after the call, each at its intended time on the
// most recently freed connection, or dropped when every one is busy. One timer at a time, as the
// open executor has.
import { performance } from 'node:perf_hooks'
import { cpuSeconds, epochNowMs } from './child.js'

/**
 * Paces arrivals over `connections` (each freed again with `pacer.free(connection)` once its
 * response is in); `send(connection, intendedMs)` sends one. Resolves when the last arrival is due
 * and every connection is free, with the drops, the window and the CPU it took.
 */
export function paceArrivals({ connections, rate, durationMs }, send) {
  const free = [...connections]
  const total = Math.round(rate * durationMs / 1000)
  const startMs = performance.now() + 20
  let arrivals = 0
  let dropped = 0
  let done
  const finished = new Promise(resolve => done = resolve)
  const settle = () => arrivals === total && free.length === connections.length && done()
  const tick = () => {
    const nowMs = performance.now()
    while (arrivals < total && startMs + arrivals * 1000 / rate <= nowMs) {
      const connection = free.pop()
      if (connection)
        send(connection, startMs + arrivals * 1000 / rate)
      else
        dropped++
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
  return {
    free: (connection) => {
      free.push(connection)
      settle()
    },
    finished: finished.then(() => ({
      dropped,
      windowMs: epochNowMs() - startAtMs,
      cpuS: cpuSeconds() - startCpuS,
    })),
  }
}
