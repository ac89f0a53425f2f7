/** An arrival rate: a number of arrivals per second, or a string such as `'200/s'`, `'600/m'` or `'1/100ms'`. */
export type RateInput = number | string

const RATE = /^(\d+(?:\.\d+)?|\.\d+)\s*\/\s*(?:(\d+(?:\.\d+)?)\s*)?(ms|[smh])$/
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}

/**
 * Parses a rate into arrivals per second, or returns `undefined` when it is not one.
 * `200` → 200, `'200/s'` → 200, `'600/m'` → 10, `'1/100ms'` → 10. Zero is a rate (a pause).
 */
export function parseRatePerSec(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0
      ? input
      : undefined
  }
  if (typeof input !== 'string')
    return undefined
  const match = RATE.exec(input.trim())
  if (!match)
    return undefined
  const per = Number(match[2] ?? 1) * UNIT_MS[match[3]!]!
  // one division, correctly rounded: '600/m' is exactly 10 and '7/m' the double nearest 7/60.
  // Not snapped to a grid: a rate rounded to 1e-9 drifts, and '7/m' for 1 minute made 8 arrivals
  const perSec = Number(match[1]) * 1000 / per
  return per > 0 && Number.isFinite(perSec)
    ? perSec
    : undefined
}
