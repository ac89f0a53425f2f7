import type { VirtualUser } from '../../http/virtual-user.js'
import type { ScheduleHealth } from '../../metrics/snapshot.js'
import type { OpenLoadSpec } from '../../spec/spec.js'
import type { Executor } from './types.js'
import { performance } from 'node:perf_hooks'
import { createHistogram } from '../../metrics/histogram.js'
import { ArrivalClock } from '../../plan/profile.js'

/** An arrival dropped at least this late (and twice its gap between arrivals) was dropped by the generator running behind. */
export const LATE_DROP_MS = 2

/**
 * The open model: arrivals on a fixed clock, whatever the responses do (wrk2, k6's arrival-rate
 * executors). This worker fires the global arrivals it owns by the stripe, `i` with
 * `cycle[i % cycle.length] === workerIndex`, each at its intended time and each on a free user
 * (one connection, one request). An arrival that finds every user busy is dropped and counted.
 * Latency runs from the intended time, so a timer that fires late or a stalled target counts.
 * Each arrival's slip (how late it went out) is recorded, for the generator's own health.
 */
export function createOpenExecutor(load: OpenLoadSpec, users: readonly VirtualUser[], cycle: readonly number[], workerIndex: number): Executor {
  const clock = new ArrivalClock(load.rate)
  // the positions of one cycle that this worker owns: arrival k·W + p for each owned p, in order
  const owned = cycle.flatMap((owner, position) => owner === workerIndex
    ? [position]
    : [])
  // the most recently freed user goes first (a stack), so only as many connections open as the
  // load needs, and they stay warm
  const free: VirtualUser[] = [...users].reverse()
  let dropped = 0
  // the schedule over the current interval: slips in µs, arrivals due, drops while running behind
  const slips = createHistogram(60_000_000, 2)
  let arrivals = 0
  let droppedBefore = 0
  let droppedLate = 0
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let settle = (): void => {}

  return {
    activeUsers: () => users.length - free.length,
    droppedArrivals: () => dropped,
    takeSchedule: (): ScheduleHealth => {
      const schedule = {
        arrivals,
        slipP99Ms: slips.totalCount === 0
          ? 0
          : slips.getValueAtPercentile(99) / 1000,
        slipMaxMs: slips.maxValue / 1000,
        dropped: dropped - droppedBefore,
        droppedLate,
      }
      slips.reset()
      droppedBefore = dropped
      arrivals = 0
      droppedLate = 0
      return schedule
    },
    stop: () => {
      stopped = true
      clearTimeout(timer)
      // a user waiting out a connect back-off is free again at once
      for (const user of users)
        user.stopWaiting()
      settle()
    },
    run: startMs => new Promise<void>((resolve) => {
      let round = 0
      let slot = 0
      let nextIndex = owned.length === 0
        ? Infinity
        : owned[0]!
      let nextDueMs = owned.length === 0
        ? Infinity
        : startMs + clock.timeOfMs(nextIndex)
      const endMs = startMs + load.durationMs
      // when this worker's previous arrival was due: the gap to the next is its own pace (the
      // clock answers only ever later indices, so it is not asked ahead)
      let lastDueMs = startMs
      const advance = (): void => {
        lastDueMs = nextDueMs
        if (++slot === owned.length) {
          slot = 0
          round++
        }
        nextIndex = round * cycle.length + owned[slot]!
        nextDueMs = startMs + clock.timeOfMs(nextIndex)
      }
      // 4. done once no arrival is left (or a stop came) and every user is free again
      settle = () => {
        if ((stopped || nextDueMs >= endMs) && free.length === users.length)
          resolve()
      }
      const onIdle = (user: VirtualUser): void => {
        free.push(user)
        settle()
      }
      const tick = (): void => {
        // 1. fire every owned arrival that is due, each on a free user or counted as dropped
        const nowMs = performance.now()
        // `advance()` moves nextDueMs on, which the lint cannot see in a loop condition
        for (;;) {
          if (stopped || nextDueMs > nowMs || nextDueMs >= endMs)
            break
          const slipMs = nowMs - nextDueMs
          slips.recordValue(Math.max(1, Math.round(slipMs * 1000)))
          arrivals++
          const user = free.pop()
          if (user) {
            user.fire(nextDueMs, onIdle, nextIndex)
          }
          else {
            dropped++
            if (slipMs >= LATE_DROP_MS && slipMs >= 2 * (nextDueMs - lastDueMs))
              droppedLate++
          }
          advance()
        }
        // 2. sleep until the next one (timers have ~1 ms resolution: late arrivals count as latency)
        if (!stopped && nextDueMs < endMs) {
          timer = setTimeout(tick, nextDueMs - performance.now())
        }
        // 3. or wait for the requests in flight; a user's connect back-off no longer holds anything up
        else {
          for (const user of users)
            user.stopWaiting()
          settle()
        }
      }
      tick()
    }),
  }
}
