/** A duration: a number of milliseconds, or a string such as `'250ms'`, `'1.5s'`, `'2m'`, `'1h'` or `'1m30s'`. */
export type DurationInput = number | string

const UNIT_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|[smh])/y

/**
 * Parses a duration into milliseconds, or returns `undefined` when it is not one.
 * `'1m30s'` → 90000, `'1.5s'` → 1500, `250` → 250. A bare numeric string (`'250'`) is not
 * accepted: the unit would be a guess.
 */
export function parseDurationMs(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0
      ? input
      : undefined
  }
  if (typeof input !== 'string')
    return undefined
  const text = input.trim()
  if (text === '')
    return undefined
  let totalMs = 0
  PART.lastIndex = 0
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text)
    if (!match)
      return undefined
    totalMs += Number(match[1]) * UNIT_MS[match[2]!]!
  }
  if (!Number.isFinite(totalMs))
    return undefined
  // '0.017m' is 1020.0000000000001 in floating point; nanoseconds are finer than any unit here
  return Math.round(totalMs * 1e6) / 1e6
}
