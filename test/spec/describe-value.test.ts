import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { describeValue } from '../../src/spec/describe-value.js'

describe('describeValue', () => {
  it.each([
    [-5, '`-5` (number)'],
    [1.5, '`1.5` (number)'],
    ['30 seconds', '`"30 seconds"` (string)'],
    ['', '`""` (string)'],
    [true, '`true` (boolean)'],
    [
      [1, 2],
      '`[1,2]` (array)',
    ],
    [
      { users: 0 },
      '`{"users":0}` (object)',
    ],
    [undefined, '`undefined`'],
    [null, '`null`'],
  ])('shows %j as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected)
  })

  it.each([
    ['NaN', Number.NaN, '`NaN` (number)'],
    ['Infinity', Infinity, '`Infinity` (number)'],
    ['-Infinity', -Infinity, '`-Infinity` (number)'],
    ['-0', -0, '`-0` (number)'],
  ])('shows the number %s as %s, where JSON would show null or 0', (_label, value, expected) => {
    expect(describeValue(value)).toBe(expected)
  })

  it('shows the bigint 10n as `10n` (bigint)', () => {
    expect(describeValue(10n)).toBe('`10n` (bigint)')
  })

  it('names a function instead of printing its source', () => {
    function handler(): void {}
    expect(describeValue(handler)).toBe('a function (handler)')
    expect(describeValue([
      () => {},
    ][0])).toBe('a function (anonymous)')
  })

  it('gives the length of a byte array, not its bytes: a Uint8Array of 3 bytes, a Buffer of 5 bytes', () => {
    expect(describeValue(new Uint8Array(3))).toBe('a Uint8Array of 3 bytes')
    expect(describeValue(Buffer.from('hello'))).toBe('a Buffer of 5 bytes')
  })

  it('shows a symbol by its description', () => {
    expect(describeValue(Symbol('id'))).toBe('`Symbol(id)` (symbol)')
  })

  it('falls back to String() for a circular object instead of throwing', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(describeValue(circular)).toBe('`[object Object]` (object)')
  })

  it('cuts a value longer than 80 characters to 77 and \'...\'', () => {
    const text = describeValue('x'.repeat(100))
    expect(text).toBe(`\`"${'x'.repeat(76)}...\` (string)`)
    expect(text.slice(1, text.indexOf('` ('))).toHaveLength(80)
  })

  it('keeps a value of exactly 80 characters whole', () => {
    // 78 characters and two quotes
    expect(describeValue('y'.repeat(78))).toBe(`\`"${'y'.repeat(78)}"\` (string)`)
  })
})
