import type { GeneratorHealth, MachineCpu, SaturationCause, WorkerHealth } from './summary.js'

/** A worker this busy sets the pace itself. */
export const SATURATED_UTILIZATION = 0.9
/** Timers (or the open model's arrivals) this late at p99 add their delay to the latencies measured. */
export const SATURATED_DELAY_MS = 50
/**
 * This share of the open model's arrivals dropped late, when they are most of its drops: the
 * generator, running behind, dropped them. (A slow target holds every user on time too; a hiccup
 * of the machine then makes a few of its drops late, but not most of them.)
 */
export const SATURATED_LATE_DROPS = 0.001
/** And at least this many: a short run's first arrivals may wait for its connections to open. */
export const SATURATED_LATE_DROPS_MIN = 10
/** The machine's cores this busy over the run leave the generator (and the target) waiting for a core. */
export const MACHINE_BUSY = 0.85
/** Other processes taking this share of all cores compete with the generator and the target. */
export const OTHERS_BUSY = 0.25

/**
 * Tells the generator's own saturation (its workers' event loops busy or late) from CPU taken by
 * the machine's other work. A worker late with cores to spare is slow by its own doing (more
 * workers, a lower rate); late while every core was busy, it waited for a core, and more workers
 * would make it worse (run the target elsewhere, fewer workers).
 */
export function assessGeneratorHealth(workers: WorkerHealth[], cpu: MachineCpu | null): GeneratorHealth {
  const busyWorker = workers.some(worker => worker.meanUtilization >= SATURATED_UTILIZATION)
  const lateWorker = workers.some(worker => worker.delayP99Ms >= SATURATED_DELAY_MS || (worker.scheduleSlipP99Ms ?? 0) >= SATURATED_DELAY_MS)
  const saturated = busyWorker || lateWorker || droppedByGenerator(workers)
  // cores all busy count as contention when other processes took a share of them, or when the
  // workers ran late without being busy themselves (they waited for a core: a target in this
  // process does that). Workers busy 90 % on a full machine filled it themselves: the generator.
  const cpuContention = cpu !== null && cpu.busy >= MACHINE_BUSY
    && (cpu.othersBusy >= OTHERS_BUSY || (saturated && !busyWorker))
  const cause: SaturationCause | null = !saturated
    ? null
    : cpu === null
      ? 'unknown'
      : cpuContention
        ? 'cpu-contention'
        : 'generator'
  return {
    workers,
    saturated,
    cause,
    cpuContention,
    cpu,
  }
}

/**
 * The open model's arrivals over every worker: all, dropped, dropped late, and the late ones' share
 * of all (0 for the closed models, and for reports written before the schedule was measured).
 */
export function scheduleTotals(workers: readonly WorkerHealth[]): { arrivals: number, dropped: number, droppedLate: number, lateShare: number } {
  let arrivals = 0
  let dropped = 0
  let droppedLate = 0
  for (const worker of workers) {
    arrivals += worker.arrivals ?? 0
    dropped += worker.dropped ?? 0
    droppedLate += worker.droppedLate ?? 0
  }
  return {
    arrivals,
    dropped,
    droppedLate,
    lateShare: arrivals === 0
      ? 0
      : droppedLate / arrivals,
  }
}

/** 0.1 % of the arrivals or more dropped late (10 at least), and most drops late: the generator dropped them, not the target. */
export function droppedByGenerator(workers: readonly WorkerHealth[]): boolean {
  const { dropped, droppedLate, lateShare } = scheduleTotals(workers)
  return droppedLate >= SATURATED_LATE_DROPS_MIN && lateShare >= SATURATED_LATE_DROPS && droppedLate * 2 > dropped
}
