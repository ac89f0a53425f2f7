import { describe, expect, it } from 'vitest'
import { parseDurationMs } from '../../src/spec/duration.js'

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['.5s', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h30m15s', 5_415_000],
    ['1s250ms', 1250],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['0s', 0],
  ])('reads %j as %d ms', (input, expectedMs) => {
    expect(parseDurationMs(input)).toBe(expectedMs)
  })

  it('accepts a space between number and unit, and around the whole duration: \' 250 ms \' is 250 ms', () => {
    expect(parseDurationMs(' 250 ms ')).toBe(250)
  })

  it('reads \'0.017m\' as exactly 1020 ms, without floating-point noise', () => {
    // 0.017 × 60000 is 1020.0000000000001 in floating point
    expect(parseDurationMs('0.017m')).toBe(1020)
    expect(parseDurationMs('0.009h')).toBe(32_400)
  })

  it.each([
    [250, 250],
    [0, 0],
    [1.5, 1.5],
  ])('takes the number %d as %d ms', (input, expectedMs) => {
    expect(parseDurationMs(input)).toBe(expectedMs)
  })

  it.each([
    ['250', 'a bare numeric string: the unit would be a guess'],
    ['', 'an empty string'],
    ['   ', 'a blank string'],
    ['abc', 'no number'],
    ['30 seconds', 'a unit spelled out'],
    ['1m 30s', 'a space between parts'],
    ['-1s', 'a negative string'],
    ['1d', 'days'],
    ['1S', 'an upper-case unit'],
    ['ms', 'a unit without a number'],
    ['1.5.5s', 'two decimal points'],
    ['10s!', 'trailing text'],
  ])('rejects %j (%s)', (input) => {
    expect(parseDurationMs(input)).toBeUndefined()
  })

  it('rejects 400 nines of milliseconds, which add up to Infinity', () => {
    expect(parseDurationMs(`${'9'.repeat(400)}ms`)).toBeUndefined()
  })

  it.each([
    -1,
    Number.NaN,
    Infinity,
    -Infinity,
  ])('rejects the number %d', (input) => {
    expect(parseDurationMs(input)).toBeUndefined()
  })

  it.each([
    [
      '{ ms: 250 }',
      { ms: 250 },
    ],
    [
      '[250]',
      [250],
    ],
    ['null', null],
    ['undefined', undefined],
    ['true', true],
    ['10n', 10n],
  ])('rejects %s, which is neither a number nor a string', (_label, input) => {
    expect(parseDurationMs(input)).toBeUndefined()
  })

  it('parses again after a rejected input: the sticky pattern starts from 0 each time', () => {
    expect(parseDurationMs('2m!')).toBeUndefined()
    expect(parseDurationMs('2m')).toBe(120_000)
  })
})
