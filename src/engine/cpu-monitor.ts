import type { MachineCpu } from '../metrics/summary.js'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** The machine's CPU time from `/proc/stat`, in clock ticks summed over all cores. */
export interface ProcStat {
  busyTicks: number
  totalTicks: number
  /** The `cpuN` lines: logical cores online. */
  cores: number
}

/** One reading: the machine's ticks, this process's CPU time and the clock. */
export interface CpuReading {
  stat: ProcStat
  /** User and system time of this process, every thread (`process.cpuUsage()`), µs. */
  processUs: number
  atMs: number
}

/**
 * Reads the first line of `/proc/stat`, `cpu  user nice system idle iowait irq softirq steal …`:
 * idle and iowait are idle, the rest busy (guest time is already inside user and nice).
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const line = /^cpu +(\d[\d ]*)$/m.exec(text)
  if (!line)
    return undefined
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line[1]!.trim().split(/\s+/).map(Number)
  const idleTicks = idle + iowait
  const busyTicks = user + nice + system + irq + softirq + steal
  const cores = text.match(/^cpu\d+\s/gm)?.length ?? 0
  return cores === 0
    ? undefined
    : { busyTicks, totalTicks: busyTicks + idleTicks, cores }
}

/** Shares of all cores between two readings; `undefined` when no tick passed between them. */
export function cpuBetween(from: CpuReading, to: CpuReading): { busy: number, processBusy: number } | undefined {
  const totalTicks = to.stat.totalTicks - from.stat.totalTicks
  const wallUs = (to.atMs - from.atMs) * 1000
  if (totalTicks <= 0 || wallUs <= 0)
    return undefined
  const busy = clamp((to.stat.busyTicks - from.stat.busyTicks) / totalTicks)
  const processBusy = clamp((to.processUs - from.processUs) / (wallUs * to.stat.cores))
  return { busy, processBusy }
}

function clamp(share: number): number {
  return Math.min(1, Math.max(0, share))
}

function readCpu(): CpuReading | undefined {
  try {
    const stat = parseProcStat(readFileSync('/proc/stat', 'utf8'))
    if (!stat)
      return undefined
    const usage = process.cpuUsage()
    return {
      stat,
      processUs: usage.user + usage.system,
      atMs: performance.now(),
    }
  }
  catch {
    return undefined // not Linux, or no /proc
  }
}

/**
 * Watches the machine's CPU over a run, in the test thread: one read of `/proc/stat` and
 * `process.cpuUsage()` a second (a few microseconds), for the mean over the run and its busiest
 * second. Where `/proc/stat` cannot be read it reads nothing and `stop()` gives `null`.
 */
export class MachineCpuMonitor {
  #first: CpuReading | undefined
  #last: CpuReading | undefined
  #peakBusy = 0
  #timer: ReturnType<typeof setInterval> | undefined

  start(): void {
    this.#first = this.#last = readCpu()
    if (!this.#first)
      return
    this.#timer = setInterval(() => this.#sample(), 1000)
    this.#timer.unref()
  }

  /** Stops the timer and gives the figures from `start()`; `null` when unknown. Safe to call twice. */
  stop(): MachineCpu | null {
    clearInterval(this.#timer)
    this.#timer = undefined
    if (!this.#first)
      return null
    this.#sample()
    const whole = cpuBetween(this.#first, this.#last!)
    this.#first = undefined
    if (!whole)
      return null
    return {
      cores: this.#last!.stat.cores,
      busy: whole.busy,
      peakBusy: Math.max(this.#peakBusy, whole.busy),
      processBusy: whole.processBusy,
      othersBusy: Math.max(0, whole.busy - whole.processBusy),
    }
  }

  #sample(): void {
    const now = readCpu()
    if (!now || !this.#last)
      return
    const second = cpuBetween(this.#last, now)
    // a short last slice (the end of the run) is noise, not a busiest second
    if (second && now.atMs - this.#last.atMs >= 500)
      this.#peakBusy = Math.max(this.#peakBusy, second.busy)
    this.#last = now
  }
}
