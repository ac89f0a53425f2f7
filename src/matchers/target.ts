import type { MatcherResult, MatcherState } from 'vitest'
import type { EndpointResult, LoadRun, ObservedFigure, ObservedTarget } from '../metrics/summary.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { isLoadStep } from '../metrics/summary.js'
import { formatObserved } from '../metrics/units.js'
import { formatGrowth, growthBasis } from '../report/observed.js'
import { describeValue } from '../spec/describe-value.js'
import { conclude, requireNumber, requireResult } from './message.js'

/** `'5MB/min'`, `'200 KiB/s'`, `'1GB/h'`: a rate of memory growth. */
const GROWTH_RATE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)\/(s|min|h)$/
const BYTES: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
}
const SECONDS: Record<string, number> = { s: 1, min: 60, h: 3600 }

/** What a run (or a step) saw of its target, or a clear error for anything else. */
function observedOf(result: EndpointResult, matcher: string, example: string): { figures: Record<string, ObservedFigure>, target: ObservedTarget | null } {
  if (isLoadStep(result)) {
    if (!result.observed) {
      throw new InvalidMatcherArgumentError(`${matcher}() needs a step with what was observed on the target: "${result.name}" has none (its run had no observe option, or nothing was read in its seconds). `
        + `Example: observe: { process: server.pid }, then expect(run.step(50)).${example}`)
    }
    return {
      figures: result.observed,
      target: null,
    }
  }
  const observed = (result as Partial<LoadRun>).observed
  if (!Array.isArray((result as Partial<LoadRun>).endpoints)) {
    throw new InvalidMatcherArgumentError(`${matcher}() judges what was observed on the target, which belongs to the whole run or one of its steps, not to an endpoint (${describeValue(result.name)}). Example: expect(run).${example}`)
  }
  if (!observed) {
    throw new InvalidMatcherArgumentError(`${matcher}() needs a run that watched its target: "${result.name}" had no observe option. `
      + `Example: observe: { process: server.pid } (or 'self' for a target in the test process), then expect(run).${example}`)
  }
  const target = observed as ObservedTarget
  return { figures: target.figures, target }
}

/** The first failure to read the target, for a message where a figure was not measured. */
function whyNotMeasured(target: ObservedTarget | null): string {
  return target?.failures
    ? `not measured: ${target.failures.first}`
    : 'not measured'
}

/**
 * Passes when the target's CPU, the mean over the judged seconds, stayed below `cores` (1 is one
 * core busy all the time: top's 100 %). On a run with `observe.process`, or one of its steps.
 * @example expect(run).toHaveTargetCpuBelow(0.8)
 */
export function toHaveTargetCpuBelow(this: MatcherState, received: unknown, cores: number): MatcherResult {
  const matcher = 'toHaveTargetCpuBelow'
  const result = requireResult(received, matcher)
  const limit = requireNumber(cores, matcher, 'a number of cores above 0 (1 is one core busy all the time)', n => n > 0, `${matcher}(0.8)`)
  const { figures, target } = observedOf(result, matcher, `${matcher}(0.8)`)
  const cpu = figures.cpu
  return conclude(this, result, {
    matcher,
    measured: 'target CPU',
    comparison: 'below',
    limit: formatObserved(limit, 'cores'),
    actual: cpu
      ? formatObserved(cpu.mean, 'cores')
      : 'not measured',
    detail: cpu
      ? `${formatObserved(cpu.mean, 'cores')} (the mean over the judged seconds; max ${formatObserved(cpu.max, 'cores')})`
      : whyNotMeasured(target),
    pass: cpu
      ? cpu.mean < limit
      : this.isNot,
  })
}

/**
 * Passes when the target's memory grew slower than `rate` over the steady part of the run: the
 * least-squares slope of the heap (a target in the test process) or of resident memory, not the
 * last reading against the first. `rate` is `'5MB/min'`, `'200KiB/s'`, `'1GB/h'`, or bytes a second.
 * @example expect(run).toHaveMemoryGrowthBelow('5MB/min')
 */
export function toHaveMemoryGrowthBelow(this: MatcherState, received: unknown, rate: string | number): MatcherResult {
  const matcher = 'toHaveMemoryGrowthBelow'
  const result = requireResult(received, matcher)
  const limit = parseGrowthRate(rate)
  if (limit === undefined)
    throw new InvalidMatcherArgumentError(`${matcher}() expects a rate of growth such as '5MB/min', '200KiB/s' or a number of bytes a second, got ${describeValue(rate)}. Example: expect(run).${matcher}('5MB/min')`)
  if (isLoadStep(result))
    throw new InvalidMatcherArgumentError(`${matcher}() fits a line through the memory of the whole run's steady part; a step is too short. Example: expect(run).${matcher}('5MB/min')`)
  const { target } = observedOf(result, matcher, `${matcher}('5MB/min')`)
  const growth = target?.memoryGrowth ?? null
  return conclude(this, result, {
    matcher,
    measured: growth?.of === 'heap'
      ? 'heap growth of the target'
      : 'memory growth of the target',
    comparison: 'below',
    limit: formatGrowth(limit),
    actual: growth
      ? formatGrowth(growth.bytesPerSec)
      : 'not measured',
    detail: growth
      ? `${formatGrowth(growth.bytesPerSec)} (${growth.of === 'heap'
        ? 'live V8 heap'
        : 'resident memory'}, ${growthBasis(growth)})`
      : target?.failures
        ? whyNotMeasured(target)
        : 'not measured: too few readings after the warm-up to fit a line through',
    pass: growth
      ? growth.bytesPerSec < limit
      : this.isNot,
  })
}

/**
 * Passes when an observed figure stayed below `limit`: by default its most over the judged
 * seconds (`stat: 'mean'` for the mean). `name` is `cpu` (cores), `rss` or `heap` (bytes),
 * `threads`, `openFiles`, `eventLoopDelayP99` (ms), or a Prometheus series as named in the run
 * (`http_requests_total{code="500"}`: counters as rates a second).
 * @example expect(run).toHaveTargetMetricBelow('openFiles', 1000)
 */
export function toHaveTargetMetricBelow(this: MatcherState, received: unknown, name: string, limit: number, stat: 'max' | 'mean' = 'max'): MatcherResult {
  const matcher = 'toHaveTargetMetricBelow'
  const result = requireResult(received, matcher)
  const example = `${matcher}('openFiles', 1000)`
  if (typeof name !== 'string' || name === '')
    throw new InvalidMatcherArgumentError(`${matcher}() expects the name of an observed figure first, got ${describeValue(name)}. Example: expect(run).${example}`)
  const value = requireNumber(limit, matcher, 'a number as the limit', Number.isFinite, example)
  if (stat !== 'max' && stat !== 'mean')
    throw new InvalidMatcherArgumentError(`${matcher}() expects 'max' or 'mean' as its third argument, got ${describeValue(stat)}. Example: expect(run).${matcher}('cpu', 0.8, 'mean')`)
  const { figures, target } = observedOf(result, matcher, example)
  const figure = figures[name]
  if (!figure && target && Object.keys(figures).length > 0) {
    throw new InvalidMatcherArgumentError(`${matcher}(): "${result.name}" observed no figure named ${describeValue(name)}. It has: ${Object.keys(figures).join(', ')}. Example: expect(run).${example}`)
  }
  const measured = figure?.[stat]
  return conclude(this, result, {
    matcher,
    measured: `${stat} ${name}`,
    comparison: 'below',
    limit: formatObserved(value, figure?.unit ?? ''),
    actual: measured === undefined
      ? 'not measured'
      : formatObserved(measured, figure!.unit),
    detail: measured === undefined
      ? whyNotMeasured(target)
      : `${formatObserved(measured, figure!.unit)} (${stat === 'max'
        ? `mean ${formatObserved(figure!.mean, figure!.unit)}`
        : `max ${formatObserved(figure!.max, figure!.unit)}`})`,
    pass: measured === undefined
      ? this.isNot
      : measured < value,
  })
}

/** Bytes a second from `'5MB/min'` or a number; `undefined` when it is neither. */
export function parseGrowthRate(rate: unknown): number | undefined {
  if (typeof rate === 'number') {
    return Number.isFinite(rate)
      ? rate
      : undefined
  }
  if (typeof rate !== 'string')
    return undefined
  const match = GROWTH_RATE.exec(rate.trim())
  return match
    ? Number(match[1]) * BYTES[match[2]!]! / SECONDS[match[3]!]!
    : undefined
}
