import type { GeneratorHealth, MachineCpu, SaturationCause, WorkerHealth } from './summary.js'

/** A worker this busy sets the pace itself. */
export const SATURATED_UTILIZATION = 0.9
/** Timers this late at p99 add their delay to the latencies measured. */
export const SATURATED_DELAY_MS = 50
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
  const saturated = busyWorker || workers.some(worker => worker.delayP99Ms >= SATURATED_DELAY_MS)
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
