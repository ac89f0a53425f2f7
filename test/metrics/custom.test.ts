import type { TrendResult } from '../../src/metrics/custom.js'
import type { IntervalSnapshot } from '../../src/metrics/snapshot.js'
import type { LoadRun } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { createTrendHistogram, TREND_SCALE } from '../../src/metrics/custom.js'
import { decodeHistogram } from '../../src/metrics/histogram.js'
import { RunAggregator } from '../../src/metrics/merge.js'
import { CustomRecorders, MAX_CHECK_NAMES, MAX_METRIC_NAMES } from '../../src/scenario/custom-recorders.js'
import { createRandom, recordRun, responses, shuffle } from './record-run.js'

const WORKERS = 3
const INTERVALS = 4

interface Truth {
  snapshots: IntervalSnapshot[]
  passes: number
  fails: number
  orders: number
  hits: number
  lookups: number
  waits: number[]
}

/**
 * Three workers, four intervals: each second every worker runs checks and adds to a counter, a rate
 * and a trend with seeded random values, while the truth is counted beside them.
 */
function simulate(seed: number): Truth {
  const random = createRandom(seed)
  const truth: Truth = {
    snapshots: [],
    passes: 0,
    fails: 0,
    orders: 0,
    hits: 0,
    lookups: 0,
    waits: [],
  }
  for (let worker = 0; worker < WORKERS; worker++) {
    const recorders = new CustomRecorders()
    for (let interval = 0; interval < INTERVALS; interval++) {
      const calls = 50 + Math.floor(random() * 100)
      for (let call = 0; call < calls; call++) {
        const status = random() < 0.8
          ? 200
          : 500
        recorders.check({ status }, {
          'status is 200': r => r.status === 200,
        })
        if (status === 200)
          truth.passes++
        else
          truth.fails++
        const n = 1 + Math.floor(random() * 3)
        recorders.metrics.counter('orders').add(n)
        truth.orders += n
        const hit = random() < 0.3
        recorders.metrics.rate('cache hit').add(hit)
        truth.lookups++
        if (hit)
          truth.hits++
        // milliseconds with 3 decimals, from 0 to 5 s, and a few long waits of minutes
        const wait = Math.round((random() < 0.01
          ? 60_000 + random() * 600_000
          : random() * 5_000) * 1000) / 1000
        recorders.metrics.trend('queue wait ms').add(wait)
        truth.waits.push(wait)
      }
      truth.snapshots.push({
        workerIndex: worker,
        interval,
        activeUsers: 1,
        droppedArrivals: 0,
        loop: { utilization: 0.1, delayP99Ms: 1, delayMaxMs: 1 },
        endpoints: [],
        ...recorders.takeSnapshot(),
      })
    }
  }
  return truth
}

function trendOf(run: LoadRun): TrendResult {
  const trend = run.metrics['queue wait ms']
  if (trend?.type !== 'trend')
    throw new Error('expected a trend')
  return trend
}

function merge(snapshots: readonly IntervalSnapshot[]): LoadRun {
  const aggregator = new RunAggregator(WORKERS)
  for (const snapshot of snapshots)
    aggregator.add(snapshot)
  return aggregator.finish({
    name: 'shop',
    target: 'http://127.0.0.1:3000',
    model: '3 users for 4 s',
    modelKind: 'closed',
    users: WORKERS,
    workers: WORKERS,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: INTERVALS * 1000,
  })
}

describe('merging checks and custom metrics from 3 workers × 4 intervals', () => {
  const truth = simulate(11)
  const run = merge(shuffle(truth.snapshots, createRandom(3)))

  it('adds check passes and fails exactly, with the pass rate they give', () => {
    expect(run.checks).toEqual([
      {
        name: 'status is 200',
        passes: truth.passes,
        fails: truth.fails,
        passRate: truth.passes / (truth.passes + truth.fails),
      },
    ])
  })

  it('adds counters and rates exactly', () => {
    expect(run.metrics.orders).toEqual({ type: 'counter', count: truth.orders })
    expect(run.metrics['cache hit']).toEqual({
      type: 'rate',
      trues: truth.hits,
      total: truth.lookups,
      rate: truth.hits / truth.lookups,
    })
  })

  it('gives a trend\'s exact count, min, max and mean, and its percentiles as one histogram fed every value', () => {
    const trend = trendOf(run)
    const sorted = [...truth.waits].sort((a, b) => a - b)
    const scaledSum = truth.waits.reduce((sum, wait) => sum + Math.round(wait * TREND_SCALE), 0)
    expect(trend.count).toBe(truth.waits.length)
    expect(trend.min).toBe(sorted[0])
    expect(trend.max).toBe(sorted.at(-1))
    expect(trend.mean).toBe(scaledSum / truth.waits.length / TREND_SCALE)
    const reference = createTrendHistogram()
    for (const wait of truth.waits)
      reference.recordValue(Math.round(wait * TREND_SCALE))
    for (const [field, percentile] of [
      ['p50', 50],
      ['p90', 90],
      ['p95', 95],
      ['p99', 99],
    ] as const) {
      expect(trend[field]).toBe(Math.min(trend.max, reference.getValueAtPercentile(percentile) / TREND_SCALE))
      // HDR with 3 significant digits: within 0.1 % of the exact percentile
      const exact = sorted[Math.ceil(percentile / 100 * sorted.length) - 1]!
      expect(Math.abs(trend[field] - exact)).toBeLessThanOrEqual(exact / 1000 + 0.001)
    }
  })

  it('gives the same result in any order the snapshots arrive', () => {
    for (const seed of [1, 2, 5, 8, 13]) {
      const other = merge(shuffle(truth.snapshots, createRandom(seed)))
      expect(other.checks).toEqual(run.checks)
      // the encoded histogram may differ in how far it grew; what it holds may not
      const { histogram, ...figures } = trendOf(other)
      const { histogram: expected, ...expectedFigures } = trendOf(run)
      expect({ ...other.metrics, 'queue wait ms': figures }).toEqual({ ...run.metrics, 'queue wait ms': expectedFigures })
      const [a, b] = [
        decodeHistogram(histogram),
        decodeHistogram(expected),
      ]
      expect(a.totalCount).toBe(b.totalCount)
      for (let percentile = 0; percentile <= 100; percentile += 0.5)
        expect(a.getValueAtPercentile(percentile)).toBe(b.getValueAtPercentile(percentile))
    }
  })

  it('lists checks by name and metrics in name order', () => {
    expect(Object.keys(run.metrics)).toEqual(['cache hit', 'orders', 'queue wait ms'])
  })
})

describe('a run without checks or custom metrics', () => {
  it('has checks [] and metrics {}, as every declarative run', () => {
    const run = recordRun(responses(10))
    expect(run.checks).toEqual([])
    expect(run.metrics).toEqual({})
  })
})

describe('a name that workers used with two types', () => {
  it('keeps one result per type, named \'name (type)\', whatever the order', () => {
    const snapshot = (workerIndex: number, use: (recorders: CustomRecorders) => void): IntervalSnapshot => {
      const recorders = new CustomRecorders()
      use(recorders)
      return {
        workerIndex,
        interval: 0,
        activeUsers: 1,
        droppedArrivals: 0,
        loop: { utilization: 0, delayP99Ms: 0, delayMaxMs: 0 },
        endpoints: [],
        ...recorders.takeSnapshot(),
      }
    }
    const a = snapshot(0, recorders => recorders.metrics.counter('x').add(2))
    const b = snapshot(1, recorders => recorders.metrics.rate('x').add(true))
    const forward = new RunAggregator(2)
    forward.add(a)
    forward.add(b)
    const backward = new RunAggregator(2)
    backward.add(b)
    backward.add(a)
    const description = {
      name: 'x',
      target: 'http://127.0.0.1:1',
      model: '2 users for 1 s',
      modelKind: 'closed' as const,
      users: 2,
      workers: 2,
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1000,
    }
    const run = forward.finish(description)
    expect(run.metrics).toEqual({
      'x (counter)': { type: 'counter', count: 2 },
      'x (rate)': {
        type: 'rate',
        trues: 1,
        total: 1,
        rate: 1,
      },
    })
    expect(backward.finish(description).metrics).toEqual(run.metrics)
  })
})

describe('ctx.check() in a worker', () => {
  it('counts each named check, returns true only when all pass, and starts each interval at zero', () => {
    const recorders = new CustomRecorders()
    const checks = {
      'status is 200': (r: { status: number }) => r.status === 200,
      'is fast': (r: { status: number }) => r.status < 300,
    }
    expect(recorders.check({ status: 200 }, checks)).toBe(true)
    expect(recorders.check({ status: 201 }, checks)).toBe(false)
    expect(recorders.check({ status: 500 }, checks)).toBe(false)
    expect(recorders.takeSnapshot().checks).toEqual([
      { name: 'status is 200', passes: 1, fails: 2 },
      { name: 'is fast', passes: 2, fails: 1 },
    ])
    expect(recorders.takeSnapshot()).toEqual({ checks: [], metrics: [] })
    recorders.check({ status: 200 }, { 'is fast': checks['is fast'] })
    expect(recorders.takeSnapshot().checks).toEqual([
      { name: 'is fast', passes: 1, fails: 0 },
    ])
  })

  it('counts a check that throws, returns a falsy value or a promise as failed, without throwing', () => {
    const recorders = new CustomRecorders()
    const passed = recorders.check('not json', {
      throws: body => (JSON.parse(body) as { id: number }).id > 0,
      // for JavaScript callers: truthy passes as in k6, a promise never does
      truthy: body => body.length as unknown as boolean,
      falsy: () => 0 as unknown as boolean,
      async: (async () => true) as unknown as () => boolean,
    })
    expect(passed).toBe(false)
    expect(recorders.takeSnapshot().checks).toEqual([
      { name: 'throws', passes: 0, fails: 1 },
      { name: 'truthy', passes: 1, fails: 0 },
      { name: 'falsy', passes: 0, fails: 1 },
      { name: 'async', passes: 0, fails: 1 },
    ])
  })

  it('throws a TypeError, with an example, for checks that are not an object of functions', () => {
    const recorders = new CustomRecorders()
    expect(() => recorders.check(1, null as never)).toThrow(/^ctx\.check\(value, checks\) takes the value and an object of check names to functions, got `null`\. Example: /)
    expect(() => recorders.check(1, { 'is one': true as never })).toThrow('ctx.check(): check \'is one\' must be a function that takes the value and returns true or false, got `true` (boolean)')
  })

  it(`counts at most ${MAX_CHECK_NAMES} check names a worker, then throws`, () => {
    const recorders = new CustomRecorders()
    for (let index = 0; index < MAX_CHECK_NAMES; index++) {
      recorders.check(index, {
        [`check ${index}`]: () => true,
      })
    }
    expect(() => recorders.check(0, {
      'one more': () => true,
    })).toThrow(`more than ${MAX_CHECK_NAMES} check names in one worker; 'one more' is one too many`)
    // names already known still count
    expect(recorders.check(0, {
      'check 0': () => true,
    })).toBe(true)
  })
})

describe('ctx.metrics in a worker', () => {
  it('gives the same metric object for a name each time, and snapshots only what changed', () => {
    const recorders = new CustomRecorders()
    const counter = recorders.metrics.counter('orders')
    expect(recorders.metrics.counter('orders')).toBe(counter)
    counter.add()
    counter.add(4)
    recorders.metrics.rate('hit').add(true)
    recorders.metrics.rate('hit').add(false)
    recorders.metrics.trend('ms').add(0)
    recorders.metrics.trend('ms').add(2.5)
    recorders.metrics.trend('ms').add(0.0004)
    const { metrics } = recorders.takeSnapshot()
    expect(metrics).toEqual([
      { name: 'orders', type: 'counter', count: 5 },
      {
        name: 'hit',
        type: 'rate',
        trues: 1,
        total: 2,
      },
      expect.objectContaining({
        name: 'ms',
        type: 'trend',
        count: 3,
        scaledSum: 2500,
        scaledMin: 0,
        scaledMax: 2500,
      }),
    ])
    counter.add(1)
    expect(recorders.takeSnapshot().metrics).toEqual([
      { name: 'orders', type: 'counter', count: 1 },
    ])
  })

  it('throws when a name is used with a second type', () => {
    const recorders = new CustomRecorders()
    recorders.metrics.counter('orders')
    expect(() => recorders.metrics.trend('orders')).toThrow(`ctx.metrics.trend('orders'): 'orders' is already a counter; a custom metric has one type. Give the trend another name`)
    expect(() => recorders.metrics.rate('orders')).toThrow(TypeError)
  })

  it('throws a TypeError with an example for values of the wrong kind', () => {
    const recorders = new CustomRecorders()
    expect(() => recorders.metrics.counter('orders').add(-1)).toThrow(`ctx.metrics.counter('orders').add(n) takes a number 0 or more (1 if left out), got \`-1\` (number). Example: `)
    expect(() => recorders.metrics.counter('orders').add(Number.NaN)).toThrow(TypeError)
    expect(() => recorders.metrics.rate('hit').add(1 as unknown as boolean)).toThrow(`ctx.metrics.rate('hit').add(value) takes true or false, got \`1\` (number)`)
    expect(() => recorders.metrics.trend('ms').add(-0.5)).toThrow(`ctx.metrics.trend('ms').add(value) takes a number from 0 to 10^12`)
    expect(() => recorders.metrics.trend('ms').add(Infinity)).toThrow(TypeError)
    expect(() => recorders.metrics.trend('ms').add('5' as unknown as number)).toThrow(TypeError)
    expect(() => recorders.metrics.counter('')).toThrow(`ctx.metrics.counter(name) takes a non-empty name, got \`""\` (string)`)
    // nothing was recorded by the calls that threw
    expect(recorders.takeSnapshot().metrics).toEqual([])
  })

  it(`records at most ${MAX_METRIC_NAMES} metric names a worker, then throws`, () => {
    const recorders = new CustomRecorders()
    for (let index = 0; index < MAX_METRIC_NAMES; index++)
      recorders.metrics.counter(`counter ${index}`).add()
    expect(() => recorders.metrics.rate('one more')).toThrow(`ctx.metrics.rate('one more'): more than ${MAX_METRIC_NAMES} custom metric names in one worker`)
    expect(() => recorders.metrics.counter('counter 0').add()).not.toThrow()
  })
})
