/** `0.0421` → `'42.1 µs'`, `12.345` → `'12.3 ms'`, `1534` → `'1.53 s'`: latencies people read. */
export function formatMs(ms: number, digits = 3): string {
  if (!Number.isFinite(ms))
    return `${ms} ms`
  // the unit is chosen after rounding: 999.96 ms reads '1 s', not '1,000 ms'
  if (round(ms * 1000, digits) < 1000)
    return `${trim(ms * 1000, digits)} µs`
  if (round(ms, digits) < 1000)
    return `${trim(ms, digits)} ms`
  return `${trim(ms / 1000, digits)} s`
}

/**
 * A figure and the limit it crossed, each with as many digits as it takes to tell them apart:
 * `formatAgainst(formatMs, 100.04, 100)` → `['100.04 ms', '100 ms']`, never `100 ms > 100 ms`.
 */
export function formatAgainst(format: (value: number, digits?: number) => string, value: number, limit: number): [string, string] {
  const limitText = format(limit, 3)
  for (let digits = 3; digits < 9; digits++) {
    const text = format(value, digits)
    if (text !== format(limit, digits))
      return [text, limitText]
  }
  return [
    format(value, 9),
    limitText,
  ]
}

/** A figure observed on the target, with its unit: `'0.93 cores'`, `'48.2 MiB'`, `'3.1 ms'`, `'12.5/s'`, `'17'`. */
export function formatObserved(value: number, unit: 'cores' | 'bytes' | 'count' | 'ms' | '/s' | ''): string {
  switch (unit) {
    case 'cores':
      return `${trim(value, 3)} ${Math.abs(round(value, 3)) === 1
        ? 'core'
        : 'cores'}`
    case 'bytes':
      return formatBytes(value)
    case 'count':
      return formatCount(value)
    case 'ms':
      return formatMs(value)
    case '/s':
      return `${trim(value, 3)}/s`
    default:
      return trim(value, 3)
  }
}

/** `10 users`, `1 user`, or `450 req/s`: a step's level, users or arrivals per second. */
export function formatLevel(by: 'users' | 'rate', level: number): string {
  return by === 'users'
    ? `${level} ${level === 1
      ? 'user'
      : 'users'}`
    : formatRate(level)
}

/** `mean 12.3 ms, p95 31 ms, 0 % errors, 310 req/s`: a step's figures in one line. */
export function stepFigures(step: { latency: { meanMs: number, p95Ms: number }, errorRate: number, throughputPerSec: number }): string {
  return `mean ${formatMs(step.latency.meanMs)}, p95 ${formatMs(step.latency.p95Ms)}, ${formatPercent(step.errorRate)} errors, ${formatRate(step.throughputPerSec)}`
}

/** `1234.56` → `'1,235 req/s'`, `12.34` → `'12.3 req/s'`. */
export function formatRate(perSec: number): string {
  return `${perSec >= 100
    ? formatCount(Math.round(perSec))
    : trim(perSec, 3)} req/s`
}

/**
 * Throughput beside the attempts it came from: `'1,962 req/s ok · 21,000 attempts/s'` when some
 * attempts failed, just `'1,962 req/s'` when every attempt succeeded (or the attempts are unknown,
 * as in a report written before they were kept).
 */
export function formatThroughput(okPerSec: number, attemptsPerSec: number | undefined): string {
  if (attemptsPerSec === undefined || Math.abs(attemptsPerSec - okPerSec) < 1e-9)
    return formatRate(okPerSec)
  return `${formatRate(okPerSec)} ok · ${formatRate(attemptsPerSec).replace(' req/s', ' attempts/s')}`
}

/** A ratio as a percentage: `0.0123` → `'1.23 %'`, `0` → `'0 %'`. */
export function formatPercent(ratio: number, digits = 3): string {
  return `${trim(ratio * 100, digits)} %`
}

/**
 * A value of a custom metric, to 0.001 at most: `199.5` → `'199.5'`, `1234.5678` → `'1,234.568'`; with
 * `significant`, to that many significant digits, as a percentile read from a histogram has:
 * `formatNumber(199.039, 3)` → `'199'`.
 */
export function formatNumber(value: number, significant?: number): string {
  return significant === undefined
    ? value.toLocaleString('en-US', { maximumFractionDigits: 3 })
    : trim(value, significant)
}

/** `1234567` → `'1,234,567'`. */
export function formatCount(count: number): string {
  return numberFormat(0).format(Math.round(count))
}

/** `1536` → `'1.5 KiB'`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  // the unit is chosen after rounding: 1,048,575 B reads '1 MiB', not '1,024 KiB'
  while ((unit === 0
    ? value
    : round(value, 3)) >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0
    ? value
    : trim(value, 3)} ${units[unit]}`
}

/** Rounds to `digits` significant digits, or to a whole number from 10^digits up: round(12.345, 3) → 12.3. */
function round(value: number, digits: number): number {
  return value === 0
    ? 0
    : Number(value.toFixed(decimalsFor(value, digits)))
}

function decimalsFor(value: number, digits: number): number {
  return Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(value))))
}

/** `round()` without trailing zeros, with thousands separators: trim(12.345, 3) → '12.3'. */
function trim(value: number, digits: number): string {
  return numberFormat(decimalsFor(value || 1, digits)).format(round(value, digits))
}

const numberFormats = new Map<number, Intl.NumberFormat>()

/**
 * `toLocaleString('en-US', …)` builds a formatter on every call; a report of a long run formats
 * hundreds of thousands of figures, so each one is built once.
 */
function numberFormat(maximumFractionDigits: number): Intl.NumberFormat {
  let format = numberFormats.get(maximumFractionDigits)
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits })
    numberFormats.set(maximumFractionDigits, format)
  }
  return format
}
