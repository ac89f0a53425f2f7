import type { LoadSpec, Profile } from '../spec/spec.js'

/**
 * One line for summaries: `'20 users for 5 s'`, `'5 users × 20 iterations'`, `'200 req/s for 30 s,
 * up to 200 users'`, `'ramping 0 → 100 → 0 req/s over 70 s, up to 100 users'`,
 * `'ramping 0 → 20 → 0 users over 80 s'`.
 */
export function describeLoad(load: LoadSpec): string {
  switch (load.kind) {
    case 'closed': {
      const users = plural(load.users, 'user')
      const ramp = load.rampUpMs > 0
        ? `, started over ${formatSeconds(load.rampUpMs)}`
        : ''
      if (load.durationMs !== null)
        return `${users} for ${formatSeconds(load.durationMs)}${ramp}`
      return `${users} × ${plural(load.iterationsPerUser ?? 0, 'iteration')}${ramp}`
    }
    case 'open':
      return load.constantRate
        ? `${formatNumber(load.rate.start)} req/s for ${formatSeconds(load.durationMs)}, up to ${plural(load.users, 'user')}`
        : `ramping ${path(load.rate)} req/s over ${formatSeconds(load.durationMs)}, up to ${plural(load.users, 'user')}`
    case 'ramping-users':
      return `ramping ${path(load.profile)} users over ${formatSeconds(load.durationMs)}`
  }
}

/** The distinct values a profile passes through: `0 → 100 → 0`. */
function path(profile: Profile): string {
  const values = [
    profile.start,
    ...profile.stages.map(stage => stage.target),
  ]
  return values.filter((value, index) => index === 0 || value !== values[index - 1]).map(formatNumber).join(' → ')
}

function plural(count: number, noun: string): string {
  return `${count} ${count === 1
    ? noun
    : `${noun}s`}`
}

function formatNumber(value: number): string {
  return Number(value.toFixed(3)).toString()
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0
    ? `${ms / 1000} s`
    : `${ms} ms`
}
