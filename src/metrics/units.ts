/** `0.0421` → `'42.1 µs'`, `12.345` → `'12.3 ms'`, `1534` → `'1.53 s'`: latencies people read. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms))
    return `${ms} ms`
  if (ms < 1)
    return `${trim(ms * 1000, 3)} µs`
  if (ms < 1000)
    return `${trim(ms, 3)} ms`
  return `${trim(ms / 1000, 3)} s`
}

/** `1234.56` → `'1,235 req/s'`, `12.34` → `'12.3 req/s'`. */
export function formatRate(perSec: number): string {
  return `${perSec >= 100
    ? formatCount(Math.round(perSec))
    : trim(perSec, 3)} req/s`
}

/** A ratio as a percentage: `0.0123` → `'1.23 %'`, `0` → `'0 %'`. */
export function formatPercent(ratio: number): string {
  return `${trim(ratio * 100, 3)} %`
}

/** `1234567` → `'1,234,567'`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US')
}

/** `1536` → `'1.5 KiB'`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0
    ? value
    : trim(value, 3)} ${units[unit]}`
}

/** Rounds to `digits` significant digits without trailing zeros: trim(12.345, 3) → '12.3'. */
function trim(value: number, digits: number): string {
  if (value === 0)
    return '0'
  const magnitude = Math.floor(Math.log10(Math.abs(value)))
  const decimals = Math.max(0, digits - 1 - magnitude)
  return Number(value.toFixed(decimals)).toLocaleString('en-US', { maximumFractionDigits: decimals })
}
