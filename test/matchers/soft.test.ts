import { describe, expect, it } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { fastRun } from './runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

describe('expect.soft', () => {
  const run = fastRun()

  it.fails('expect.soft(run).toHaveP95Below(\'90ms\') fails the test', () => {
    expect.soft(run).toHaveP95Below('90ms')
  })

  it.fails('expect.soft(run).not.toHaveP95Below(\'100ms\') fails the test', () => {
    expect.soft(run).not.toHaveP95Below('100ms')
  })

  it('records 2 failed matchers, runs on past them, and passes a third', ({ task }) => {
    expect.soft(run).toHaveP95Below('90ms')
    expect.soft(run).toHaveErrorRateBelow(0)
    expect.soft(run).toHaveThroughputAbove(50)
    const reachedEnd = true
    const messages = (task.result?.errors ?? []).map(error => error.message.split('\n')[0])
    // the 2 failures above are what this test expects: take them back so the checks below decide it
    task.result!.errors = []
    task.result!.state = 'run'

    expect(reachedEnd).toBe(true)
    expect(messages).toEqual([
      'expected p95 latency of "GET /x" to be below 90 ms, but it was 95 ms',
      'expected error rate of "GET /x" to be below 0 %, but it was 0 % (0 of 100: 0 http, 0 network, 0 timeout)',
    ])
  })
})
