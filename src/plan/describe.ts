import type { LoadSpec } from '../spec/spec.js'

/** One line for summaries: `'20 users for 5 s'`, `'5 users × 20 iterations'`. */
export function describeLoad(load: LoadSpec): string {
  const users = `${load.users} ${load.users === 1
    ? 'user'
    : 'users'}`
  if (load.durationMs !== null)
    return `${users} for ${formatSeconds(load.durationMs)}`
  return `${users} × ${load.iterationsPerUser} ${load.iterationsPerUser === 1
    ? 'iteration'
    : 'iterations'}`
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0
    ? `${ms / 1000} s`
    : `${ms} ms`
}
