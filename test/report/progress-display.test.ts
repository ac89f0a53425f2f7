import type { ClosedInterval } from '../../src/metrics/merge.js'
import type { VitestWindowRenderer } from '../../src/progress/display.js'
import type { ProgressFigures, ProgressStart } from '../../src/progress/messages.js'
import { describe, expect, it } from 'vitest'
import { createCounters } from '../../src/metrics/counters.js'
import { createLatencyHistogram } from '../../src/metrics/histogram.js'
import { PROGRESS_SOCKET_ENV } from '../../src/progress/channel.js'
import { findWindowRenderer, ProgressDisplay, REDRAW_INTERVAL_MS, withProgressLines } from '../../src/progress/display.js'
import { observeProgress } from '../../src/progress/observer.js'
import { REPORTER_ENV } from '../../src/report/vitest-reporter.js'
import { validateOptions } from '../../src/spec/validate.js'

const START = 1_700_000_000_000
const VITEST_WINDOW = [
  '',
  ' ❯ users.load.test.ts 0/1',
  '',
  ' Test Files  0 passed (1)',
  '      Tests  0 passed (1)',
  '',
]

const start: ProgressStart = {
  name: 'GET /users',
  plannedMs: 30_000,
  plannedIsLimit: false,
  startAtEpochMs: START,
}
const figures: ProgressFigures = {
  second: 0,
  activeUsers: 2,
  requestsPerSec: 40,
  requests: 40,
  errors: 0,
  p95Ms: 5,
}

/** Vitest's WindowRenderer as far as the display uses it: it redraws `getWindow()` on `schedule()`. */
function fakeWindow(): VitestWindowRenderer & { frames: string[][] } {
  const frames: string[][] = []
  const renderer = {
    frames,
    options: {
      getWindow: () => [...VITEST_WINDOW],
    },
    schedule: () => frames.push(renderer.options.getWindow()),
  }
  return renderer
}

/** A clock and an interval timer that move only when the test says so. */
function fakeTime() {
  const time = {
    now: START,
    timers: new Set<{ callback: () => void, ms: number }>(),
  }
  return {
    now: () => time.now,
    timers: {
      setInterval: (callback: () => void, ms: number) => {
        const timer = {
          callback,
          ms,
          unref: () => timer,
        }
        time.timers.add(timer)
        return timer
      },
      clearInterval: (timer: { callback: () => void, ms: number }) => time.timers.delete(timer),
    },
    active: () => time.timers.size,
    /** Moves the clock by `ms`, firing each interval timer as it falls due. */
    advance(ms: number) {
      for (let step = 0; step < ms; step += 50) {
        time.now += 50
        for (const timer of time.timers) {
          if ((time.now - START) % timer.ms === 0)
            timer.callback()
        }
      }
    },
  }
}

describe('the display in Vitest\'s window (a terminal)', () => {
  it('adds one line per run under the running files, redrawn 4 times a second, and removes it at the end', () => {
    const window = fakeWindow()
    const time = fakeTime()
    const display = new ProgressDisplay({
      log: () => expect.unreachable('no plain line in a terminal'),
      colors: false,
      ...time,
    })
    display.useWindow(window)

    const run = display.start(start)
    expect(window.frames.at(-1)).toEqual([
      '',
      ' ❯ users.load.test.ts 0/1',
      '   vitest-load  GET /users  0.0 s / 30 s  starting',
      '',
      ' Test Files  0 passed (1)',
      '      Tests  0 passed (1)',
      '',
    ])
    window.frames.length = 0
    time.advance(1000)
    run.update(figures)
    time.advance(1000)
    expect(REDRAW_INTERVAL_MS).toBeLessThanOrEqual(500)
    expect(window.frames.map(frame => frame[2])).toEqual([
      '   vitest-load  GET /users  0.2 s / 30 s  starting',
      '   vitest-load  GET /users  0.5 s / 30 s  starting',
      '   vitest-load  GET /users  0.7 s / 30 s  starting',
      '   vitest-load  GET /users  1.0 s / 30 s  starting',
      '   vitest-load  GET /users  1.2 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
      '   vitest-load  GET /users  1.5 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
      '   vitest-load  GET /users  1.7 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
      '   vitest-load  GET /users  2.0 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
    ])

    run.end()
    // redrawn at once without the line; Vitest's getWindow is back and no timer is left
    expect(window.frames.at(-1)).toEqual(VITEST_WINDOW)
    expect(window.options.getWindow()).toEqual(VITEST_WINDOW)
    expect(time.active()).toBe(0)
    run.update(figures)
    run.end()
    expect(window.frames.at(-1)).toEqual(VITEST_WINDOW)
  })

  it('shows runs side by side, and clear() at the end of the test run leaves Vitest\'s window as it was', () => {
    const window = fakeWindow()
    const time = fakeTime()
    const display = new ProgressDisplay({
      log: () => {},
      colors: false,
      ...time,
    })
    display.useWindow(window)
    display.start(start)
    display.start({ ...start, name: 'GET /orders' })
    expect(display.lines()).toHaveLength(2)
    expect(window.options.getWindow().slice(2, 4).map(line => line.trim().split('  ')[1])).toEqual(['GET /users', 'GET /orders'])

    display.clear()
    expect(window.options.getWindow()).toEqual(VITEST_WINDOW)
    expect(time.active()).toBe(0)
  })
})

describe('the display without a window (CI, or no terminal)', () => {
  it('logs a plain line per run at most every 10 s, from the second data after 10 s', () => {
    const time = fakeTime()
    const lines: string[] = []
    const display = new ProgressDisplay({
      log: line => lines.push(line),
      colors: true,
      ...time,
    })
    display.useWindow(undefined)
    const run = display.start(start)
    for (let second = 0; second < 25; second++) {
      time.advance(1000)
      run.update({ ...figures, second })
    }
    run.end()
    expect(lines).toEqual([
      'vitest-load  GET /users  10 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
      'vitest-load  GET /users  20 s / 30 s  2 users  40 req/s  p95 5 ms  errors 0 (0 %)',
    ])
    // no timer in plain mode: lines come as seconds close
    expect(time.active()).toBe(0)
  })
})

describe('withProgressLines and findWindowRenderer', () => {
  it('puts the lines before the blank line that opens Vitest\'s totals, or at the end', () => {
    expect(withProgressLines(['', 'a', '', 'Tests'], ['p'])).toEqual(['', 'a', 'p', '', 'Tests'])
    expect(withProgressLines(['x'], ['p'])).toEqual(['x', 'p'])
    expect(withProgressLines(VITEST_WINDOW, [])).toEqual(VITEST_WINDOW)
  })

  it('finds the window of the default reporter\'s summary or of the dot reporter, by shape', () => {
    const renderer = fakeWindow()
    expect(findWindowRenderer([
      {},
      {
        summary: { renderer },
      },
    ])).toBe(renderer)
    expect(findWindowRenderer([
      { renderer },
    ])).toBe(renderer)
    expect(findWindowRenderer([
      null,
      { summary: undefined },
      {
        renderer: { options: {} },
      },
    ])).toBeUndefined()
  })
})

describe('observeProgress in the test process', () => {
  const spec = validateOptions('GET /slow', {
    target: 'http://127.0.0.1:9',
    load: { users: 2, duration: '25s' },
  }, 4)

  function closedSecond(second: number): ClosedInterval {
    const histogram = createLatencyHistogram()
    histogram.recordValue(20_000)
    const counters = createCounters()
    counters.requests = 10
    counters.ok = 9
    counters.httpErrors = 1
    return {
      second,
      activeUsers: 2,
      counters,
      histogram,
    }
  }

  it('without the plugin, prints a plain line from the test at most every 10 s', async () => {
    let now = START
    const lines: string[] = []
    const progress = observeProgress(spec, {
      env: {},
      now: () => now,
      log: line => lines.push(line),
    })
    progress.started(START)
    for (let second = 0; second < 25; second++) {
      now = START + (second + 1) * 1000 + 5
      progress.interval(closedSecond(second))
    }
    await progress.close()
    expect(lines).toEqual([
      'vitest-load  GET /slow  10 s / 25 s  2 users  9 req/s  p95 20 ms  errors 10 (10 %)',
      'vitest-load  GET /slow  20 s / 25 s  2 users  9 req/s  p95 20 ms  errors 20 (10 %)',
    ])
  })

  it('with the plugin and progress: false, prints nothing (the reporter prints the summary)', async () => {
    const progress = observeProgress(spec, {
      env: { [REPORTER_ENV]: '1' },
      log: () => expect.unreachable(),
    })
    progress.started(START)
    progress.interval(closedSecond(0))
    await progress.close()
  })

  it('with the plugin\'s socket and nothing listening there, loses the display and nothing else', async () => {
    const progress = observeProgress(spec, {
      env: { [PROGRESS_SOCKET_ENV]: '/nonexistent/vitest-load.sock' },
      log: () => expect.unreachable(),
    })
    progress.started(START)
    progress.interval(closedSecond(0))
    await progress.close()
  })
})
