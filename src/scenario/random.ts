/**
 * A small seeded generator of numbers in [0, 1) (mulberry32): each user draws from its own
 * sequence, seeded from its global index, so task order and think times repeat run after run and do
 * not depend on how users are split across workers.
 */
export function createRandom(seed: number): () => number {
  // spread nearby seeds (user 0, 1, 2…) apart before the first draw
  let state = Math.imul(seed + 1, 0x9E3779B1) >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
