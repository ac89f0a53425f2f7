import hdr from 'hdr-histogram-js'
import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, decodeHistogram, encodeHistogram, percentileMs, summarizeLatency } from '../../src/metrics/histogram.js'
import { createRandom } from './record-run.js'

function histogramOf(latenciesUs: readonly number[]): ReturnType<typeof createLatencyHistogram> {
  const histogram = createLatencyHistogram()
  for (const latencyUs of latenciesUs)
    histogram.recordValue(latencyUs)
  return histogram
}

const oneToHundredMs = Array.from({ length: 100 }, (_, index) => (index + 1) * 1000)

describe('summarizeLatency', () => {
  it('reads 100 latencies of 1–100 ms in milliseconds, within 0.1 %', () => {
    expect(summarizeLatency(histogramOf(oneToHundredMs))).toEqual({
      count: 100,
      minMs: 1,
      meanMs: expect.closeTo(50.5, 1),
      p50Ms: 50.015,
      p90Ms: 90.047,
      p95Ms: 95.039,
      p99Ms: 99.007,
      p999Ms: 100.031,
      maxMs: 100.031,
      stddevMs: expect.closeTo(28.87, 1),
    })
  })

  it('keeps microsecond latencies below 2.048 ms exact: 150 µs and 1,999 µs', () => {
    const latency = summarizeLatency(histogramOf([150, 1_999]))
    expect(latency.minMs).toBe(0.15)
    expect(latency.maxMs).toBe(1.999)
  })

  it('reports max as the top of its bucket, as p100 does: 123,456 µs reads 123.519 ms', () => {
    const histogram = histogramOf([1_000, 123_456])
    expect(summarizeLatency(histogram).maxMs).toBe(123.519)
    expect(summarizeLatency(histogram).maxMs).toBe(percentileMs(histogram, 100))
  })

  it('records a 10-minute stall beyond the initial 60 s range', () => {
    expect(summarizeLatency(histogramOf([5_000, 600_000_000])).maxMs).toBeCloseTo(600_000, -3)
  })

  it('gives zeros for an empty histogram', () => {
    expect(summarizeLatency(createLatencyHistogram())).toEqual({
      count: 0,
      minMs: 0,
      meanMs: 0,
      p50Ms: 0,
      p90Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      p999Ms: 0,
      maxMs: 0,
      stddevMs: 0,
    })
    expect(percentileMs(createLatencyHistogram(), 99)).toBe(0)
  })
})

describe('encodeHistogram and decodeHistogram', () => {
  const random = createRandom(99)
  const histogram = histogramOf([
    ...Array.from({ length: 1_000 }, () => 1 + Math.floor(random() ** 3 * 3_000_000)),
    90_000_000,
  ])

  it('round-trip 1,001 latencies up to 90 s with every figure unchanged', () => {
    const decoded = decodeHistogram(encodeHistogram(histogram))
    expect(decoded.totalCount).toBe(1_001)
    expect(summarizeLatency(decoded)).toEqual(summarizeLatency(histogram))
    for (let percentile = 0; percentile <= 100; percentile += 0.5)
      expect(percentileMs(decoded, percentile)).toBe(percentileMs(histogram, percentile))
  })

  it('re-encoding a decoded histogram gives the same text', () => {
    const encoded = encodeHistogram(histogram)
    expect(encodeHistogram(decodeHistogram(encoded))).toBe(encoded)
  })

  it('a decoded histogram still grows: adding a 2-minute stall after decoding works', () => {
    const decoded = decodeHistogram(encodeHistogram(histogramOf([1_000])))
    decoded.recordValue(120_000_000)
    expect(summarizeLatency(decoded).maxMs).toBeCloseTo(120_000, -3)
  })

  it('is the package\'s own format, read without its index: the same text as hdr.encodeIntoCompressedBase64, and either decodes the other', () => {
    const built = hdr.build({
      bitBucketSize: 32,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    })
    const mine = createLatencyHistogram()
    for (const value of [
      1,
      250,
      999,
      12_345,
      3_000_000,
      90_000_000,
    ]) {
      built.recordValue(value)
      mine.recordValue(value)
    }
    const encoded = encodeHistogram(mine)

    expect(encoded).toBe(hdr.encodeIntoCompressedBase64(built))
    expect(summarizeLatency(decodeHistogram(hdr.encodeIntoCompressedBase64(built)))).toEqual(summarizeLatency(built))
    expect(summarizeLatency(hdr.decodeFromCompressedBase64(encoded, 32, false))).toEqual(summarizeLatency(mine))
  })

  it('round-trips an empty histogram as count 0', () => {
    expect(decodeHistogram(encodeHistogram(createLatencyHistogram())).totalCount).toBe(0)
  })
})
