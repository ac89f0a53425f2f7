import type { LoopHealth } from '../metrics/snapshot.js'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

/**
 * How busy one worker's event loop was over each interval: utilization (the share of time it ran
 * code rather than waited for I/O) and how late its timers fired. A worker near 100 % busy, or
 * with timers firing tens of milliseconds late, limits the load and inflates latency: then the
 * generator, not the target, was the bottleneck.
 */
/** The delay monitor's timer period; its samples include it, so it is taken off each figure. */
const RESOLUTION_MS = 10

export class LoopMonitor {
  readonly #delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  #last = performance.eventLoopUtilization()

  start(): void {
    this.#delay.enable()
    this.#last = performance.eventLoopUtilization()
  }

  /** The figures since the last call (or `start`), then starts the next interval. */
  take(): LoopHealth {
    const now = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(now, this.#last)
    this.#last = now
    const delay = this.#delay
    // the histogram holds the time between its timer's ticks in nanoseconds, the period included;
    // with no sample yet its percentiles are meaningless
    const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS)
    const health = delay.count === 0
      ? { utilization, delayP99Ms: 0, delayMaxMs: 0 }
      : {
          utilization,
          delayP99Ms: lateMs(delay.percentile(99)),
          delayMaxMs: lateMs(delay.max),
        }
    delay.reset()
    return health
  }

  stop(): void {
    this.#delay.disable()
  }
}
