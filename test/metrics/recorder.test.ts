import { describe, expect, it } from 'vitest'
import { decodeHistogram, summarizeLatency } from '../../src/metrics/histogram.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'

describe('endpointRecorder', () => {
  it('counts 3 responses and 2 errors of one interval by kind, status and bytes', () => {
    const recorder = new EndpointRecorder('GET /x')
    recorder.recordResponse(200, true, 12_000, 12_000, 100, 500)
    recorder.recordResponse(200, true, 14_000, 14_000, 100, 500)
    recorder.recordResponse(503, false, 2_000, 2_000, 100, 20)
    recorder.recordError('timeout', 'VL_REQUEST_TIMEOUT: no complete response within 10000 ms', 100, 0)
    recorder.recordError('network', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>', 0, 0)
    const snapshot = recorder.takeSnapshot()
    expect(snapshot.name).toBe('GET /x')
    expect(snapshot.counters).toEqual({
      requests: 5,
      ok: 2,
      httpErrors: 1,
      networkErrors: 1,
      timeouts: 1,
      statusCodes: { 200: 2, 503: 1 },
      bytesSent: 400,
      bytesReceived: 1_020,
      errorMessages: {
        'VL_REQUEST_TIMEOUT: no complete response within 10000 ms': 1,
        'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>': 1,
      },
    })
    expect(summarizeLatency(decodeHistogram(snapshot.histogram))).toMatchObject({ count: 3, minMs: 2, maxMs: 14.007 })
  })

  it('starts the next interval empty after a snapshot', () => {
    const recorder = new EndpointRecorder('GET /x')
    recorder.recordResponse(200, true, 12_000, 12_000, 100, 500)
    recorder.recordError('network', 'ECONNRESET', 0, 0)
    recorder.takeSnapshot()
    const next = recorder.takeSnapshot()
    expect(next.counters).toEqual({
      requests: 0,
      ok: 0,
      httpErrors: 0,
      networkErrors: 0,
      timeouts: 0,
      statusCodes: {},
      bytesSent: 0,
      bytesReceived: 0,
      errorMessages: {},
    })
    expect(decodeHistogram(next.histogram).totalCount).toBe(0)
  })

  it('records a latency below 1 µs as 1 µs', () => {
    const recorder = new EndpointRecorder('GET /x')
    recorder.recordResponse(204, true, 0, 0, 0, 0)
    expect(summarizeLatency(decodeHistogram(recorder.takeSnapshot().histogram))).toMatchObject({ count: 1, minMs: 0.001, maxMs: 0.001 })
  })

  it('snapshots are plain data that structured clone copies whole', () => {
    const recorder = new EndpointRecorder('GET /x')
    recorder.recordResponse(200, true, 1_500, 1_500, 10, 10)
    recorder.recordError('network', 'constructor', 0, 0)
    const snapshot = recorder.takeSnapshot()
    expect(structuredClone(snapshot)).toEqual(snapshot)
  })
})
