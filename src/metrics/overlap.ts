/**
 * Another load test that ran at the same time as this one on the same machine. Both took their
 * share of the cores (and of the target), so neither run's throughput and latency are its own.
 */
export interface RunOverlap {
  /** The other run's name, e.g. `'GET /users'`. */
  name: string
  /**
   * The other run's test file, relative to the Vitest root, when it ran in another test process;
   * `'(another process)'` when that process did not say (a plain script). Absent for a run of the
   * same test file.
   */
  file?: string
  /** How long the two ran at the same time, in ms. */
  ms: number
}

/** What the tracker knows of one run: its name, and where it ran. */
export interface TrackedRunInfo {
  name: string
  file?: string
  /** Runs of one group (a process id) are not reported to each other: that process sees them itself. */
  group?: string
}

interface TrackedRun extends TrackedRunInfo {
  startMs: number
  endMs?: number
}

/**
 * Which runs were in progress at the same time. `start` a run, `end` it: the answer names every
 * other run that was in progress at some moment of it, and for how long. A run's overlaps are
 * complete when it ends: any run that overlaps it has started by then. Ended runs are kept only
 * while a run in progress started before they ended, so memory stays bounded.
 */
export class OverlapTracker {
  readonly #runs = new Map<number, TrackedRun>()
  #nextId = 1

  /** Starts tracking a run at `nowMs`; returns its id for `end`. */
  start(info: TrackedRunInfo, nowMs: number): number {
    const id = this.#nextId++
    this.#runs.set(id, { ...info, startMs: nowMs })
    return id
  }

  /**
   * Ends run `id` at `nowMs` and names the runs that overlapped it, longest first: those of
   * another group (or every other, for runs without one). An unknown or ended id gives `[]`.
   */
  end(id: number, nowMs: number): RunOverlap[] {
    const run = this.#runs.get(id)
    if (!run || run.endMs !== undefined)
      return []
    run.endMs = Math.max(nowMs, run.startMs)
    const overlaps: RunOverlap[] = []
    for (const [otherId, other] of this.#runs) {
      if (otherId === id || (run.group !== undefined && other.group === run.group))
        continue
      const from = Math.max(run.startMs, other.startMs)
      const to = Math.min(run.endMs, other.endMs ?? run.endMs)
      if (to > from) {
        overlaps.push({
          name: other.name,
          ...(other.file !== undefined && { file: other.file }),
          ms: Math.round(to - from),
        })
      }
    }
    this.#prune()
    return overlaps.sort((a, b) => b.ms - a.ms)
  }

  /** Runs in progress, and ended runs still kept to answer them. */
  get size(): number {
    return this.#runs.size
  }

  #prune(): void {
    let earliestStartMs = Infinity
    for (const run of this.#runs.values()) {
      if (run.endMs === undefined)
        earliestStartMs = Math.min(earliestStartMs, run.startMs)
    }
    for (const [id, run] of this.#runs) {
      if (run.endMs !== undefined && run.endMs <= earliestStartMs)
        this.#runs.delete(id)
    }
  }
}
