import { describe, expect, it } from 'vitest'
import { between, constant, isThinkTime, pacing, thinkTimeMs } from '../../src/scenario/think-time.js'

describe('think time helpers', () => {
  it('constant(\'2s\') pauses 2000 ms after every iteration, however long it took', () => {
    expect(thinkTimeMs(constant('2s'), 10, Math.random)).toBe(2000)
    expect(thinkTimeMs(constant(250), 5000, Math.random)).toBe(250)
  })

  it('between(\'1s\', \'5s\') draws uniformly from 1000 to 5000 ms', () => {
    const thinkTime = between('1s', '5s')
    expect(thinkTimeMs(thinkTime, 0, () => 0)).toBe(1000)
    expect(thinkTimeMs(thinkTime, 0, () => 0.5)).toBe(3000)
    expect(thinkTimeMs(thinkTime, 0, () => 0.999)).toBeCloseTo(4996)
  })

  it('pacing(\'5s\') pauses what is left of 5 s after the iteration, and not at all past it', () => {
    expect(thinkTimeMs(pacing('5s'), 1200, Math.random)).toBe(3800)
    expect(thinkTimeMs(pacing('5s'), 5000, Math.random)).toBe(0)
    expect(thinkTimeMs(pacing('5s'), 7000, Math.random)).toBe(0)
  })

  it('rejects what is not a duration with the call, the value and an example', () => {
    expect(() => constant('soon')).toThrow(`constant(duration) must be given a duration such as '2s', '500ms' or 1500 (ms), got \`"soon"\` (string). Example: constant('2s')`)
    expect(() => between('1s', -1)).toThrow('between(min, max): max must be given a duration')
    expect(() => between('5s', '1s')).toThrow('between(min, max) needs min ≤ max, got 5000 ms and 1000 ms')
    expect(() => pacing(0)).toThrow('pacing(interval) needs an interval above 0, got `0` (number)')
  })

  it('recognises think times by shape, so another copy of the module can make them', () => {
    expect(isThinkTime(between(1, 2))).toBe(true)
    expect(isThinkTime({ kind: 'pacing', ms: 100 })).toBe(true)
    expect(isThinkTime('1s')).toBe(false)
    expect(isThinkTime({ kind: 'between', minMs: 5, maxMs: 1 })).toBe(false)
    expect(isThinkTime({ kind: 'constant', ms: -1 })).toBe(false)
  })
})
