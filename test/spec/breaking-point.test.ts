import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { validateOptions } from '../../src/spec/validate.js'

const TARGET = 'http://127.0.0.1:3000'
const EXAMPLE = `load: { breakingPoint: { users: { start: 10, step: 10, max: 200 }, stepDuration: '10s', until: { p95Above: '100ms' } } }`

function problemsOf(breakingPoint: unknown, extraLoad: Record<string, unknown> = {}): readonly string[] {
  try {
    validateOptions('GET /', {
      target: TARGET,
      load: { breakingPoint, ...extraLoad },
    }, 2)
  }
  catch (error) {
    if (error instanceof InvalidOptionsError)
      return error.problems
    throw error
  }
  return []
}

const valid = {
  users: { start: 10, step: 10, max: 30 },
  stepDuration: '5s',
  until: { p95Above: '100ms' },
}

describe('load.breakingPoint', () => {
  it('steps 10, 20, 30 users for 5 s each as a ramping profile with steps', () => {
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: { breakingPoint: valid },
    }, 2)
    expect(spec.steps).toEqual({
      by: 'users',
      levels: [10, 20, 30],
      durationsMs: [5000, 5000, 5000],
      until: { p95AboveMs: 100 },
      condition: 'p95 > 100 ms',
    })
    expect(spec.load).toMatchObject({ kind: 'ramping-users', users: 30, durationMs: 15_000 })
  })

  it('steps the rate 50, 100, 150/s with maxUsers defaulting to the highest rate', () => {
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: {
        breakingPoint: {
          rate: { start: '50/s', step: 50, max: 150 },
          stepDuration: '1s',
          until: { errorRateAbove: 0.01 },
        },
      },
    }, 2)
    expect(spec.steps?.levels).toEqual([50, 100, 150])
    expect(spec.steps?.condition).toBe('error rate > 1 %')
    expect(spec.load).toMatchObject({ kind: 'open', users: 150, durationMs: 3000 })
  })

  it.each<[string, unknown, string]>([
    ['not an object', 5, `load.breakingPoint must be an object, got \`5\` (number). Example: ${EXAMPLE}`],
    [
      'neither users nor rate',
      {
        stepDuration: '1s',
        until: { p95Above: '1s' },
      },
      `load.breakingPoint needs exactly one of users (closed model) or rate (open model) to step, got neither. Example: ${EXAMPLE}`,
    ],
    [
      'both users and rate',
      {
        ...valid,
        rate: { start: 1, step: 1, max: 2 },
      },
      `load.breakingPoint needs exactly one of users (closed model) or rate (open model) to step, got both. Example: ${EXAMPLE}`,
    ],
    [
      'max below start',
      {
        ...valid,
        users: { start: 10, step: 5, max: 5 },
      },
      `load.breakingPoint.users must be { start, step, max } with whole numbers of users above 0 and max ≥ start, got \`{"start":10,"step":5,"max":5}\` (object). Example: ${EXAMPLE}`,
    ],
    [
      'a step of 0.5 users',
      {
        ...valid,
        users: { start: 1, step: 0.5, max: 5 },
      },
      `load.breakingPoint.users must be { start, step, max } with whole numbers of users above 0 and max ≥ start, got \`{"start":1,"step":0.5,"max":5}\` (object). Example: ${EXAMPLE}`,
    ],
    [
      'a bad rate',
      {
        ...valid,
        users: undefined,
        rate: { start: 'fast', step: 1, max: 2 },
      },
      `load.breakingPoint.rate must be { start, step, max } with rates above 0 and max ≥ start, got \`{"start":"fast","step":1,"max":2}\` (object). Example: ${EXAMPLE}`,
    ],
    [
      'more than 1000 steps',
      {
        ...valid,
        users: { start: 1, step: 1, max: 5000 },
      },
      `load.breakingPoint.users makes more than 1000 steps from 1 to 5000 by 1; use a larger step. Example: ${EXAMPLE}`,
    ],
    [
      'a step of 1.5 s',
      { ...valid, stepDuration: '1.5s' },
      `load.breakingPoint.stepDuration must be a whole number of seconds, at least '1s', so steps line up with the one-second intervals, got \`"1.5s"\` (string). Example: ${EXAMPLE}`,
    ],
    [
      'no until',
      { ...valid, until: undefined },
      `load.breakingPoint.until must be an object of conditions such as { p95Above: '100ms', errorRateAbove: 0.01 }, got \`undefined\`. Example: ${EXAMPLE}`,
    ],
    [
      'an empty until',
      { ...valid, until: {} },
      `load.breakingPoint.until needs at least one condition: meanAbove, p50Above, p95Above, p99Above, errorRateAbove or check. Example: ${EXAMPLE}`,
    ],
    [
      'a bad p99Above',
      {
        ...valid,
        until: { p99Above: 'slow' },
      },
      `load.breakingPoint.until.p99Above must be a duration above 0 such as '100ms', got \`"slow"\` (string). Example: ${EXAMPLE}`,
    ],
    [
      'an error rate of 1',
      {
        ...valid,
        until: { errorRateAbove: 1 },
      },
      `load.breakingPoint.until.errorRateAbove must be a ratio from 0 to below 1 (0.01 is 1 %), got \`1\` (number). Example: until: { errorRateAbove: 0.01 }`,
    ],
    [
      'a check that is not a function',
      {
        ...valid,
        until: { check: 'p95 > 1' },
      },
      `load.breakingPoint.until.check must be a function (step) => boolean | string, got \`"p95 > 1"\` (string). Example: until: { check: step => step.latency.p99Ms > 250 && \`p99 \${step.latency.p99Ms} ms > 250 ms\` }`,
    ],
    [
      'maxUsers with users',
      { ...valid, maxUsers: 5 },
      `load.breakingPoint.maxUsers only applies when stepping rate; with users the steps set the users`,
    ],
    [
      'an unknown key',
      { ...valid, steps: 3 },
      `load.breakingPoint.steps is not an option; the options here are users, rate, stepDuration, until, maxUsers`,
    ],
  ])('rejects %s with the option path and an example', (_, breakingPoint, message) => {
    expect(problemsOf(breakingPoint)).toContain(message)
  })

  it('rejects other load options beside it', () => {
    expect(problemsOf(valid, { users: 5 })[0]).toMatch(/^load\.users is not an option; the options here are breakingPoint/)
  })

  it('never sends the check function to a worker: planShares drops it', async () => {
    const { planShares } = await import('../../src/plan/plan.js')
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: {
        breakingPoint: {
          ...valid,
          until: {
            check: () => false,
          },
        },
      },
    }, 2)
    for (const share of planShares(spec)) {
      expect('steps' in share.spec).toBe(false)
      expect(() => structuredClone(share)).not.toThrow()
    }
  })
})
