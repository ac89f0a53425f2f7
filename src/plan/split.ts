/**
 * The striped ownership rule of DISTRIBUTED.md section 4.4: every unit of work (user, iteration,
 * arrival, data row) has a global index `i`, and position `i mod W` of each cycle of
 * `W = Σ weights` belongs to exactly one part. Shares sum exactly, never shrink as the total
 * grows, and interleave: weights [2, 1, 1] give the cycle 0 1 0 2.
 */
export interface Stripe {
  /** The part that owns each position of one cycle; its length is the sum of the weights. */
  readonly cycle: readonly number[]
  /** The part that owns global index `index`. */
  ownerOf: (index: number) => number
  /** How many of the indices `0 … total-1` part `part` owns. */
  shareOf: (total: number, part: number) => number
  /** The global indices below `total` that part `part` owns, in order. */
  indicesOf: (total: number, part: number) => number[]
}

/**
 * Builds the stripe for parts with integer `weights`. Position `p` goes to the first part, by
 * weight descending (then by index), whose next ideal slot `assigned × W / weight` is at or before
 * `p`. Worked example, weights [3, 5]: cycle 1 0 1 0 1 1 0 1.
 */
export function createStripe(weights: readonly number[]): Stripe {
  if (weights.length === 0 || weights.some(w => !Number.isInteger(w) || w < 1))
    throw new RangeError(`weights must be whole numbers of at least 1, got [${weights.join(', ')}]`)
  const total = weights.reduce((sum, w) => sum + w, 0)
  const order = weights.map((weight, part) => ({ weight, part })).sort((a, b) => b.weight - a.weight || a.part - b.part)
  const assigned = weights.map(() => 0)
  const cycle: number[] = []
  for (let position = 0; position < total; position++) {
    const due = order.find(({ weight, part }) => assigned[part]! < weight && (assigned[part]! * total) / weight <= position)
    // Protect our future selves: with weights summing to `total` a part is always due, but if
    // rounding ever says otherwise take the part whose next slot is earliest.
    const owner = due?.part ?? earliestPart(weights, assigned, total)
    assigned[owner]!++
    cycle.push(owner)
  }
  const ownedBefore = weights.map(() => [0])
  for (const owner of cycle) {
    for (let part = 0; part < weights.length; part++) {
      ownedBefore[part]!.push(ownedBefore[part]!.at(-1)! + (owner === part
        ? 1
        : 0))
    }
  }
  return {
    cycle,
    ownerOf: index => cycle[index % total]!,
    shareOf: (count, part) => Math.floor(count / total) * weights[part]! + ownedBefore[part]![count % total]!,
    indicesOf: (count, part) => {
      const indices: number[] = []
      for (let index = 0; index < count; index++) {
        if (cycle[index % total] === part)
          indices.push(index)
      }
      return indices
    },
  }
}

function earliestPart(weights: readonly number[], assigned: readonly number[], total: number): number {
  let best = 0
  let bestSlot = Infinity
  weights.forEach((weight, part) => {
    const slot = assigned[part]! < weight
      ? (assigned[part]! * total) / weight
      : Infinity
    if (slot < bestSlot) {
      best = part
      bestSlot = slot
    }
  })
  return best
}

/** `total` split over `parts` equal parts by the stripe: splitEvenly(10, 3) → [4, 3, 3]. */
export function splitEvenly(total: number, parts: number): number[] {
  const stripe = createStripe(Array.from<number>({ length: parts }).fill(1))
  return Array.from({ length: parts }, (_, part) => stripe.shareOf(total, part))
}
