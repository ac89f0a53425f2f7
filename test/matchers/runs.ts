// Runs with known latencies for the matcher tests, recorded and merged by the real metrics code.
import type { LoadRun } from '../../src/metrics/summary.js'
import { recordRun, responses } from '../metrics/record-run.js'

/** 100 responses of 1, 2, … 100 ms in 1 s: p50 50 ms, p95 95 ms, p99 99 ms, max 100 ms, 100 req/s. */
export function fastRun(): LoadRun {
  return recordRun(responses(100))
}

/** 100 responses of 20, 40, … 2000 ms in 1 s: p50 1 s, p95 1.9 s. */
export function slowRun(): LoadRun {
  return recordRun(responses(100, 20))
}

/** 100 requests in 2 s: 95 responses of 200, 3 of 500, 1 network error and 1 timeout (5 % errors). */
export function failingRun(): LoadRun {
  return recordRun([
    ...responses(95),
    ...responses(3, 1, { status: 500, second: 1 }),
    {
      second: 1,
      error: { kind: 'network', message: 'ECONNRESET: other side closed' },
    },
    {
      second: 1,
      error: { kind: 'timeout', message: 'VL_REQUEST_TIMEOUT: no complete response within 100 ms' },
    },
  ])
}

/** 10 requests, every one refused: no latency was measured. */
export function refusedRun(): LoadRun {
  return recordRun(Array.from({ length: 10 }, () => ({
    error: { kind: 'network' as const, message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>' },
  })))
}

/** Two endpoints in one run: 'GET /fast' takes 1–100 ms, 'GET /slow' 20–2000 ms. */
export function twoEndpointRun(): LoadRun {
  return recordRun([
    ...responses(100, 1, { endpoint: 'GET /fast' }),
    ...responses(100, 20, { endpoint: 'GET /slow' }),
  ], { name: 'users API' })
}

/** The error `fn` throws, for checking its class, code and message together. */
export function thrown(fn: () => unknown): Error & { code?: string, actual?: unknown, expected?: unknown } {
  try {
    fn()
  }
  catch (error) {
    return error as Error
  }
  throw new Error('expected the call to throw, but it returned')
}
