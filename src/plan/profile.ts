import type { Profile } from '../spec/spec.js'

export type { Profile }

export function profileDurationMs(profile: Profile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
}

export function profilePeak(profile: Profile): number {
  return Math.max(profile.start, ...profile.stages.map(stage => stage.target))
}

/** The value at `tMs` after the start; before the start, the value at 0 ms; after the last stage, the last target. */
export function valueAt(profile: Profile, tMs: number): number {
  let from = profile.start
  let stageStartMs = 0
  for (const { durationMs, target } of profile.stages) {
    // a step (0 ms) never holds `tMs`: before the start it would divide by 0 (NaN or -Infinity)
    if (durationMs > 0 && tMs < stageStartMs + durationMs) {
      return tMs <= stageStartMs
        ? from
        : from + (target - from) * (tMs - stageStartMs) / durationMs
    }
    stageStartMs += durationMs
    from = target
  }
  return from
}

/**
 * Floating-point noise in a count of arrivals, which must not add one: 0.7/s for 10 s is
 * 7.000000000000001, and past ten million arrivals one ulp is more than 1e-9. The same tolerance
 * decides `totalArrivals` and the last time `ArrivalClock` gives, so the two always agree.
 */
function noise(count: number): number {
  return 1e-9 + Math.abs(count) * 1e-12
}

/** How many arrivals a rate profile (per second) makes over its whole duration: ⌈∫ rate dt⌉. */
export function totalArrivals(profile: Profile): number {
  let from = profile.start
  let arrivals = 0
  for (const { durationMs, target } of profile.stages) {
    arrivals += (from + target) / 2 * durationMs / 1000
    from = target
  }
  // arrival i is made when i < ∫ rate dt, less noise (as in ArrivalClock)
  return Math.max(0, Math.ceil(arrivals - noise(arrivals)))
}

/**
 * The intended times of arrivals 0, 1, 2… of a rate profile: arrival `i` is due when the integral
 * of the rate reaches `i`, so a constant 200/s puts arrival `i` at `i × 5 ms`, and a ramp from 0
 * spaces arrivals ever closer. Indices must be asked for in increasing order (the stage pointer
 * only moves forward), which is how a worker walks its owned indices.
 */
export class ArrivalClock {
  readonly #profile: Profile
  #stage = 0
  #stageStartMs = 0
  #stageFrom: number
  /** Arrivals made before the current stage began. */
  #stageStartCount = 0

  constructor(profile: Profile) {
    this.#profile = profile
    this.#stageFrom = profile.start
  }

  /** Milliseconds after the start at which arrival `index` is due; `Infinity` past the last stage. */
  timeOfMs(index: number): number {
    const stages = this.#profile.stages
    while (this.#stage < stages.length) {
      const { durationMs, target } = stages[this.#stage]!
      const from = this.#stageFrom
      const stageArrivals = (from + target) / 2 * durationMs / 1000
      const wanted = index - this.#stageStartCount
      const stageEndCount = this.#stageStartCount + stageArrivals
      if (stageArrivals > 0 && index < stageEndCount - noise(stageEndCount)) {
        // solve from·τ + (target − from)·τ²/(2T) = wanted for τ in seconds, in the form that
        // stays exact when from = 0 or target = from
        if (wanted <= 0)
          return this.#stageStartMs
        const slopePerS = (target - from) / (durationMs / 1000)
        const tauS = 2 * wanted / (from + Math.sqrt(Math.max(0, from * from + 2 * slopePerS * wanted)))
        return this.#stageStartMs + tauS * 1000
      }
      this.#stageStartCount += stageArrivals
      this.#stageStartMs += durationMs
      this.#stageFrom = target
      this.#stage++
    }
    return Infinity
  }
}
