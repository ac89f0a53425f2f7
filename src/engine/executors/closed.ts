import type { VirtualUser } from '../../http/virtual-user.js'
import type { ClosedLoadSpec } from '../../spec/spec.js'
import type { Executor } from './types.js'
import { performance } from 'node:perf_hooks'

/**
 * The closed model: every user sends its next request as soon as the previous one ends, until the
 * duration is over or it has sent its iterations. Iteration totals are exact: `users × iterations`.
 */
export function createClosedExecutor(load: ClosedLoadSpec, users: readonly VirtualUser[]): Executor {
  let stopped = false
  let active = 0
  return {
    activeUsers: () => active,
    droppedArrivals: () => 0,
    stop: () => {
      stopped = true
    },
    run: async (startMs) => {
      const endMs = load.durationMs === null
        ? Infinity
        : startMs + load.durationMs
      const iterations = load.iterationsPerUser ?? Infinity
      const shouldContinue = (user: VirtualUser): boolean => !stopped && user.iterations < iterations && performance.now() < endMs
      active = users.length
      await Promise.all(users.map(async (user) => {
        await user.run(shouldContinue)
        active--
      }))
    },
  }
}
