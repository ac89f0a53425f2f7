import type { ClosedInterval } from '../../src/metrics/merge.js'
import type { ProgressState } from '../../src/progress/format.js'
import { describe, expect, it } from 'vitest'
import { createCounters } from '../../src/metrics/counters.js'
import { createLatencyHistogram, percentileMs } from '../../src/metrics/histogram.js'
import { formatClock, formatProgressLine } from '../../src/progress/format.js'
import { parseOverlapsAnswer, parseProgressMessage } from '../../src/progress/messages.js'
import { LineThrottle } from '../../src/progress/throttle.js'
import { RunProgress } from '../../src/progress/tracker.js'

const START = 1_700_000_000_000

function state(figures?: Partial<NonNullable<ProgressState['figures']>>, start: Partial<ProgressState['start']> = {}): ProgressState {
  return {
    start: {
      name: 'POST /users',
      plannedMs: 30_000,
      plannedIsLimit: false,
      startAtEpochMs: START,
      ...start,
    },
    figures: figures && {
      second: 11,
      activeUsers: 20,
      requestsPerSec: 1962,
      requests: 20_000,
      errors: 6,
      p95Ms: 31.2,
      ...figures,
    },
  }
}

describe('the progress line', () => {
  it('shows elapsed and planned time, users, req/s of the last second, p95 and errors so far', () => {
    expect(formatProgressLine(state({}), START + 12_345)).toBe('vitest-load  POST /users  12 s / 30 s  20 users  1,962 req/s  p95 31.2 ms  errors 6 (0.03 %)')
  })

  it('shows tenths of a second when precise, for a display redrawn 4 times a second', () => {
    expect(formatProgressLine(state({}), START + 12_345, { precise: true })).toMatch(/^vitest-load {2}POST \/users {2}12\.3 s \/ 30 s {2}/)
  })

  it('says "starting" before the first second closes, and never a negative time', () => {
    expect(formatProgressLine(state(), START - 15)).toBe('vitest-load  POST /users  0 s / 30 s  starting')
  })

  it('writes 1 user, 0 errors (0 %) and 0 % before any request finished', () => {
    expect(formatProgressLine(state({
      activeUsers: 1,
      requests: 0,
      errors: 0,
      requestsPerSec: 0,
      p95Ms: 0,
    }), START + 1000))
      .toBe('vitest-load  POST /users  1 s / 30 s  1 user  0 req/s  p95 0 µs  errors 0 (0 %)')
  })

  it('marks the planned time of { users, iterations } as a limit: max 5 m', () => {
    expect(formatProgressLine(state(undefined, { plannedMs: 300_000, plannedIsLimit: true }), START + 65_000)).toBe('vitest-load  POST /users  1 m 5 s / max 5 m  starting')
  })

  it('colours the label dim and errors red when asked, and nothing otherwise', () => {
    expect(formatProgressLine(state({}), START)).not.toContain('\u001B[')
    const coloured = formatProgressLine(state({}), START, { colors: true })
    expect(coloured).toContain('\u001B[2mvitest-load\u001B[22m')
    expect(coloured).toContain('\u001B[31merrors 6 (0.03 %)\u001B[39m')
  })
})

describe('formatClock', () => {
  it.each([
    [0, false, true, '0 s'],
    [999, false, true, '0 s'],
    [59_999, true, true, '59.9 s'],
    [60_000, true, true, '1 m 0.0 s'],
    [3_725_400, false, true, '1 h 2 m 5 s'],
    [3_600_000, false, true, '1 h 0 m 0 s'],
    [30_000, false, false, '30 s'],
    [90_000, false, false, '1 m 30 s'],
    [120_000, false, false, '2 m'],
    [7_200_000, false, false, '2 h'],
    [1_500, true, false, '1.5 s'],
  ])('%d ms (tenths %s, keepSeconds %s) reads %s', (ms, tenths, keepSeconds, text) => {
    expect(formatClock(ms, { tenths, keepSeconds })).toBe(text)
  })
})

describe('lineThrottle (plain lines without a terminal)', () => {
  it('allows the first line 10 s after the start, then one every 10 s at most', () => {
    const throttle = new LineThrottle(START)
    // asked as each second of a 35 s run closes, a little late as seconds close
    const printedAt = Array.from({ length: 35 }, (_, second) => START + (second + 1) * 1000 + 30).filter(now => throttle.due(now))
    expect(printedAt.map(now => now - START)).toEqual([10_030, 20_030, 30_030])
  })

  it('prints nothing for a run shorter than 10 s', () => {
    const throttle = new LineThrottle(START)
    expect(Array.from({ length: 9 }, (_, second) => throttle.due(START + (second + 1) * 1000 + 900)).some(Boolean)).toBe(false)
  })

  it('never prints twice within 10 s, however often it is asked', () => {
    const throttle = new LineThrottle(START, 10_000)
    const printedAt: number[] = []
    for (let now = START; now <= START + 60_000; now += 7)
      throttle.due(now) && printedAt.push(now)
    expect(printedAt.slice(1).every((now, index) => now - printedAt[index]! >= 10_000)).toBe(true)
    // in steps of 7 ms, each line comes a few ms past the 10 s: 5 lines in 60 s
    expect(printedAt).toHaveLength(5)
  })
})

describe('runProgress: the figures so far from closed seconds', () => {
  function second(index: number, latenciesUs: number[], failures = 0): ClosedInterval {
    const histogram = createLatencyHistogram()
    latenciesUs.forEach(value => histogram.recordValue(value))
    const counters = createCounters()
    counters.requests = latenciesUs.length + failures
    counters.ok = latenciesUs.length
    counters.networkErrors = failures
    return {
      second: index,
      activeUsers: 10 + index,
      counters,
      histogram,
    }
  }

  it('reads the p95 so far from one merged histogram, equal to one fed every latency', () => {
    const progress = new RunProgress()
    const fast = Array.from({ length: 900 }, (_, i) => 1000 + i)
    const slow = Array.from({ length: 100 }, (_, i) => 50_000 + i * 10)
    progress.add(second(0, fast, 2))
    const figures = progress.add(second(1, slow, 3))

    const all = createLatencyHistogram()
    ;[
      ...fast,
      ...slow,
    ].forEach(value => all.recordValue(value))
    expect(figures).toEqual({
      second: 1,
      activeUsers: 11,
      // successes: the 3 errors of that second are attempts, not throughput
      requestsPerSec: 100,
      requests: 1005,
      errors: 5,
      p95Ms: percentileMs(all, 95),
    })
    // not the mean of the two seconds' p95s
    expect(figures.p95Ms).toBeGreaterThan(50)
  })
})

describe('the channel\'s messages', () => {
  it('reads a start, an update and an end, and nothing else', () => {
    expect(parseProgressMessage('{"type":"start","name":"GET /","plannedMs":3000,"plannedIsLimit":false,"startAtEpochMs":5}'))
      .toEqual({
        type: 'start',
        name: 'GET /',
        plannedMs: 3000,
        plannedIsLimit: false,
        startAtEpochMs: 5,
      })
    expect(parseProgressMessage('{"type":"update","second":0,"activeUsers":2,"requestsPerSec":9,"requests":9,"errors":0,"p95Ms":1.5,"extra":1}'))
      .toEqual({
        type: 'update',
        second: 0,
        activeUsers: 2,
        requestsPerSec: 9,
        requests: 9,
        errors: 0,
        p95Ms: 1.5,
      })
    for (const line of [
      '',
      'GET / HTTP/1.1',
      'null',
      '{"type":"start","name":1}',
      '{"type":"update","second":"1"}',
      '{"type":"stop"}',
    ])
      expect(parseProgressMessage(line)).toBeUndefined()
    expect(parseProgressMessage('{"type":"end"}')).toEqual({ type: 'end' })
  })

  it('reads the group and the file of a start, when sent', () => {
    expect(parseProgressMessage('{"type":"start","name":"GET /","plannedMs":3000,"plannedIsLimit":false,"startAtEpochMs":5,"group":"g1","file":"/p/a.load.test.ts"}'))
      .toMatchObject({ group: 'g1', file: '/p/a.load.test.ts' })
    expect(parseProgressMessage('{"type":"start","name":"GET /","plannedMs":3000,"plannedIsLimit":false,"startAtEpochMs":5,"group":1,"file":null}'))
      .not
      .toHaveProperty('group')
  })

  it('reads the reporter\'s answer naming the overlapping runs, and nothing else', () => {
    expect(parseOverlapsAnswer('{"type":"overlaps","overlaps":[{"name":"GET /b","file":"b.load.test.ts","ms":2500,"extra":1},{"name":"GET /c","ms":10}]}'))
      .toEqual({
        type: 'overlaps',
        overlaps: [
          { name: 'GET /b', file: 'b.load.test.ts', ms: 2500 },
          { name: 'GET /c', ms: 10 },
        ],
      })
    for (const line of [
      '',
      '{"type":"overlaps"}',
      '{"type":"overlaps","overlaps":[{"name":"GET /b"}]}',
      '{"type":"overlaps","overlaps":[{"name":"GET /b","ms":1,"file":2}]}',
      '{"type":"end"}',
    ])
      expect(parseOverlapsAnswer(line)).toBeUndefined()
  })
})
