import { describe, expect, it } from 'vitest'
import { parseRatePerSec } from '../../src/spec/rate.js'

describe('parseRatePerSec', () => {
  it.each([
    [200, 200],
    [0.5, 0.5],
    [0, 0],
  ])('takes the number %d as %d arrivals per second', (input, expected) => {
    expect(parseRatePerSec(input)).toBe(expected)
  })

  it.each([
    ['200/s', 200],
    ['600/m', 10],
    ['1/100ms', 10],
    ['1/2ms', 500],
    ['3600/h', 1],
    ['90/1.5s', 60],
    ['1.5/s', 1.5],
    ['.5/s', 0.5],
    ['30/m', 0.5],
    ['0/s', 0],
    ['0/m', 0],
  ])('reads %j as %d arrivals per second', (input, expected) => {
    expect(parseRatePerSec(input)).toBe(expected)
  })

  it('accepts spaces around the number, the slash and the whole rate: \' 200 / s \' is 200/s', () => {
    expect(parseRatePerSec(' 200 / s ')).toBe(200)
    expect(parseRatePerSec('1 / 100 ms')).toBe(10)
  })

  it('reads \'7/m\' as the double nearest 7/60, not a value rounded to 9 decimals', () => {
    // a rate snapped to 0.116666667 makes 7.00000002 arrivals in a minute: one too many
    expect(parseRatePerSec('7/m')).toBe(7 / 60)
    expect(parseRatePerSec('2/3s')).toBe(2 / 3)
    expect(parseRatePerSec('11/h')).toBe(11 / 3600)
  })

  it.each([
    ['200', 'a bare numeric string: the unit would be a guess'],
    ['', 'an empty string'],
    ['/s', 'no count'],
    ['200/', 'no unit'],
    ['200/sec', 'a unit spelled out'],
    ['200/d', 'days'],
    ['200/S', 'an upper-case unit'],
    ['-1/s', 'a negative count'],
    ['1e3/s', 'an exponent'],
    ['200/s/s', 'two slashes'],
    ['200 per second', 'words'],
    ['200/0s', 'a period of zero'],
    ['200/0ms', 'a period of zero milliseconds'],
  ])('rejects %j (%s)', (input) => {
    expect(parseRatePerSec(input)).toBeUndefined()
  })

  it('rejects 400 nines per second, which is Infinity', () => {
    expect(parseRatePerSec(`${'9'.repeat(400)}/s`)).toBeUndefined()
  })

  it.each([
    -1,
    Number.NaN,
    Infinity,
    -Infinity,
  ])('rejects the number %d', (input) => {
    expect(parseRatePerSec(input)).toBeUndefined()
  })

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['true', true],
    ['200n', 200n],
    [
      '[200]',
      [200],
    ],
    [
      '{ rate: 200 }',
      { rate: 200 },
    ],
  ])('rejects %s, which is neither a number nor a string', (_label, input) => {
    expect(parseRatePerSec(input)).toBeUndefined()
  })
})
