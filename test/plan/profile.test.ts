import type { Profile } from '../../src/plan/profile.js'
import { describe, expect, it } from 'vitest'
import { ArrivalClock, profileDurationMs, profilePeak, totalArrivals, valueAt } from '../../src/plan/profile.js'
import { parseRatePerSec } from '../../src/spec/rate.js'

/** A constant rate (per second) for `durationMs`. */
function constant(rate: number, durationMs: number): Profile {
  return {
    start: rate,
    stages: [
      { durationMs, target: rate },
    ],
  }
}

/** `start`, then `[durationMs, target]` for each stage. */
function profile(start: number, ...stages: Array<[number, number]>): Profile {
  return {
    start,
    stages: stages.map(([durationMs, target]) => ({ durationMs, target })),
  }
}

/** Every time the clock gives, walking indices 0, 1, 2… until the first `Infinity`. */
function allTimes(rate: Profile, limit = 1_000_000): number[] {
  const clock = new ArrivalClock(rate)
  const times: number[] = []
  for (let index = 0; index < limit; index++) {
    const timeMs = clock.timeOfMs(index)
    if (!Number.isFinite(timeMs))
      return times
    times.push(timeMs)
  }
  return expect.unreachable(`more than ${limit} arrivals`)
}

/** A ramp 0 → 100/s over 10 s, 10 s at 100/s, a step to 20/s, 5 s there, a pause and a ramp down. */
const SHAPED = profile(0, [10_000, 100], [10_000, 100], [0, 20], [5000, 20], [0, 0], [3000, 0], [0, 50], [4000, 0])

describe('profileDurationMs', () => {
  it('adds the stages: 10 s + 0 ms + 20 s is 30000 ms', () => {
    expect(profileDurationMs(profile(0, [10_000, 100], [0, 50], [20_000, 50]))).toBe(30_000)
  })

  it('is 32000 ms for the shaped profile of 8 stages, counting its steps as 0 ms', () => {
    expect(profileDurationMs(SHAPED)).toBe(32_000)
  })
})

describe('profilePeak', () => {
  it('is the highest target: 100 for 0 → 100 → 20 → 0', () => {
    expect(profilePeak(profile(0, [10_000, 100], [0, 20], [1000, 0]))).toBe(100)
  })

  it('counts the start: 50 for a ramp down from 50 to 0', () => {
    expect(profilePeak(profile(50, [10_000, 0]))).toBe(50)
  })

  it('is 0 for a profile that stays at 0', () => {
    expect(profilePeak(profile(0, [1000, 0]))).toBe(0)
  })
})

describe('valueAt', () => {
  const ramp = profile(0, [10_000, 100], [10_000, 100], [10_000, 0])

  it.each([
    [0, 0],
    [2500, 25],
    [5000, 50],
    [10_000, 100],
    [15_000, 100],
    [25_000, 50],
    [30_000, 0],
    [99_000, 0],
  ])('is at %d ms %d on the ramp 0 → 100 (10 s), hold (10 s), → 0 (10 s)', (tMs, expected) => {
    expect(valueAt(ramp, tMs)).toBe(expected)
  })

  it('jumps at a step: 49.995 at 9999 ms, 100 at 10000 ms for 0 → 50 over 10 s, then a step to 100', () => {
    const step = profile(0, [10_000, 50], [0, 100], [10_000, 100])
    expect(valueAt(step, 9999)).toBeCloseTo(49.995, 9)
    expect(valueAt(step, 10_000)).toBe(100)
    expect(valueAt(step, 15_000)).toBe(100)
  })

  it('takes a step at 0 ms at once: 10 at 0 ms for 0, then a step to 10', () => {
    expect(valueAt(profile(0, [0, 10], [60_000, 10]), 0)).toBe(10)
  })

  it('is the last target, 7, after the last stage', () => {
    expect(valueAt(profile(0, [1000, 7]), 5000)).toBe(7)
  })

  it('is the value at 0 ms before the start: 10 at -0.5 ms for a step 0 → 10, 0 at -1000 ms for a ramp from 0', () => {
    // a timer may fire a fraction of a millisecond early: -0.5 ms must not give NaN or -Infinity
    expect(valueAt(profile(0, [0, 10], [60_000, 10]), -0.5)).toBe(10)
    expect(valueAt(profile(10, [0, 10], [60_000, 10]), -0.5)).toBe(10)
    expect(valueAt(profile(0, [10_000, 100]), -1000)).toBe(0)
  })
})

describe('totalArrivals', () => {
  it.each<[string, number, Profile]>([
    [
      '200/s for 1 s',
      200,
      constant(200, 1000),
    ],
    [
      '333/s for 3 s',
      999,
      constant(333, 3000),
    ],
    [
      '0.5/s for 3 s (1.5 arrivals, rounded up)',
      2,
      constant(0.5, 3000),
    ],
    [
      '0.7/s for 10 s (7.000000000000001 in floating point)',
      7,
      constant(0.7, 10_000),
    ],
    [
      '0.1/s for 30 s',
      3,
      constant(0.1, 30_000),
    ],
    [
      '1.0000001/s for 1 s (1.0000001 arrivals)',
      2,
      constant(1.0000001, 1000),
    ],
    [
      'a ramp 0 → 100/s over 10 s',
      500,
      profile(0, [10_000, 100]),
    ],
    [
      'a ramp 100 → 0/s over 10 s',
      500,
      profile(100, [10_000, 0]),
    ],
    [
      'a ramp 50 → 150/s over 10 s',
      1000,
      profile(50, [10_000, 150]),
    ],
    ['the shaped profile of 8 stages', 1700, SHAPED],
    [
      '0/s for 10 s',
      0,
      constant(0, 10_000),
    ],
    [
      'stages of 0 ms only',
      0,
      profile(0, [0, 100]),
    ],
  ])('makes %s give %d arrivals', (_label, expected, rate) => {
    expect(totalArrivals(rate)).toBe(expected)
  })

  it('counts 17003520 arrivals for 196.8/s over 24 h, where one ulp of the count exceeds 1e-9', () => {
    expect(totalArrivals(constant(196.8, 86_400_000))).toBe(17_003_520)
  })
})

describe('arrivalClock', () => {
  it('puts arrival i of 200/s at i × 5 ms and makes exactly 200 arrivals in 1 s', () => {
    const times = allTimes(constant(200, 1000))
    expect(times).toHaveLength(200)
    times.forEach((timeMs, index) => expect(timeMs).toBeCloseTo(index * 5, 9))
    expect(times.at(-1)).toBeCloseTo(995, 9)
  })

  it('puts arrival i of the ramp 0 → 100/s over 10 s at 1000·√(i/5) ms (∫ = 5t²) and makes 500 arrivals', () => {
    const times = allTimes(profile(0, [10_000, 100]))
    expect(times).toHaveLength(500)
    times.forEach((timeMs, index) => expect(timeMs).toBeCloseTo(1000 * Math.sqrt(index / 5), 6))
    expect(times[5]).toBeCloseTo(1000, 9)
    expect(times[125]).toBeCloseTo(5000, 9)
  })

  it('puts arrival i of the ramp 100 → 0/s over 10 s at (100 − √(10000 − 20i)) / 10 s (∫ = 100t − 5t²)', () => {
    const times = allTimes(profile(100, [10_000, 0]))
    expect(times).toHaveLength(500)
    times.forEach((timeMs, index) => expect(timeMs).toBeCloseTo(100 * (100 - Math.sqrt(10_000 - 20 * index)), 6))
    // the last arrivals are the farthest apart: 9553 ms and 9800 ms for arrivals 499 and 498
    expect(times[499]).toBeCloseTo(100 * (100 - Math.sqrt(20)), 6)
  })

  it('puts arrival i of the ramp 50 → 150/s over 10 s at (√(2500 + 20i) − 50) / 10 s (∫ = 50t + 5t²)', () => {
    const times = allTimes(profile(50, [10_000, 150]))
    expect(times).toHaveLength(1000)
    times.forEach((timeMs, index) => expect(timeMs).toBeCloseTo(100 * (Math.sqrt(2500 + 20 * index) - 50), 6))
  })

  it('jumps at a step: 10/s for 1 s spaces arrivals 100 ms apart, then a step to 100/s spaces them 10 ms apart', () => {
    const times = allTimes(profile(10, [1000, 10], [0, 100], [1000, 100]))
    expect(times).toHaveLength(110)
    times.slice(0, 10).forEach((timeMs, index) => expect(timeMs).toBeCloseTo(index * 100, 9))
    times.slice(10).forEach((timeMs, index) => expect(timeMs).toBeCloseTo(1000 + index * 10, 9))
  })

  it('pauses in a stage of rate 0: 10 arrivals in 0–900 ms, none for 1 s, 10 more in 2000–2900 ms', () => {
    const times = allTimes(profile(10, [1000, 10], [0, 0], [1000, 0], [0, 10], [1000, 10]))
    expect(times).toHaveLength(20)
    times.slice(0, 10).forEach((timeMs, index) => expect(timeMs).toBeCloseTo(index * 100, 9))
    times.slice(10).forEach((timeMs, index) => expect(timeMs).toBeCloseTo(2000 + index * 100, 9))
  })

  it('carries half an arrival over a pause: 1.5/s, 1 s of rate 0, 1.5/s make arrivals at 0, 666.7 and 2333.3 ms', () => {
    const times = allTimes(profile(1.5, [1000, 1.5], [0, 0], [1000, 0], [0, 1.5], [1000, 1.5]))
    expect(times).toHaveLength(3)
    expect(times[0]).toBe(0)
    expect(times[1]).toBeCloseTo(2000 / 3, 9)
    expect(times[2]).toBeCloseTo(2000 + 1000 / 3, 9)
  })

  it('starts a stage with an arrival when the arrivals before it end on a whole number: arrival 10 at 1000 ms', () => {
    const times = allTimes(profile(10, [1000, 10], [1000, 30]))
    expect(times[10]).toBe(1000)
    expect(times).toHaveLength(10 + 20)
  })

  it.each<[string, number, Profile]>([
    [
      '333/s for 3 s',
      999,
      constant(333, 3000),
    ],
    [
      '0.5/s for 3 s',
      2,
      constant(0.5, 3000),
    ],
    [
      '0.7/s for 10 s',
      7,
      constant(0.7, 10_000),
    ],
    [
      '0.1/s for 30 s',
      3,
      constant(0.1, 30_000),
    ],
    [
      '1.0000001/s for 1 s',
      2,
      constant(1.0000001, 1000),
    ],
  ])('makes exactly as many arrivals as the integral says for %s: %d', (_label, expected, rate) => {
    expect(allTimes(rate)).toHaveLength(expected)
  })

  it.each([
    ['7/m', 60_000, 7],
    ['7/m', 3_600_000, 420],
    ['11/h', 3_600_000, 11],
    ['13/m', 3_600_000, 780],
    ['2/3s', 3000, 2],
    ['1/3s', 3000, 1],
    ['1/100ms', 1000, 10],
  ])('makes exactly the arrivals %s promises over %d ms: %d', (rate, durationMs, expected) => {
    const times = allTimes(constant(parseRatePerSec(rate)!, durationMs))
    expect(times).toHaveLength(expected)
    expect(times.at(-1)).toBeLessThan(durationMs)
  })

  it('makes exactly 17003520 arrivals for 196.8/s over 24 h, the last one before the end', () => {
    const clock = new ArrivalClock(constant(196.8, 86_400_000))
    // indices may be skipped, as long as they only go up
    expect(clock.timeOfMs(17_003_519)).toBeCloseTo(17_003_519 / 196.8 * 1000, 3)
    expect(clock.timeOfMs(17_003_519)).toBeLessThan(86_400_000)
    expect(clock.timeOfMs(17_003_520)).toBe(Infinity)
  })

  it('makes no arrival at 0/s: arrival 0 is at Infinity', () => {
    expect(new ArrivalClock(constant(0, 10_000)).timeOfMs(0)).toBe(Infinity)
  })

  it('gives the same time when asked for the same index twice, and Infinity past the last arrival every time', () => {
    const clock = new ArrivalClock(constant(200, 1000))
    expect(clock.timeOfMs(7)).toBeCloseTo(35, 9)
    expect(clock.timeOfMs(7)).toBeCloseTo(35, 9)
    expect(clock.timeOfMs(200)).toBe(Infinity)
    expect(clock.timeOfMs(201)).toBe(Infinity)
  })

  it('gives the same times when indices are skipped as when every index is asked for', () => {
    const everyTime = allTimes(SHAPED)
    const clock = new ArrivalClock(SHAPED)
    for (let index = 0; index < everyTime.length; index += 7)
      expect(clock.timeOfMs(index)).toBe(everyTime[index])
  })

  const profiles: Array<[string, Profile]> = [
    [
      '200/s for 1 s',
      constant(200, 1000),
    ],
    [
      '0.3/s for 7 s',
      constant(0.3, 7000),
    ],
    [
      '7.7/s for 1234 ms',
      constant(7.7, 1234),
    ],
    [
      '0 → 100/s over 10 s',
      profile(0, [10_000, 100]),
    ],
    [
      '0.3 → 333/s over 7 ms, hold 1 s, → 0.3/s over 7 ms',
      profile(0.3, [7, 333], [1000, 333], [7, 0.3]),
    ],
    [
      '7.7 → 0 → 7.7/s over 3 s each',
      profile(7.7, [3000, 0], [3000, 7.7]),
    ],
    ['the shaped profile of 8 stages', SHAPED],
  ]

  it.each(profiles)('gives strictly increasing times, all within the profile, for %s', (_label, rate) => {
    const times = allTimes(rate)
    expect(times[0]).toBe(0)
    for (let index = 1; index < times.length; index++)
      expect(times[index]!).toBeGreaterThan(times[index - 1]!)
    expect(times.at(-1)!).toBeLessThan(profileDurationMs(rate))
  })

  it.each(profiles)('makes totalArrivals finite times for %s', (_label, rate) => {
    expect(allTimes(rate)).toHaveLength(totalArrivals(rate))
  })

  it('agrees with totalArrivals for 1225 profiles of 3 stages with rates 0–333/s and stages of 0–10 s', () => {
    const rates = [0, 0.3, 1, 1.0000001, 7.7, 100, 333]
    const durations = [0, 7, 1000, 3000, 10_000]
    let checked = 0
    for (const from of rates) {
      for (const to of rates) {
        for (const rampMs of durations) {
          for (const holdMs of durations) {
            const rate = profile(from, [rampMs, to], [holdMs, to], [rampMs, from])
            expect(allTimes(rate), JSON.stringify(rate)).toHaveLength(totalArrivals(rate))
            checked++
          }
        }
      }
    }
    expect(checked).toBe(1225)
  })
})
