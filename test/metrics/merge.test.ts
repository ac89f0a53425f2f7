import type { Histogram } from '../../src/metrics/histogram.js'
import type { IntervalSnapshot } from '../../src/metrics/snapshot.js'
import type { LoadRun } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { UnknownEndpointError } from '../../src/errors.js'
import { createLatencyHistogram, decodeHistogram, percentileMs, summarizeLatency } from '../../src/metrics/histogram.js'
import { RunAggregator } from '../../src/metrics/merge.js'
import { EndpointRecorder } from '../../src/metrics/recorder.js'
import { createRandom, recordRun, responses, shuffle } from './record-run.js'

const WORKERS = 4
const INTERVALS = 5
const DURATION_MS = 4_500
const ENDPOINTS = ['GET /a', 'POST /b']
const PERCENTILES = [
  0,
  0.1,
  1,
  5,
  10,
  25,
  50,
  75,
  90,
  95,
  99,
  99.5,
  99.9,
  99.99,
  100,
]

interface Simulation {
  snapshots: IntervalSnapshot[]
  /** One histogram fed every sample of the run. */
  all: Histogram
  byEndpoint: Map<string, Histogram>
  /** One histogram per second, fed every sample of that second. */
  bySecond: Histogram[]
  requestsBySecond: number[]
  activeUsersBySecond: number[]
  samples: number
}

/**
 * Four workers record two endpoints for five intervals, as the engine's workers do, while the same
 * latencies go straight into reference histograms. Latencies span 0.05 ms to 2 s, plus one stall of
 * 90 s that makes histograms grow past their initial 60 s range.
 */
function simulate(seed: number): Simulation {
  const random = createRandom(seed)
  const simulation: Simulation = {
    snapshots: [],
    all: createLatencyHistogram(),
    byEndpoint: new Map(ENDPOINTS.map(name => [
      name,
      createLatencyHistogram(),
    ])),
    bySecond: Array.from({ length: INTERVALS }, () => createLatencyHistogram()),
    requestsBySecond: Array.from<number>({ length: INTERVALS }).fill(0),
    activeUsersBySecond: Array.from<number>({ length: INTERVALS }).fill(0),
    samples: 0,
  }
  for (let worker = 0; worker < WORKERS; worker++) {
    const recorders = ENDPOINTS.map(name => new EndpointRecorder(name))
    for (let interval = 0; interval < INTERVALS; interval++) {
      const count = 200 + Math.floor(random() * 800)
      for (let index = 0; index < count; index++) {
        const endpoint = Math.floor(random() * ENDPOINTS.length)
        const latencyUs = worker === 2 && interval === 3 && index === 0
          ? 90_000_000
          : 50 + Math.floor(random() ** 4 * 2_000_000)
        recorders[endpoint]!.recordResponse(200, true, latencyUs, latencyUs, 100, 1000)
        simulation.all.recordValue(latencyUs)
        simulation.byEndpoint.get(ENDPOINTS[endpoint]!)!.recordValue(latencyUs)
        simulation.bySecond[interval]!.recordValue(latencyUs)
      }
      const activeUsers = 1 + worker + interval
      simulation.requestsBySecond[interval]! += count
      simulation.activeUsersBySecond[interval]! += activeUsers
      simulation.samples += count
      simulation.snapshots.push({
        workerIndex: worker,
        interval,
        activeUsers,
        droppedArrivals: 0,
        loop: { utilization: 0.5, delayP99Ms: 1, delayMaxMs: 2 },
        endpoints: recorders.map(recorder => recorder.takeSnapshot()),
      })
    }
  }
  return simulation
}

function merge(snapshots: readonly IntervalSnapshot[], workers = WORKERS, durationMs = DURATION_MS): LoadRun {
  const aggregator = new RunAggregator(workers)
  for (const snapshot of snapshots)
    aggregator.add(snapshot)
  for (let worker = 0; worker < workers; worker++)
    aggregator.finishWorker(worker)
  return aggregator.finish({
    name: 'merge test',
    target: 'http://127.0.0.1:3000',
    model: `${workers} users for ${durationMs / 1000} s`,
    modelKind: 'closed',
    users: workers,
    workers,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs,
  })
}

function percentilesOf(histogram: Histogram): number[] {
  return PERCENTILES.map(percentile => percentileMs(histogram, percentile))
}

describe('merging worker snapshots', () => {
  const simulation = simulate(20_250_101)
  const run = merge(shuffle(simulation.snapshots, createRandom(7)))

  it(`merging 4 workers' snapshots of 5 intervals in shuffled order equals one histogram fed every sample`, () => {
    expect(simulation.samples).toBeGreaterThan(4_000)
    expect(run.latency).toEqual(summarizeLatency(simulation.all))
    expect(run.latency.count).toBe(simulation.samples)
    expect(run.latency.maxMs).toBe(percentileMs(simulation.all, 100))
    expect(run.latency.maxMs).toBeGreaterThanOrEqual(90_000)
    expect(percentilesOf(decodeHistogram(run.histogram))).toEqual(percentilesOf(simulation.all))
  })

  it('each of 2 endpoints equals one histogram fed that endpoint\'s samples', () => {
    for (const name of ENDPOINTS) {
      const reference = simulation.byEndpoint.get(name)!
      const endpoint = run.endpoint(name)
      expect(endpoint.latency).toEqual(summarizeLatency(reference))
      expect(percentilesOf(decodeHistogram(endpoint.histogram))).toEqual(percentilesOf(reference))
      expect(endpoint.totals.requests).toBe(reference.totalCount)
    }
    expect(run.endpoints.map(endpoint => endpoint.totals.requests).reduce((a, b) => a + b)).toBe(simulation.samples)
  })

  it('5 other arrival orders give the same run', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const other = merge(shuffle(simulation.snapshots, createRandom(seed)))
      expect(other.latency).toEqual(run.latency)
      expect(other.totals).toEqual(run.totals)
      expect(other.timeline).toEqual(run.timeline)
      expect(other.endpoints).toEqual(run.endpoints)
    }
  })

  it('each second of the timeline equals one histogram fed that second\'s samples of 4 workers', () => {
    expect(run.timeline).toHaveLength(INTERVALS)
    run.timeline.forEach((point, second) => {
      const reference = simulation.bySecond[second]!
      expect(point).toEqual({
        second,
        durationMs: second < 4
          ? 1000
          : 500,
        requests: simulation.requestsBySecond[second],
        errors: 0,
        p50Ms: percentileMs(reference, 50),
        p95Ms: percentileMs(reference, 95),
        p99Ms: percentileMs(reference, 99),
        activeUsers: simulation.activeUsersBySecond[second],
        droppedArrivals: 0,
        histogram: expect.any(String),
      })
      expect(decodeHistogram(point.histogram!).totalCount).toBe(reference.totalCount)
    })
  })

  it('an endpoint\'s timeline counts only its own requests, with the run\'s active users', () => {
    const [a, b] = ENDPOINTS.map(name => run.endpoint(name).timeline)
    run.timeline.forEach((point, second) => {
      expect(a![second]!.requests + b![second]!.requests).toBe(point.requests)
      expect(a![second]!.activeUsers).toBe(point.activeUsers)
    })
  })

  it('throughput is 4 workers\' requests over 4.5 s', () => {
    expect(run.throughputPerSec).toBe(simulation.samples / 4.5)
  })
})

describe('counters', () => {
  const run = recordRun([
    ...responses(10, 1, { worker: 0 }),
    ...responses(2, 1, { worker: 0, status: 500 }),
    ...responses(5, 1, {
      worker: 1,
      status: 404,
      endpoint: 'GET /b',
      bytesReceived: 50,
    }),
    ...Array.from({ length: 3 }, () => ({
      worker: 1,
      second: 1,
      error: { kind: 'timeout' as const, message: 'VL_REQUEST_TIMEOUT: no complete response within 100 ms' },
    })),
    ...Array.from({ length: 4 }, () => ({
      worker: 2,
      error: { kind: 'network' as const, message: 'ECONNRESET: other side closed' },
      bytesReceived: 0,
    })),
    { worker: 2, second: 1, status: 301 },
  ])

  it('adds status codes, 14 errors by kind and bytes from 3 workers over 2 seconds', () => {
    expect(run.totals).toEqual({
      requests: 25,
      ok: 11,
      errors: {
        total: 14,
        http: 7,
        network: 4,
        timeout: 3,
      },
      statusCodes: { 200: 10, 301: 1, 404: 5, 500: 2 },
      errorMessages: {
        'VL_REQUEST_TIMEOUT: no complete response within 100 ms': 3,
        'ECONNRESET: other side closed': 4,
      },
      bytesSent: 2_500,
      bytesReceived: 10 * 1000 + 2 * 1000 + 5 * 50 + 3 * 1000 + 4 * 0 + 1000,
    })
    expect(run.errorRate).toBe(14 / 25)
  })

  it('gives each endpoint its own counts: 20 for GET /x, 5 for GET /b', () => {
    expect(run.endpoints.map(endpoint => endpoint.name)).toEqual(['GET /b', 'GET /x'])
    expect(run.endpoint('GET /b').totals).toMatchObject({
      requests: 5,
      ok: 0,
      errors: { total: 5, http: 5 },
      statusCodes: { 404: 5 },
      bytesReceived: 250,
    })
    expect(run.endpoint('GET /b').errorRate).toBe(1)
    expect(run.endpoint('GET /x').totals).toMatchObject({
      requests: 20,
      ok: 11,
      errors: {
        total: 9,
        http: 2,
        network: 4,
        timeout: 3,
      },
    })
  })

  it('counts errors in the timeline second they finished in: 6 in second 0, 8 in second 1', () => {
    expect(run.timeline.map(point => [point.requests, point.errors])).toEqual([
      [21, 11],
      [4, 3],
    ])
  })

  it('latency covers the 18 responses, not the 7 errors without one', () => {
    expect(run.latency.count).toBe(18)
    expect(run.totals.requests).toBe(25)
  })

  it('a run with no requests has 0 % errors, 0 req/s and zero latency', () => {
    const empty = recordRun([], { durationMs: 1000 })
    expect(empty.totals.requests).toBe(0)
    expect(empty.errorRate).toBe(0)
    expect(empty.throughputPerSec).toBe(0)
    expect(empty.latency).toMatchObject({ count: 0, p95Ms: 0, maxMs: 0 })
    expect(empty.endpoints).toEqual([])
  })

  it('a run of 0 ms reports 0 req/s rather than dividing by zero', () => {
    const instant = recordRun(responses(3), { durationMs: 0 })
    expect(instant.throughputPerSec).toBe(0)
    expect(instant.timeline).toEqual([
      expect.objectContaining({ second: 0, durationMs: 0, requests: 3 }),
    ])
  })
})

describe('error messages', () => {
  const failures = (worker: number, from: number, to: number, times = 1): Array<{ worker: number, error: { kind: 'network', message: string } }> =>
    Array.from({ length: (to - from + 1) * times }, (_, index) => ({
      worker,
      error: { kind: 'network', message: `E${from + (index % (to - from + 1))}` },
    }))

  it('a recorder keeps 20 messages by name and counts the 5 others under \'(other)\'', () => {
    const recorder = new EndpointRecorder('GET /x')
    for (let message = 0; message < 25; message++)
      recorder.recordError('network', `E${message}`, 0, 0)
    recorder.recordError('network', 'E0', 0, 0)
    const { errorMessages } = recorder.takeSnapshot().counters
    expect(Object.keys(errorMessages)).toHaveLength(21)
    expect(errorMessages).toMatchObject({ 'E0': 2, 'E19': 1, '(other)': 5 })
    expect(errorMessages.E20).toBeUndefined()
  })

  it('merging 2 workers\' 30 distinct messages keeps 20 by name and all 55 counts', () => {
    const run = recordRun([
      ...failures(0, 0, 14),
      ...failures(1, 10, 29, 2),
    ])
    const { errorMessages } = run.totals
    expect(Object.keys(errorMessages)).toHaveLength(21)
    expect(Object.values(errorMessages).reduce((a, b) => a + b)).toBe(55)
    expect(run.totals.errors.network).toBe(55)
    expect(errorMessages).toMatchObject({
      'E0': 1,
      'E12': 3,
      'E17': 2,
      '(other)': 20,
    })
  })

  it('merging 3 workers\' 12 distinct messages keeps every one of them exactly', () => {
    const run = recordRun([
      ...failures(0, 0, 5),
      ...failures(1, 3, 8),
      ...failures(2, 6, 11, 3),
    ])
    expect(run.totals.errorMessages).toEqual({
      E0: 1,
      E1: 1,
      E2: 1,
      E3: 2,
      E4: 2,
      E5: 2,
      E6: 4,
      E7: 4,
      E8: 4,
      E9: 3,
      E10: 3,
      E11: 3,
    })
  })

  it('counts messages named \'constructor\' and \'__proto__\' like any other', () => {
    const run = recordRun([
      'constructor',
      '__proto__',
      'toString',
      'constructor',
    ].flatMap(message => [0, 1].map(worker => ({
      worker,
      error: { kind: 'network' as const, message },
    }))))
    expect(Object.entries(run.totals.errorMessages)).toEqual([
      ['constructor', 4],
      ['__proto__', 2],
      ['toString', 2],
    ])
  })
})

describe('timeline', () => {
  it('sums 2 workers\' active users per second: 3 + 2, 4 + 2, 5 + 0', () => {
    const users = [
      [3, 4, 5],
      [2, 2, 0],
    ]
    const run = recordRun([
      { worker: 1, second: 2 },
    ], {
      activeUsers: (worker, second) => users[worker]![second]!,
    })
    expect(run.timeline.map(point => point.activeUsers)).toEqual([5, 6, 5])
  })

  it('gives the last, partial second of a 2.3 s run a duration of 300 ms', () => {
    const run = recordRun([
      { second: 2 },
    ], { durationMs: 2_300 })
    expect(run.timeline.map(point => point.durationMs)).toEqual([1000, 1000, 300])
  })

  it('reads a second\'s p50, p95 and p99 from that second alone: 1–100 ms, then 101–200 ms', () => {
    const run = recordRun([
      ...responses(100),
      ...responses(100, 1, { second: 1 }).map(sample => ({ ...sample, latencyMs: sample.latencyMs! + 100 })),
    ])
    expect(run.timeline.map(point => [point.p50Ms, point.p95Ms, point.p99Ms])).toEqual([
      [50.015, 95.039, 99.007],
      [150.015, 195.071, 199.039],
    ])
  })

  it('shows a second without any snapshot as 0 requests, 0 ms and 0 users', () => {
    const aggregator = new RunAggregator(1)
    for (const interval of [0, 2]) {
      const recorder = new EndpointRecorder('GET /x')
      recorder.recordResponse(200, true, 5_000, 5_000, 0, 0)
      aggregator.add({
        workerIndex: 0,
        interval,
        activeUsers: 3,
        droppedArrivals: 0,
        loop: { utilization: 0.5, delayP99Ms: 1, delayMaxMs: 2 },
        endpoints: [
          recorder.takeSnapshot(),
        ],
      })
    }
    aggregator.finishWorker(0)
    const run = aggregator.finish({
      name: 'gap',
      target: 't',
      model: 'm',
      modelKind: 'closed',
      users: 3,
      workers: 1,
      startedAt: '',
      durationMs: 3000,
    })
    expect(run.timeline[1]).toEqual({
      second: 1,
      durationMs: 1000,
      requests: 0,
      errors: 0,
      p50Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
      activeUsers: 0,
      droppedArrivals: 0,
    })
    expect(run.timeline.map(point => point.requests)).toEqual([1, 0, 1])
  })
})

describe('closing intervals', () => {
  function snapshot(workerIndex: number, interval: number, latenciesMs: number[] = [10]): IntervalSnapshot {
    const recorder = new EndpointRecorder('GET /x')
    for (const latencyMs of latenciesMs)
      recorder.recordResponse(200, true, latencyMs * 1000, latencyMs * 1000, 0, 0)
    return {
      workerIndex,
      interval,
      activeUsers: 1,
      droppedArrivals: 0,
      loop: { utilization: 0.5, delayP99Ms: 1, delayMaxMs: 2 },
      endpoints: [
        recorder.takeSnapshot(),
      ],
    }
  }

  it('keeps interval 0 open until all 3 workers have sent it', () => {
    const aggregator = new RunAggregator(3)
    aggregator.add(snapshot(0, 0))
    aggregator.add(snapshot(2, 0))
    expect(aggregator.openIntervals).toBe(1)
    aggregator.add(snapshot(1, 0))
    expect(aggregator.openIntervals).toBe(0)
  })

  it('keeps interval 1 open, though complete, while interval 0 waits for worker 1', () => {
    const aggregator = new RunAggregator(2)
    aggregator.add(snapshot(0, 0))
    aggregator.add(snapshot(0, 1))
    aggregator.add(snapshot(1, 1))
    expect(aggregator.openIntervals).toBe(2)
    aggregator.add(snapshot(1, 0))
    expect(aggregator.openIntervals).toBe(0)
  })

  it('closes worker 0\'s intervals 1 and 2 once worker 1, done after interval 0, finishes', () => {
    const aggregator = new RunAggregator(2)
    aggregator.add(snapshot(0, 0))
    aggregator.add(snapshot(1, 0))
    aggregator.add(snapshot(0, 1))
    aggregator.add(snapshot(0, 2))
    expect(aggregator.openIntervals).toBe(2)
    aggregator.finishWorker(1)
    expect(aggregator.openIntervals).toBe(0)
  })

  it('a worker that finishes before interval 3 does not close interval 3 for the others', () => {
    const aggregator = new RunAggregator(3)
    aggregator.add(snapshot(0, 3))
    aggregator.finishWorker(1)
    expect(aggregator.openIntervals).toBe(1)
    aggregator.add(snapshot(2, 3))
    expect(aggregator.openIntervals).toBe(0)
  })

  it('second 0 counts both workers\' 3 requests when worker 1\'s snapshot comes after worker 0\'s second 1', () => {
    const aggregator = new RunAggregator(2)
    aggregator.add(snapshot(0, 0, [10, 20]))
    aggregator.add(snapshot(0, 1, [30]))
    aggregator.add(snapshot(1, 0, [40]))
    aggregator.add(snapshot(1, 1, [50]))
    aggregator.finishWorker(0)
    aggregator.finishWorker(1)
    const run = aggregator.finish({
      name: 'late',
      target: 't',
      model: 'm',
      modelKind: 'closed',
      users: 2,
      workers: 2,
      startedAt: '',
      durationMs: 2000,
    })
    expect(run.timeline.map(point => point.requests)).toEqual([3, 2])
    expect(run.timeline[0]!.p99Ms).toBe(40.031)
  })

  it('finish() closes what is still open: 2 intervals without worker 1 still count', () => {
    const aggregator = new RunAggregator(2)
    aggregator.add(snapshot(0, 0))
    aggregator.add(snapshot(0, 1))
    const run = aggregator.finish({
      name: 'open',
      target: 't',
      model: 'm',
      modelKind: 'closed',
      users: 2,
      workers: 2,
      startedAt: '',
      durationMs: 2000,
    })
    expect(run.timeline.map(point => point.requests)).toEqual([1, 1])
    expect(run.totals.requests).toBe(2)
  })
})

describe('the LoadRun', () => {
  const run = recordRun([
    ...responses(3, 1, { endpoint: 'GET /users' }),
    ...responses(2, 1, { endpoint: 'POST /users' }),
  ], { name: 'users API' })

  it('run.endpoint(\'POST /users\') returns that endpoint\'s 2 requests', () => {
    const endpoint = run.endpoint('POST /users')
    expect(endpoint).toBe(run.endpoints[1])
    expect(endpoint.name).toBe('POST /users')
    expect(endpoint.totals.requests).toBe(2)
  })

  it('run.endpoint(\'GET /missing\') throws UnknownEndpointError listing the 2 known names', () => {
    let thrown: unknown
    try {
      run.endpoint('GET /missing')
    }
    catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(UnknownEndpointError)
    expect(thrown).toMatchObject({
      name: 'UnknownEndpointError',
      code: 'VL_ERR_UNKNOWN_ENDPOINT',
      message: 'Load test "users API" has no endpoint named \'GET /missing\'. Known endpoints: \'GET /users\', \'POST /users\'',
    })
  })

  it('run.endpoint() on a run without requests says there are no known endpoints', () => {
    expect(() => recordRun([]).endpoint('GET /x')).toThrow('Known endpoints: none')
  })

  it('is frozen: assigning errorRate = 1 throws and changes nothing', () => {
    expect(Object.isFrozen(run)).toBe(true)
    expect(() => {
      (run as { errorRate: number }).errorRate = 1
    }).toThrow(TypeError)
    expect(run.errorRate).toBe(0)
  })

  it('carries the description it was finished with', () => {
    expect(run).toMatchObject({
      name: 'users API',
      target: 'http://127.0.0.1:3000',
      users: 1,
      workers: 1,
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1000,
    })
  })
})

describe('a warm-up', () => {
  // seconds 0 and 1: 50 responses of 100–5,000 ms and 5 errors (a cold start); 2–4: 100 of 1–100 ms
  const samples = [
    ...[0, 1].flatMap(second => [
      ...responses(50, 100, { second }),
      ...Array.from({ length: 5 }, () => ({
        second,
        error: { kind: 'network' as const, message: 'ECONNRESET' },
      })),
    ]),
    ...[2, 3, 4].flatMap(second => responses(100, 1, { second })),
  ]

  it('leaves its seconds out of totals, latency, error rate and throughput, and counts them apart', () => {
    const run = recordRun(samples, { warmupSeconds: 2, durationMs: 5000 })
    expect(run.totals.requests).toBe(300)
    expect(run.totals.errors.total).toBe(0)
    expect(run.errorRate).toBe(0)
    expect(run.latency.maxMs).toBeLessThan(101)
    // 300 successes over the 3 s after the warm-up
    expect(run.throughputPerSec).toBe(100)
    expect(run.endpoint('GET /x').totals.requests).toBe(300)
    expect(run.warmup).toEqual({
      durationMs: 2000,
      totals: expect.objectContaining({
        requests: 110,
        ok: 100,
        errors: {
          total: 10,
          http: 0,
          network: 10,
          timeout: 0,
        },
      }) as unknown,
    })
  })

  it('keeps its seconds in the timeline, marked, and those after it unmarked', () => {
    const run = recordRun(samples, { warmupSeconds: 2 })
    expect(run.timeline.map(point => [point.second, point.requests, point.warmup ?? false])).toEqual([
      [0, 55, true],
      [1, 55, true],
      [2, 100, false],
      [3, 100, false],
      [4, 100, false],
    ])
    expect(run.endpoint('GET /x').timeline[0]!.warmup).toBe(true)
  })

  it('leaves the checks and custom metrics of its seconds out', () => {
    const run = recordRun([0, 1, 2].flatMap(second => responses(1, 1, { second })), {
      warmupSeconds: 1,
      custom: (recorders, _worker, second) => {
        recorders.metrics.counter('orders').add(second + 1)
        recorders.check({ second }, {
          'after the warm-up': value => value.second >= 1,
        })
      },
    })
    expect(run.metrics.orders).toMatchObject({ type: 'counter', count: 5 })
    expect(run.checks).toEqual([
      expect.objectContaining({ name: 'after the warm-up', passes: 2, fails: 0 }),
    ])
  })

  it('control: without a warm-up, the cold seconds are in every figure', () => {
    const run = recordRun(samples, { durationMs: 5000 })
    expect(run.totals.requests).toBe(410)
    expect(run.totals.errors.network).toBe(10)
    expect(run.latency.maxMs).toBeGreaterThan(4000)
    expect(run.warmup).toBeNull()
    expect(run.timeline.some(point => point.warmup)).toBe(false)
  })

  it('a run that ended during its warm-up has nothing judged, and a warm-up as long as it ran', () => {
    const run = recordRun(responses(10, 1, { second: 0 }), { warmupSeconds: 2, durationMs: 800 })
    expect(run.totals.requests).toBe(0)
    expect(run.throughputPerSec).toBe(0)
    expect(run.warmup).toMatchObject({
      durationMs: 800,
      totals: { requests: 10 },
    })
  })
})
