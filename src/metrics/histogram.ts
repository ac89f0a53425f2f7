import type { Histogram } from 'hdr-histogram-js'
import type { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram.js'
import { Buffer } from 'node:buffer'
import { createRequire } from 'node:module'

// Only the parts used: the 32-bit histogram and its compressed encoding. The package's index also
// loads its WebAssembly build and every other kind of histogram, 40 ms more of every worker's
// start-up (and of the test thread's). These are CommonJS modules of the package's own build.
const require = createRequire(import.meta.url)
const { default: Int32Histogram } = require('hdr-histogram-js/dist/Int32Histogram.js') as typeof import('hdr-histogram-js/dist/Int32Histogram.js')
// also gives every JS histogram its `encodeIntoCompressedBase64`
const { decompress, doDecode } = require('hdr-histogram-js/dist/JsHistogram.encoding.js') as typeof import('hdr-histogram-js/dist/JsHistogram.encoding.js')

/** A latency histogram compressed to base64: small enough to cross threads, processes or machines every second. */
export type EncodedHistogram = string

/** Latency of a set of requests, in milliseconds, read from an HDR histogram recorded in microseconds. */
export interface LatencySummary {
  /** Requests that received a response and so have a latency. */
  count: number
  minMs: number
  meanMs: number
  p50Ms: number
  p90Ms: number
  p95Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
  stddevMs: number
}

/**
 * A histogram of latencies in microseconds, 3 significant digits (0.1 % resolution), from 1 µs,
 * growing as needed: a 10-minute stall still records exactly.
 */
export function createLatencyHistogram(): Histogram {
  return createHistogram(60_000_000, 3)
}

/**
 * A histogram of 32-bit counts from 1 up to `highest` with `digits` significant digits (as
 * `hdr.build` makes it), growing past `highest` as needed.
 */
export function createHistogram(highest: number, digits: number): Histogram {
  const histogram = new Int32Histogram(1, highest, digits)
  histogram.autoResize = true
  return histogram
}

/** Every histogram here is a JS one (none is built on WebAssembly), which the encoding module gave this method. */
export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return (histogram as JsHistogram).encodeIntoCompressedBase64()
}

/** As `hdr.decodeFromCompressedBase64(encoded, 32)`: the same format, read without the package's index. */
export function decodeHistogram(encoded: EncodedHistogram): Histogram {
  const histogram = doDecode(decompress(Buffer.from(encoded.trim(), 'base64')), 32)
  histogram.autoResize = true
  return histogram
}

const US_PER_MS = 1000

/** The percentile (0–100) of a histogram recorded in microseconds, in milliseconds. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0
    ? 0
    : histogram.getValueAtPercentile(percentile) / US_PER_MS
}

/** Reads every latency figure once from a merged histogram; percentiles are never averaged. */
export function summarizeLatency(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) {
    return {
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
    }
  }
  // min and max as HDR defines them (bucket bounds), like every percentile: the raw extremes
  // would differ between a histogram fed every sample and the same samples merged from snapshots
  return {
    count: histogram.totalCount,
    minMs: histogram.getValueAtPercentile(0) / US_PER_MS,
    meanMs: histogram.mean / US_PER_MS,
    p50Ms: percentileMs(histogram, 50),
    p90Ms: percentileMs(histogram, 90),
    p95Ms: percentileMs(histogram, 95),
    p99Ms: percentileMs(histogram, 99),
    p999Ms: percentileMs(histogram, 99.9),
    maxMs: histogram.getValueAtPercentile(100) / US_PER_MS,
    stddevMs: histogram.stdDeviation / US_PER_MS,
  }
}

export type { Histogram }
