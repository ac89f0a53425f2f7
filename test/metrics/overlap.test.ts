import { describe, expect, it } from 'vitest'
import { OverlapTracker } from '../../src/metrics/overlap.js'

describe('overlapTracker', () => {
  it('names each of two runs in progress at once to the other, with the time they shared', () => {
    const tracker = new OverlapTracker()
    const a = tracker.start({ name: 'GET /a' }, 1000)
    const b = tracker.start({ name: 'GET /b' }, 1200)

    expect(tracker.end(a, 4000)).toEqual([
      { name: 'GET /b', ms: 2800 },
    ])
    expect(tracker.end(b, 5000)).toEqual([
      { name: 'GET /a', ms: 2800 },
    ])
  })

  it('names nothing for runs one after the other, even back to back', () => {
    const tracker = new OverlapTracker()
    const a = tracker.start({ name: 'GET /a' }, 1000)
    expect(tracker.end(a, 2000)).toEqual([])
    const b = tracker.start({ name: 'GET /b' }, 2000)
    expect(tracker.end(b, 3000)).toEqual([])
  })

  it('counts only the time both ran: a short run inside a long one', () => {
    const tracker = new OverlapTracker()
    const long = tracker.start({ name: 'long', file: 'a.test.ts' }, 0)
    const short = tracker.start({ name: 'short', file: 'b.test.ts' }, 3000)
    expect(tracker.end(short, 3500)).toEqual([
      { name: 'long', file: 'a.test.ts', ms: 500 },
    ])
    const later = tracker.start({ name: 'later' }, 8000)
    expect(tracker.end(long, 10_000)).toEqual([
      { name: 'later', ms: 2000 },
      { name: 'short', file: 'b.test.ts', ms: 500 },
    ])
    expect(tracker.end(later, 11_000)).toEqual([
      { name: 'long', file: 'a.test.ts', ms: 2000 },
    ])
  })

  it('does not name runs of the same group to each other', () => {
    const tracker = new OverlapTracker()
    const a = tracker.start({ name: 'GET /a', group: 'p1' }, 0)
    const a2 = tracker.start({ name: 'GET /a2', group: 'p1' }, 0)
    const b = tracker.start({ name: 'GET /b', group: 'p2' }, 0)
    expect(tracker.end(a, 1000)).toEqual([
      { name: 'GET /b', ms: 1000 },
    ])
    expect(tracker.end(a2, 1000)).toEqual([
      { name: 'GET /b', ms: 1000 },
    ])
    expect(tracker.end(b, 1000)).toEqual([
      { name: 'GET /a', ms: 1000 },
      { name: 'GET /a2', ms: 1000 },
    ])
  })

  it('answers an unknown or already ended run with nothing', () => {
    const tracker = new OverlapTracker()
    const a = tracker.start({ name: 'GET /a' }, 0)
    tracker.start({ name: 'GET /b' }, 0)
    expect(tracker.end(a, 100)).toHaveLength(1)
    expect(tracker.end(a, 200)).toEqual([])
    expect(tracker.end(99, 200)).toEqual([])
  })

  it('forgets ended runs once no run in progress can have overlapped them', () => {
    const tracker = new OverlapTracker()
    for (let index = 0; index < 1000; index++) {
      const id = tracker.start({ name: `run ${index}` }, index * 10)
      tracker.end(id, index * 10 + 5)
    }
    expect(tracker.size).toBe(0)

    const long = tracker.start({ name: 'long' }, 100_000)
    const short = tracker.start({ name: 'short' }, 100_100)
    tracker.end(short, 100_200)
    // kept: 'long' started before it ended and still asks
    expect(tracker.size).toBe(2)
    expect(tracker.end(long, 101_000)).toEqual([
      { name: 'short', ms: 100 },
    ])
    expect(tracker.size).toBe(0)
  })
})
