/** Without a terminal, a plain line per running load test at most this often. */
export const PLAIN_LINE_INTERVAL_MS = 10_000

/**
 * Says when a run's next plain progress line is due: not before `intervalMs` after its start,
 * then not before `intervalMs` after the line before. It owns no timer: it is asked as each second
 * of the run closes, so a run shorter than `intervalMs` prints nothing.
 */
export class LineThrottle {
  #lastMs: number
  readonly #intervalMs: number

  constructor(startMs: number, intervalMs = PLAIN_LINE_INTERVAL_MS) {
    this.#lastMs = startMs
    this.#intervalMs = intervalMs
  }

  /** `true` when a line is due at `nowMs`, which then counts as the time of the last line. */
  due(nowMs: number): boolean {
    if (nowMs - this.#lastMs < this.#intervalMs)
      return false
    this.#lastMs = nowMs
    return true
  }
}
