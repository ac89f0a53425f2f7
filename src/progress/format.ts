import type { ProgressFigures, ProgressStart } from './messages.js'
import { Chalk } from 'chalk'
import { formatCount, formatMs, formatPercent, formatRate } from '../metrics/units.js'

/** What the display knows of one run: its start, and the figures of the last second that closed. */
export interface ProgressState {
  start: ProgressStart
  figures: ProgressFigures | undefined
}

export interface ProgressLineOptions {
  /**
   * Tenths of a second in the elapsed time, for a terminal that redraws several times a second
   * (the figures change once a second, the elapsed time on every redraw).
   * @default false
   */
  precise?: boolean
  /** @default false */
  colors?: boolean
}

/**
 * One line of live progress. Pure: a state and a time in, a string out.
 * @example
 * formatProgressLine(state, now)
 * // 'vitest-load  POST /users  12 s / 30 s  20 users  1,962 req/s  p95 31 ms  errors 6 (0.03 %)'
 */
export function formatProgressLine(state: ProgressState, nowEpochMs: number, options: ProgressLineOptions = {}): string {
  const c = new Chalk({
    level: options.colors ? 1 : 0,
  })
  const { start, figures } = state
  const elapsed = formatClock(Math.max(0, nowEpochMs - start.startAtEpochMs), {
    tenths: options.precise ?? false,
    keepSeconds: true,
  })
  const planned = `${start.plannedIsLimit
    ? 'max '
    : ''}${formatClock(start.plannedMs, { tenths: start.plannedMs % 1000 !== 0, keepSeconds: false })}`
  const fields = [
    c.dim('vitest-load'),
    c.bold(start.name),
    `${elapsed} / ${planned}`,
  ]
  if (!figures) {
    fields.push(c.dim('starting'))
  }
  else {
    const errors = `errors ${formatCount(figures.errors)} (${formatPercent(figures.requests === 0
      ? 0
      : figures.errors / figures.requests)})`
    fields.push(
      `${formatCount(figures.activeUsers)} ${figures.activeUsers === 1
        ? 'user'
        : 'users'}`,
      formatRate(figures.requestsPerSec),
      `p95 ${formatMs(figures.p95Ms)}`,
      figures.errors > 0
        ? c.red(errors)
        : errors,
    )
  }
  return fields.join('  ')
}

/**
 * A span of time as a clock people read at a glance: `'12 s'`, `'1 m 30 s'`, `'2 h 5 m'`; with
 * `tenths`, `'12.3 s'`. With `keepSeconds`, the seconds are always there (an elapsed time that ticks:
 * `'2 m 0 s'`), without it whole units only (a planned time: `'2 m'`). Rounded down, never up.
 */
export function formatClock(ms: number, options: { tenths: boolean, keepSeconds: boolean }): string {
  const tenthsTotal = Math.floor(Math.max(0, ms) / 100)
  const secondsTotal = Math.floor(tenthsTotal / 10)
  const hours = Math.floor(secondsTotal / 3600)
  const minutes = Math.floor(secondsTotal % 3600 / 60)
  const seconds = secondsTotal % 60
  const parts: string[] = []
  if (hours > 0)
    parts.push(`${hours} h`)
  if (minutes > 0 || (hours > 0 && options.keepSeconds))
    parts.push(`${minutes} m`)
  const secondsText = options.tenths
    ? `${seconds}.${tenthsTotal % 10}`
    : `${seconds}`
  if (options.keepSeconds || parts.length === 0 || secondsText !== '0')
    parts.push(`${secondsText} s`)
  return parts.join(' ')
}
