import type { GeneratorHealth, MachineCpu } from '../metrics/summary.js'
import { droppedByGenerator, scheduleTotals } from '../metrics/generator-health.js'
import { formatCount, formatMs, formatPercent } from '../metrics/units.js'

/** What every report says about the load generator: its figures, and a warning when it matters. */
export interface GeneratorHealthText {
  /**
   * `'workers busy 14 %, 21 % · timer delay p99 80 ms · machine CPU 97 % of 2 cores (this process 40 %, other processes 57 %)'`;
   * an open model adds `· schedule slip p99 1.2 ms`, and `· 1,204 arrivals dropped late (3.4 %)` when any were.
   */
  figures: string
  /** What went wrong and what to do; `null` when nothing did. */
  warning: string | null
}

/** A share rounded to whole percents: `'97 %'`. */
function percent(share: number): string {
  return formatPercent(Math.round(share * 100) / 100)
}

function describeCpu(cpu: MachineCpu | null | undefined): string {
  if (!cpu)
    return 'machine CPU unknown'
  return `machine CPU ${percent(cpu.busy)} of ${cpu.cores} ${cpu.cores === 1
    ? 'core'
    : 'cores'} (this process ${percent(cpu.processBusy)}, other processes ${percent(cpu.othersBusy)})`
}

/**
 * The generator's figures and, when it was saturated or the machine's CPU was contended, which it
 * was and the advice that fits: its own work calls for more workers or less load per worker; cores
 * taken by other work (often the target on the same cores) for moving the target, fewer workers,
 * and caution with small differences. The same text in the terminal, HTML and Markdown. A report
 * written before `cause` and `cpu` existed reads as `'unknown'`.
 */
export function describeGeneratorHealth(health: GeneratorHealth | undefined): GeneratorHealthText | undefined {
  if (!health || health.workers.length === 0)
    return undefined
  const busy = health.workers.map(worker => percent(worker.meanUtilization)).join(', ')
  const delayMs = Math.max(...health.workers.map(worker => worker.delayP99Ms))
  // the open model's schedule; a report written before it was measured has none
  const slips = health.workers.map(worker => worker.scheduleSlipP99Ms).filter((slip): slip is number => typeof slip === 'number')
  const { droppedLate, lateShare } = scheduleTotals(health.workers)
  const schedule = `${slips.length > 0
    ? ` · schedule slip p99 ${formatMs(Math.max(...slips))}`
    : ''}${droppedLate > 0
    ? ` · ${formatCount(droppedLate)} ${droppedLate === 1
      ? 'arrival'
      : 'arrivals'} dropped late (${formatPercent(lateShare)})`
    : ''}`
  const cpu = health.cpu ?? null
  const cause = health.saturated
    ? health.cause ?? 'unknown'
    : null
  // where the machine's CPU cannot be read, it is said only when it matters: when the generator was saturated
  const figures = `${health.workers.length === 1
    ? 'worker'
    : 'workers'} busy ${busy} · timer delay p99 ${formatMs(delayMs)}${schedule}${cpu || cause
    ? ` · ${describeCpu(cpu)}`
    : ''}`
  const shares = cpu && `${percent(cpu.busy)} of ${cpu.cores} cores busy; other processes ${percent(cpu.othersBusy)}, this process ${percent(cpu.processBusy)}`
  // what made it saturated: arrivals dropped while it ran behind say the most
  const byGenerator = droppedByGenerator(health.workers)
  const saturationSign = byGenerator
    ? `${formatPercent(lateShare)} of the arrivals were dropped while it ran behind its schedule, the users held up by its own catching up`
    : 'a worker 90 % busy or more, or its timers or schedule 50 ms late'
  const contention = 'Run the target on other cores or another machine, use fewer workers, and do not trust small differences between runs.'
  switch (cause) {
    case 'generator':
      return { figures, warning: `the load generator was saturated by its own work (${saturationSign}${byGenerator
        ? ''
        : ' with cores to spare'}): `
        + 'it, not the target, may have set the pace, and latencies include its own delay. '
        + 'Use more workers, a lower rate or fewer users per worker, or a lighter scenario.' }
    case 'cpu-contention':
      return { figures, warning: `the machine's CPU was contended (${shares}): the generator's workers waited for a core, `
        + `so its pace and these latencies include CPU contention, not only the target's time. More workers would not help. ${contention}` }
    case 'unknown':
      return { figures, warning: `the load generator was saturated (${saturationSign}): it, not the target, may have set the pace. `
        + 'The machine\'s CPU cannot be read here, so this is either its own work (use more workers, a lower rate or fewer users per worker) '
        + 'or other processes taking the cores, often the target itself (run the target elsewhere, use fewer workers).' }
  }
  if (health.cpuContention)
    return { figures, warning: `other processes took much of the machine's CPU (${shares}), often the target itself on the same cores: the figures include CPU contention. ${contention}` }
  return { figures, warning: null }
}
