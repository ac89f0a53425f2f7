import type { LoopHealth } from '../../src/metrics/snapshot.js'
import { describe, expect, it } from 'vitest'
import { RunAggregator } from '../../src/metrics/merge.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'

/** A run of 2 workers over 3 seconds, with each worker's loop figures per second as given. */
function runWith(loops: LoopHealth[][]) {
  const aggregator = new RunAggregator(loops.length)
  loops.forEach((seconds, workerIndex) => {
    seconds.forEach((loop, interval) => {
      const recorder = new EndpointRecorder('GET /x')
      recorder.recordResponse(200, true, 1000, 1000, 0, 0)
      aggregator.add({
        workerIndex,
        interval,
        activeUsers: 1,
        droppedArrivals: 0,
        loop,
        endpoints: [
          recorder.takeSnapshot(),
        ],
      })
    })
    aggregator.finishWorker(workerIndex)
  })
  return aggregator.finish({
    name: 'GET /x',
    target: 't',
    model: 'm',
    modelKind: 'closed',
    users: 2,
    workers: loops.length,
    startedAt: '',
    durationMs: 3000,
  })
}

const calm = (utilization: number, delayP99Ms = 1): LoopHealth => ({ utilization, delayP99Ms, delayMaxMs: delayP99Ms * 2 })

describe('the generator watching itself', () => {
  it('averages each worker\'s utilization over its seconds and keeps the worst delay', () => {
    const run = runWith([
      [
        calm(0.2),
        calm(0.4),
        calm(0.6, 3),
      ],
      [
        calm(0.1),
        calm(0.1),
        calm(0.1),
      ],
    ])

    expect(run.generatorHealth.workers).toEqual([
      {
        workerIndex: 0,
        meanUtilization: expect.closeTo(0.4, 10),
        peakUtilization: 0.6,
        delayP99Ms: 3,
        delayMaxMs: 6,
      },
      {
        workerIndex: 1,
        meanUtilization: expect.closeTo(0.1, 10),
        peakUtilization: 0.1,
        delayP99Ms: 1,
        delayMaxMs: 2,
      },
    ])
    expect(run.generatorHealth.saturated).toBe(false)
  })

  it('calls a worker busy 92 % on average saturated', () => {
    expect(runWith([
      [
        calm(0.9),
        calm(0.95),
        calm(0.91),
      ],
      [
        calm(0.1),
        calm(0.1),
        calm(0.1),
      ],
    ]).generatorHealth.saturated).toBe(true)
  })

  it('calls timers 60 ms late at p99 saturated, however idle the loop', () => {
    expect(runWith([
      [
        calm(0.1),
        calm(0.1, 60),
        calm(0.1),
      ],
    ]).generatorHealth.saturated).toBe(true)
  })

  it('does not call 89 % busy and 49 ms late saturated', () => {
    expect(runWith([
      [
        calm(0.89, 49),
        calm(0.89, 49),
      ],
    ]).generatorHealth.saturated).toBe(false)
  })
})
