import type { LoopHealth } from '../../src/metrics/snapshot.js'
import type { MachineCpu, WorkerHealth } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { assessGeneratorHealth } from '../../src/metrics/generator-health.js'
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
        scheduleSlipP99Ms: null,
        scheduleSlipMaxMs: null,
        arrivals: 0,
        dropped: 0,
        droppedLate: 0,
      },
      {
        workerIndex: 1,
        meanUtilization: expect.closeTo(0.1, 10),
        peakUtilization: 0.1,
        delayP99Ms: 1,
        delayMaxMs: 2,
        scheduleSlipP99Ms: null,
        scheduleSlipMaxMs: null,
        arrivals: 0,
        dropped: 0,
        droppedLate: 0,
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

  it('sums the open model\'s schedule over the seconds: arrivals and drops added, the worst slip kept', () => {
    const open = (slipP99Ms: number, dropped: number, droppedLate: number): LoopHealth => ({
      ...calm(0.3, 5),
      schedule: {
        arrivals: 1000,
        slipP99Ms,
        slipMaxMs: slipP99Ms * 2,
        dropped,
        droppedLate,
      },
    })
    const [worker] = runWith([
      [
        open(1, 0, 0),
        open(4, 30, 25),
        open(2, 10, 0),
      ],
    ]).generatorHealth.workers

    expect(worker).toMatchObject({
      scheduleSlipP99Ms: 4,
      scheduleSlipMaxMs: 8,
      arrivals: 3000,
      dropped: 40,
      droppedLate: 25,
    })
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

/** One worker's figures over a run. */
function worker(meanUtilization: number, delayP99Ms: number): WorkerHealth {
  return {
    workerIndex: 0,
    meanUtilization,
    peakUtilization: meanUtilization,
    delayP99Ms,
    delayMaxMs: delayP99Ms,
    scheduleSlipP99Ms: null,
    scheduleSlipMaxMs: null,
    arrivals: 0,
    dropped: 0,
    droppedLate: 0,
  }
}

/** One open-model worker, 40 % busy with timers 12 ms late (the 20,000/s run), and its drops. */
function openWorker(arrivals: number, dropped: number, droppedLate: number): WorkerHealth {
  return {
    ...worker(0.4, 12),
    scheduleSlipP99Ms: 12,
    scheduleSlipMaxMs: 15,
    arrivals,
    dropped,
    droppedLate,
  }
}

/** The machine's CPU over a run of 2 cores: all of it busy `busy`, this process `processBusy`. */
function machine(busy: number, processBusy: number): MachineCpu {
  return {
    cores: 2,
    busy,
    peakBusy: busy,
    processBusy,
    othersBusy: Math.max(0, busy - processBusy),
  }
}

describe('arrivals the generator dropped while running behind', () => {
  it('calls 3.4 % of arrivals dropped late saturated, by the generator, though no worker was busy or 50 ms late', () => {
    expect(assessGeneratorHealth([
      openWorker(200_000, 6900, 6800),
    ], machine(0.6, 0.5))).toMatchObject({ saturated: true, cause: 'generator', cpuContention: false })
  })

  it('does not for 0.05 % dropped late', () => {
    expect(assessGeneratorHealth([
      openWorker(200_000, 100, 100),
    ], machine(0.6, 0.5))).toMatchObject({ saturated: false, cause: null })
  })

  it('does not blame the generator for a slow target\'s drops, a few of them late', () => {
    // 2 users against a slow target: most arrivals dropped on time; a hiccup made 20 of them late
    expect(assessGeneratorHealth([
      openWorker(1000, 600, 20),
    ], machine(0.3, 0.2)).saturated).toBe(false)
  })

  it('does not for 9 late drops of 1,000 arrivals: a short run\'s first arrivals waiting for their connections', () => {
    expect(assessGeneratorHealth([
      openWorker(1000, 12, 9),
    ], machine(0.3, 0.2)).saturated).toBe(false)
  })

  it('adds up the workers: late drops spread over two workers count together', () => {
    expect(assessGeneratorHealth([
      openWorker(100_000, 60, 60),
      {
        ...openWorker(100_000, 200, 190),
        workerIndex: 1,
      },
    ], machine(0.6, 0.5)).saturated).toBe(true)
  })
})

describe('the generator\'s own saturation told from CPU contention', () => {
  it('blames the generator when a worker is 95 % busy and the machine has cores to spare', () => {
    expect(assessGeneratorHealth([
      worker(0.95, 5),
    ], machine(0.55, 0.5))).toMatchObject({
      saturated: true,
      cause: 'generator',
      cpuContention: false,
    })
  })

  it('blames the generator, not contention, when its own busy workers fill every core (the target elsewhere)', () => {
    expect(assessGeneratorHealth([
      worker(0.96, 70),
      {
        ...worker(0.94, 65),
        workerIndex: 1,
      },
    ], machine(0.98, 0.95))).toMatchObject({ saturated: true, cause: 'generator', cpuContention: false })
  })

  it('blames contention when other processes take a quarter of the cores, even with a busy worker', () => {
    expect(assessGeneratorHealth([
      worker(0.95, 70),
    ], machine(0.99, 0.6))).toMatchObject({ saturated: true, cause: 'cpu-contention', cpuContention: true })
  })

  it('blames the generator when its timers are 80 ms late with the machine half idle', () => {
    expect(assessGeneratorHealth([
      worker(0.3, 80),
    ], machine(0.5, 0.45))).toMatchObject({ saturated: true, cause: 'generator', cpuContention: false })
  })

  it('blames CPU contention when workers 14–21 % busy are 80 ms late while every core is busy (a target on the same cores)', () => {
    const health = assessGeneratorHealth([
      worker(0.14, 80),
      {
        ...worker(0.21, 60),
        workerIndex: 1,
      },
    ], machine(0.97, 0.3))

    expect(health).toMatchObject({ saturated: true, cause: 'cpu-contention', cpuContention: true })
  })

  it('blames CPU contention when the cores are busy with this process itself (a target started in the test process)', () => {
    expect(assessGeneratorHealth([
      worker(0.2, 70),
    ], machine(0.95, 0.9))).toMatchObject({ cause: 'cpu-contention', cpuContention: true })
  })

  it('reports contention from other processes even when the generator kept time', () => {
    expect(assessGeneratorHealth([
      worker(0.1, 2),
    ], machine(0.99, 0.1))).toMatchObject({
      saturated: false,
      cause: null,
      cpuContention: true,
    })
  })

  it('does not report contention for a busy machine whose CPU is this process\'s, with the generator on time', () => {
    expect(assessGeneratorHealth([
      worker(0.5, 3),
    ], machine(0.95, 0.8))).toMatchObject({ saturated: false, cause: null, cpuContention: false })
  })

  it('says neither for a quiet light run', () => {
    expect(assessGeneratorHealth([
      worker(0.05, 1),
    ], machine(0.2, 0.05))).toMatchObject({ saturated: false, cause: null, cpuContention: false })
  })

  it('says unknown, not generator, when the machine\'s CPU could not be read', () => {
    expect(assessGeneratorHealth([
      worker(0.2, 80),
    ], null)).toEqual({
      workers: [
        worker(0.2, 80),
      ],
      saturated: true,
      cause: 'unknown',
      cpuContention: false,
      cpu: null,
    })
  })

  it('keeps the thresholds at their edges: 85 % of the cores busy and others at a quarter count, just below does not', () => {
    expect(assessGeneratorHealth([
      worker(0.1, 1),
    ], machine(0.85, 0.6)).cpuContention).toBe(true)
    expect(assessGeneratorHealth([
      worker(0.1, 1),
    ], machine(0.84, 0.5)).cpuContention).toBe(false)
    expect(assessGeneratorHealth([
      worker(0.1, 1),
    ], machine(0.9, 0.66)).cpuContention).toBe(false)
  })
})
