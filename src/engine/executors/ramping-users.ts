import type { VirtualUser } from '../../http/virtual-user.js'
import type { RampingUsersSpec } from '../../spec/spec.js'
import type { Executor } from './types.js'
import { performance } from 'node:perf_hooks'
import { valueAt } from '../../plan/profile.js'

/** How often the number of wanted users is recomputed from the profile. */
const TICK_MS = 20

/**
 * The closed model with a changing number of users (k6's ramping-vus). At `t` the global users
 * `0 … ⌊users(t)⌋ − 1` are wanted; this worker runs those it owns. A user no longer wanted sends
 * no new request and finishes the one in flight, which is cancelled after `gracefulStopMs`; so is
 * every request still in flight that long after the last stage.
 */
export function createRampingUsersExecutor(load: RampingUsersSpec, users: readonly VirtualUser[]): Executor {
  const wanted = users.map(() => false)
  const running = users.map(() => false)
  /** When each user stopped being wanted while it still had a request in flight. */
  const unwantedSinceMs = users.map(() => Infinity)
  let stopped = false
  const loops: Array<Promise<void>> = []

  const start = (index: number): void => {
    running[index] = true
    loops.push(users[index]!.run(() => !stopped && wanted[index]!).then(() => {
      running[index] = false
    }))
  }

  return {
    activeUsers: () => running.filter(Boolean).length,
    droppedArrivals: () => 0,
    // the tick loop sees `stopped`, wants nobody, and ends once the cancelled requests are in
    stop: () => {
      stopped = true
    },
    run: async (startMs) => {
      const endMs = startMs + load.durationMs
      await new Promise<void>((resolve) => {
        const tick = (): void => {
          const nowMs = performance.now()
          const over = stopped || nowMs >= endMs
          const target = over
            ? 0
            : Math.floor(valueAt(load.profile, nowMs - startMs) + 1e-9)
          users.forEach((user, index) => {
            const want = user.globalIndex < target
            if (want && !wanted[index])
              unwantedSinceMs[index] = Infinity
            if (!want && wanted[index])
              unwantedSinceMs[index] = nowMs
            wanted[index] = want
            if (want && !running[index])
              start(index)
            // graceful stop: a request that outlives it is cancelled (and counted as an error)
            if (!want && running[index] && nowMs - unwantedSinceMs[index]! >= load.gracefulStopMs)
              user.abortInFlight(new Error(`cancelled ${load.gracefulStopMs} ms after its user was ramped down (load.gracefulStop)`))
          })
          if (over && !running.some(Boolean)) {
            resolve()
          }
          else {
            setTimeout(tick, over
              ? TICK_MS
              : Math.min(TICK_MS, endMs - nowMs))
          }
        }
        tick()
      })
      await Promise.all(loops)
    },
  }
}
