/** Decides, before each iteration, whether the user runs another. */
export type ContinuePredicate = (user: VirtualUser) => boolean

/** Called when a user of the open model has finished its one iteration and is free again. */
export type IdleCallback = (user: VirtualUser) => void

/**
 * What the executors drive: a user sending one declarative request per iteration (`HttpUser`) or
 * running one iteration of a scenario module (`ScenarioUser`).
 */
export interface VirtualUser {
  /** Global index of this user across all workers. */
  readonly globalIndex: number
  /** Iterations this user has finished. */
  readonly iterations: number
  /** Runs iterations while `shouldContinue` says so (closed models); resolves after the last one ends. */
  run: (shouldContinue: ContinuePredicate) => Promise<void>
  /**
   * Runs one iteration for the arrival due at `intendedStartMs` (open model), global arrival
   * `arrivalIndex` of the schedule; `onIdle` follows its end.
   */
  fire: (intendedStartMs: number, onIdle: IdleCallback, arrivalIndex: number) => void
  /** Ends what is in flight now, with `reason` counted as the error; used when a run is stopped early. */
  abortInFlight: (reason: Error) => void
  /** Aborts a request past its timeout; called by the worker's sweep timer. */
  expireIfLate: (nowMs: number) => void
  /**
   * Ends a connect back-off wait now and starts no other: the run, or this user's part in it, is
   * ending. A closed loop's wait also ends as soon as its `shouldContinue` says no.
   */
  stopWaiting: () => void
  close: () => Promise<void>
}
