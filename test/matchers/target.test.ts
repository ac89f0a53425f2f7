import type { ObservedTarget } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { InvalidMatcherArgumentError } from '../../src/errors.js'
import { loadMatchers } from '../../src/matchers/index.js'
import { parseGrowthRate } from '../../src/matchers/target.js'
import { verdictsOf } from '../../src/metrics/verdicts.js'
import { recordRun, responses } from '../metrics/record-run.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

const MIB = 1024 * 1024

function observedRun(observed: Partial<ObservedTarget>) {
  return recordRun(responses(20), {
    observed: {
      process: { pid: 'self', name: 'node', processes: 1 },
      prometheus: null,
      timeline: [],
      figures: {
        cpu: {
          mean: 0.62,
          min: 0.4,
          max: 0.9,
          last: 0.5,
          unit: 'cores',
        },
        openFiles: {
          mean: 30,
          min: 28,
          max: 33,
          last: 31,
          unit: 'count',
        },
      },
      memoryGrowth: {
        of: 'heap',
        bytesPerSec: 2 * MIB / 60,
        fromSecond: 1,
        seconds: 4,
        readings: 3,
      },
      failures: null,
      ...observed,
    },
  })
}

describe('the target matchers', () => {
  it('toHaveTargetCpuBelow judges the mean CPU, with .not', () => {
    const run = observedRun({})
    expect(run).toHaveTargetCpuBelow(0.7)
    expect(run).not.toHaveTargetCpuBelow(0.5)
    expect(() => expect(run).toHaveTargetCpuBelow(0.5)).toThrow('expected target CPU of "GET /x" to be below 0.5 cores, but it was 0.62 cores (the mean over the judged seconds; max 0.9 cores)')
    expect(verdictsOf(run).map(verdict => [
      verdict.matcher,
      verdict.expected,
      verdict.actual,
      verdict.pass,
    ])).toEqual([
      [
        'toHaveTargetCpuBelow',
        '< 0.7 cores',
        '0.62 cores',
        true,
      ],
      [
        'toHaveTargetCpuBelow',
        '< 0.5 cores',
        '0.62 cores',
        true,
      ],
      [
        'toHaveTargetCpuBelow',
        '< 0.5 cores',
        '0.62 cores',
        false,
      ],
    ])
  })

  it('toHaveMemoryGrowthBelow judges the fitted slope, in any unit of growth', () => {
    const run = observedRun({})
    expect(run).toHaveMemoryGrowthBelow('3MiB/min')
    expect(run).not.toHaveMemoryGrowthBelow('1MiB/min')
    expect(() => expect(run).toHaveMemoryGrowthBelow('10KB/s')).toThrow('expected heap growth of the target of "GET /x" to be below +586 KiB/min, but it was +2 MiB/min (live V8 heap, least squares over 3 readings after full collections, 4 s from 1 s)')
    expect(parseGrowthRate('5MB/min')).toBeCloseTo(5e6 / 60)
    expect(parseGrowthRate('1 GiB/h')).toBeCloseTo(1024 ** 3 / 3600)
    expect(parseGrowthRate(2048)).toBe(2048)
    expect(parseGrowthRate('5MB')).toBeUndefined()
    expect(() => expect(run).toHaveMemoryGrowthBelow('fast')).toThrow('toHaveMemoryGrowthBelow() expects a rate of growth such as \'5MB/min\', \'200KiB/s\' or a number of bytes a second, got `"fast"` (string)')
  })

  it('toHaveTargetMetricBelow judges a figure by name, its max or its mean, and lists the names it has', () => {
    const run = observedRun({})
    expect(run).toHaveTargetMetricBelow('openFiles', 34)
    expect(run).not.toHaveTargetMetricBelow('openFiles', 33)
    expect(run).toHaveTargetMetricBelow('openFiles', 31, 'mean')
    expect(() => expect(run).toHaveTargetMetricBelow('fds', 10)).toThrow('toHaveTargetMetricBelow(): "GET /x" observed no figure named `"fds"` (string). It has: cpu, openFiles')
  })

  it('a figure that was never read fails both ways, saying why', () => {
    const run = observedRun({
      figures: {},
      memoryGrowth: null,
      failures: { count: 3, first: 'process 99 could not be read at 1 s: it is gone' },
    })
    expect(() => expect(run).toHaveTargetCpuBelow(1)).toThrow('but it was not measured: process 99 could not be read at 1 s: it is gone')
    expect(() => expect(run).not.toHaveTargetCpuBelow(1)).toThrow('but it was not measured')
    expect(() => expect(run).toHaveMemoryGrowthBelow('1MB/min')).toThrow('but it was not measured: process 99 could not be read')
  })

  it('refuses a run that observed nothing, and an endpoint, saying what to write', () => {
    const plain = recordRun(responses(5))
    expect(() => expect(plain).toHaveTargetCpuBelow(1)).toThrow(InvalidMatcherArgumentError)
    expect(() => expect(plain).toHaveTargetCpuBelow(1)).toThrow('toHaveTargetCpuBelow() needs a run that watched its target: "GET /x" had no observe option. Example: observe: { process: server.pid }')
    const run = observedRun({})
    expect(() => expect(run.endpoint('GET /x')).toHaveTargetCpuBelow(1)).toThrow('belongs to the whole run or one of its steps, not to an endpoint')
    expect(() => expect(run).toHaveTargetCpuBelow(0)).toThrow('toHaveTargetCpuBelow() expects a number of cores above 0')
  })
})

describe('the target matchers on a step', () => {
  it('judge its own figures, and refuse a step with none', () => {
    const run = recordRun(responses(20, 1, { second: 0 }).concat(responses(20, 1, { second: 1 })), {
      stepsSpec: {
        by: 'users',
        levels: [1, 2],
        durationsMs: [1000, 1000],
        until: null,
        condition: null,
      },
    })
    expect(() => expect(run.step(2)).toHaveTargetCpuBelow(1)).toThrow('toHaveTargetCpuBelow() needs a step with what was observed on the target: "GET /x · 2 users" has none')
    const observed = {
      ...run.step(2),
      observed: {
        cpu: {
          mean: 0.4,
          min: 0.3,
          max: 0.5,
          last: 0.4,
          unit: 'cores' as const,
        },
      },
    }
    expect(observed).toHaveTargetCpuBelow(0.5)
    expect(observed).not.toHaveTargetCpuBelow(0.3)
  })
})
