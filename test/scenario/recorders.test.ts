import { describe, expect, it } from 'vitest'
import { EndpointRecorders, MAX_ENDPOINT_NAMES } from '../../src/scenario/recorders.js'

describe('endpoint recorders of a scenario worker', () => {
  it('makes one recorder per name on first use, and snapshots only endpoints with something new', () => {
    const recorders = new EndpointRecorders()
    recorders.get('GET /a').recordResponse(200, true, 1000, 1000, 10, 20)
    recorders.get('GET /b').recordResponse(500, false, 2000, 2000, 10, 20)
    recorders.get('GET /a').recordResponse(200, true, 1000, 1000, 10, 20)

    const first = recorders.takeSnapshots()
    expect(first.map(snapshot => [snapshot.name, snapshot.counters.requests])).toEqual([
      ['GET /a', 2],
      ['GET /b', 1],
    ])

    recorders.get('GET /b').recordError('network', 'ECONNRESET', 10, 0)
    expect(recorders.takeSnapshots().map(snapshot => snapshot.name)).toEqual(['GET /b'])
    expect(recorders.takeSnapshots()).toEqual([])
  })

  it('records a timed call (ctx.measure) as a request with a latency, and no status or bytes', () => {
    const recorders = new EndpointRecorders()
    recorders.get('db: query').recordCall(2500)
    recorders.get('db: query').recordCall(0)

    const [snapshot] = recorders.takeSnapshots()
    expect(snapshot!.counters).toMatchObject({
      requests: 2,
      ok: 2,
      bytesSent: 0,
      bytesReceived: 0,
      statusCodes: {},
    })
  })

  it(`keeps ${MAX_ENDPOINT_NAMES} names apart and counts the rest under '(other)'`, () => {
    const recorders = new EndpointRecorders()
    for (let id = 0; id < 250; id++)
      recorders.get(`GET /items/${id}`).recordResponse(200, true, 1000, 1000, 10, 20)
    recorders.get('GET /items/0').recordResponse(200, true, 1000, 1000, 10, 20)

    const snapshots = recorders.takeSnapshots()
    expect(snapshots).toHaveLength(MAX_ENDPOINT_NAMES + 1)
    expect(snapshots.find(snapshot => snapshot.name === 'GET /items/0')!.counters.requests).toBe(2)
    expect(snapshots.at(-1)!.name).toBe('(other)')
    expect(snapshots.at(-1)!.counters.requests).toBe(50)
  })
})
