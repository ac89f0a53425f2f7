import type { ObservedFigure, ObservedTarget } from '../metrics/summary.js'
import { formatBytes, formatObserved } from '../metrics/units.js'

/** The built-in figures by key, as every output names them, in this order; Prometheus series follow by name. */
const FIGURE_NAMES: Record<string, string> = {
  cpu: 'CPU',
  rss: 'resident memory',
  heap: 'V8 heap',
  threads: 'threads',
  openFiles: 'open files',
  eventLoopDelayP99: 'event-loop delay p99',
}

/** `gunicorn (pid 4242, 5 processes)`, `the test process (main thread)`, plus the Prometheus URL: what was watched. */
export function observedSubject(observed: ObservedTarget): string {
  const parts: string[] = []
  const { process } = observed
  if (process) {
    parts.push(process.pid === 'self'
      ? 'the test process (its main thread)'
      : `${process.name ?? 'process'} (pid ${process.pid}${process.processes > 1
        ? `, ${process.processes} processes`
        : ''})`)
  }
  if (observed.prometheus)
    parts.push(observed.prometheus.url)
  return parts.join(' · ')
}

/** One row a figure, built-ins first: its name and its mean, max and last reading, formatted with its unit. */
export function observedRows(figures: Readonly<Record<string, ObservedFigure>>): Array<{ key: string, name: string, mean: string, max: string, last: string }> {
  const keys = [
    ...Object.keys(FIGURE_NAMES).filter(key => key in figures),
    ...Object.keys(figures).filter(key => !(key in FIGURE_NAMES)).sort(),
  ]
  return keys.map((key) => {
    const figure = figures[key]!
    return {
      key,
      name: FIGURE_NAMES[key] ?? key,
      mean: formatObserved(figure.mean, figure.unit),
      max: formatObserved(figure.max, figure.unit),
      last: formatObserved(figure.last, figure.unit),
    }
  })
}

/** `live V8 heap +12.3 MiB/min (least squares over 4 readings after full collections, 3.1 s from 1 s)`, or `undefined` without a fit. */
export function describeGrowth(observed: ObservedTarget): string | undefined {
  const growth = observed.memoryGrowth
  return growth === null
    ? undefined
    : `${growth.of === 'heap'
      ? 'live V8 heap'
      : 'resident memory'} ${formatGrowth(growth.bytesPerSec)} (${growthBasis(growth)})`
}

/** `+12.3 MiB/min`, `-400 KiB/min`: a rate of memory growth as people read it. */
export function formatGrowth(bytesPerSec: number): string {
  return `${bytesPerSec < 0
    ? '-'
    : '+'}${formatBytes(Math.abs(bytesPerSec) * 60)}/min`
}

/** What a growth was fitted through: `least squares over 5 s from 1 s`. */
export function growthBasis(growth: NonNullable<ObservedTarget['memoryGrowth']>): string {
  return growth.of === 'heap'
    ? `least squares over ${growth.readings} readings after full collections, ${growth.seconds} s from ${growth.fromSecond} s`
    : `least squares over ${growth.readings} s from ${growth.fromSecond} s`
}

/** `2 readings failed: process 4242 could not be read at 3 s: it is gone`, or `undefined`. */
export function describeFailures(observed: ObservedTarget): string | undefined {
  const { failures } = observed
  return failures
    ? `${failures.count} ${failures.count === 1
      ? 'reading'
      : 'readings'} of the target failed, the first: ${failures.first}`
    : undefined
}
