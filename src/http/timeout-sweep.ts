/** How often requests in flight are checked against a timeout: a tenth of it, within [10 ms, 250 ms]. */
export function sweepEveryMs(timeoutMs: number): number {
  return Math.min(250, Math.max(10, timeoutMs / 10))
}

/**
 * One timer per worker that ends requests past their timeout, for both ways of sending (one timer
 * a worker instead of one a request). It runs often enough for the shortest timeout it was told of:
 * the load test's, or a `ctx.http` call's own, which `cover()` adds when the call is sent.
 */
export class TimeoutSweep {
  readonly #check: (nowMs: number) => void
  readonly #now: () => number
  #everyMs: number
  #timer: ReturnType<typeof setInterval> | undefined

  /** `check(nowMs)` ends what is late; `now` is the clock the requests were timed on. */
  constructor(timeoutMs: number, check: (nowMs: number) => void, now: () => number) {
    this.#everyMs = sweepEveryMs(timeoutMs)
    this.#check = check
    this.#now = now
  }

  /** A request with this timeout is going out: from now on, sweep often enough for it. */
  readonly cover = (timeoutMs: number): void => {
    const everyMs = sweepEveryMs(timeoutMs)
    if (everyMs >= this.#everyMs)
      return
    this.#everyMs = everyMs
    if (this.#timer !== undefined) {
      this.stop()
      this.start()
    }
  }

  start(): void {
    this.#timer ??= setInterval(() => this.#check(this.#now()), this.#everyMs)
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
