/** One load model turned into work for one worker. The plan is fixed before `run()` starts. */
export interface Executor {
  /** Runs the share from `startMs` (this thread's `performance.now()` clock) until it is done or stopped. */
  run: (startMs: number) => Promise<void>
  /** Users sending requests now: for the timeline. */
  activeUsers: () => number
  /** Sends no new request; requests in flight still end. */
  stop: () => void
}
