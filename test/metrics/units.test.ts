import { describe, expect, it } from 'vitest'
import { formatAgainst, formatBytes, formatCount, formatMs, formatPercent, formatRate } from '../../src/metrics/units.js'

describe('formatMs', () => {
  it.each([
    [0.0421, '42.1 µs'],
    [0.15, '150 µs'],
    [1, '1 ms'],
    [12.345, '12.3 ms'],
    [143.24, '143 ms'],
    [999.4, '999 ms'],
    [1000, '1 s'],
    [1534, '1.53 s'],
    [61_234, '61.2 s'],
    [3_600_000, '3,600 s'],
  ])('formats %d ms as \'%s\'', (ms, text) => {
    expect(formatMs(ms)).toBe(text)
  })

  it('moves up a unit when rounding reaches 1,000: 0.9996 ms is \'1 ms\', 999.96 ms is \'1 s\'', () => {
    expect(formatMs(0.9996)).toBe('1 ms')
    expect(formatMs(999.96)).toBe('1 s')
  })

  it('keeps the unit on values that are not finite: NaN ms, Infinity ms', () => {
    expect(formatMs(Number.NaN)).toBe('NaN ms')
    expect(formatMs(Infinity)).toBe('Infinity ms')
  })
})

describe('formatRate', () => {
  it.each([
    [0, '0 req/s'],
    [0.5, '0.5 req/s'],
    [12.34, '12.3 req/s'],
    [99.96, '100 req/s'],
    [190, '190 req/s'],
    [1234.56, '1,235 req/s'],
    [1_000_000, '1,000,000 req/s'],
  ])('formats %d per second as \'%s\'', (perSec, text) => {
    expect(formatRate(perSec)).toBe(text)
  })
})

describe('formatPercent', () => {
  it.each([
    [0, '0 %'],
    [0.000306, '0.0306 %'],
    [0.008, '0.8 %'],
    [0.0123, '1.23 %'],
    [0.5, '50 %'],
    [1, '100 %'],
  ])('formats the ratio %d as \'%s\'', (ratio, text) => {
    expect(formatPercent(ratio)).toBe(text)
  })
})

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [9_812, '9,812'],
    [1_234_567, '1,234,567'],
    [12.5, '13'],
  ])('formats %d as \'%s\'', (count, text) => {
    expect(formatCount(count)).toBe(text)
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1_048_576, '1 MiB'],
    [5_000_000_000, '4.66 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
    [2048 * 1024 ** 4, '2,048 TiB'],
  ])('formats %d bytes as \'%s\'', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it('moves up a unit when rounding reaches 1,024: 1,048,575 B is \'1 MiB\'', () => {
    expect(formatBytes(1_048_575)).toBe('1 MiB')
  })
})

describe('formatAgainst', () => {
  it.each([
    [
      formatMs,
      100.04,
      100,
      ['100.04 ms', '100 ms'],
    ],
    [
      formatMs,
      100.5,
      100,
      ['101 ms', '100 ms'],
    ],
    [
      formatMs,
      142,
      100,
      ['142 ms', '100 ms'],
    ],
    [
      formatMs,
      1000.4,
      1000,
      ['1.0004 s', '1 s'],
    ],
    [
      formatPercent,
      0.01004,
      0.01,
      ['1.004 %', '1 %'],
    ],
    [
      formatPercent,
      0.05,
      0.01,
      ['5 %', '1 %'],
    ],
  ] as const)('%#: a figure beside the limit it crossed never reads the same as the limit', (format, value, limit, expected) => {
    expect(formatAgainst(format, value, limit)).toEqual(expected)
  })
})
