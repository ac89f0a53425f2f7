import type { ScheduleHealth } from '../../metrics/snapshot.js'

/** One load model turned into work for one worker. The plan is fixed before `run()` starts. */
export interface Executor {
  /** Runs the share from `startMs` (this thread's `performance.now()` clock) until it is done or stopped. */
  run: (startMs: number) => Promise<void>
  /** Users sending requests now (closed model) or requests in flight (open model): for the timeline. */
  activeUsers: () => number
  /** Arrivals so far that found every user busy and were not sent; 0 for the closed models. */
  droppedArrivals: () => number
  /** The open model's schedule since the last call: how late arrivals went out, how many were dropped late. Absent for the closed models. */
  takeSchedule?: () => ScheduleHealth
  /** Sends no new request; requests in flight still end. */
  stop: () => void
}
