import type { LoadSpec, Profile, StepsSpec } from '../spec/spec.js'

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

/** The levels listed in full up to this many; more read `first → second → … → last`. */
const MAX_LISTED_LEVELS = 6

/**
 * One line for a step test or a breaking-point search, saying what ran once steps have:
 * `'steps of 10 → 50 → 100 → 200 users, 30 s each'`, `'breaking-point search over 5 → 10 → … → 50
 * users, 1 s a step'`, and after a search that stopped at its third step, `'breaking-point search
 * over 5 → 10 → 15 users, 1 s a step (stopped after 3 of 10 steps, planned up to 50 users)'`.
 */
export function describeSteps(steps: StepsSpec, ran: number): string {
  const { levels, by } = steps
  const shown = ran > 0 && ran < levels.length
    ? levels.slice(0, ran)
    : levels
  const listed = shown.length > MAX_LISTED_LEVELS
    ? [
        shown[0]!,
        shown[1]!,
        '…',
        shown.at(-1)!,
      ]
    : shown
  const unit = by === 'users'
    ? shown.length === 1 && shown[0] === 1
      ? 'user'
      : 'users'
    : 'req/s'
  const path = `${listed.map(level => typeof level === 'number'
    ? formatNumber(level)
    : level).join(' → ')} ${unit}`
  if (steps.phases) {
    // a spike: the light load, the peak, the light load again, each for its own time
    const [before, during, after] = steps.durationsMs.map(formatSeconds)
    const unit = by === 'users'
      ? 'users'
      : 'req/s'
    return `spike of ${formatNumber(levels[0]!)} → ${formatNumber(levels[1]!)} → ${formatNumber(levels[2]!)} ${unit}: ${before} before, ${during} at the peak, ${after} after`
  }
  const seconds = formatSeconds(steps.durationsMs[0]!)
  const stopped = shown.length < levels.length
    ? ` (stopped after ${ran} of ${levels.length} steps, planned up to ${formatNumber(Math.max(...levels))} ${by === 'users'
      ? 'users'
      : 'req/s'})`
    : ''
  return steps.until
    ? `breaking-point search over ${path}, ${seconds} a step${stopped}`
    : `steps of ${path}, ${seconds} each${stopped}`
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
