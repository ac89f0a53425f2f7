/**
 * Named upper bounds for timing assertions. Lower bounds come from the server (a 20 ms delay
 * makes every latency ≥ 20 ms); upper bounds allow for a shared 2-core CI machine.
 */
export const TOLERANCE = {
  /** What a timer-driven local server may add to its own delay at the median (event loop, loopback, parsing). */
  medianOverheadMs: 3,
  /** Error-rate band around an exact server ratio. */
  errorRateBand: 0.02,
} as const
