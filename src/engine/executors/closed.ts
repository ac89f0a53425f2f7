import type { VirtualUser } from '../../http/virtual-user.js'
import type { ClosedLoadSpec } from '../../spec/spec.js'
import type { Executor } from './types.js'
import { performance } from 'node:perf_hooks'

/**
 * The closed model: every user sends its next request as soon as the previous one ends, until the
 * duration is over or it has sent its iterations. Iteration totals are exact: `users × iterations`.
 * With a ramp-up, user `i` (global index) starts `rampUpMs × i / users` after the start, so the
 * workers' users interleave as one ramp; a stop cancels the starts still to come.
 */
export function createClosedExecutor(load: ClosedLoadSpec, users: readonly VirtualUser[]): Executor {
  let stopped = false
  let active = 0
  /** Users waiting for their start: each ends its wait early on a stop. */
  const waiting = new Set<() => void>()
  return {
    activeUsers: () => active,
    droppedArrivals: () => 0,
    stop: () => {
      stopped = true
      for (const wake of waiting)
        wake()
    },
    run: async (startMs) => {
      const endMs = load.durationMs === null
        ? Infinity
        : startMs + load.durationMs
      const iterations = load.iterationsPerUser ?? Infinity
      const shouldContinue = (user: VirtualUser): boolean => !stopped && user.iterations < iterations && performance.now() < endMs
      await Promise.all(users.map(async (user) => {
        const delayMs = startMs + load.rampUpMs * user.globalIndex / load.users - performance.now()
        if (delayMs > 0)
          await waitUnlessStopped(delayMs, waiting)
        if (stopped)
          return
        active++
        await user.run(shouldContinue)
        active--
      }))
    },
  }
}

/** Waits `ms`, or less when a stop wakes the waiters. */
function waitUnlessStopped(ms: number, waiting: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const wake = (): void => {
      clearTimeout(timer)
      waiting.delete(wake)
      resolve()
    }
    timer = setTimeout(wake, ms)
    waiting.add(wake)
  })
}
