import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { planShares } from '../../src/plan/plan.js'
import { validateOptions } from '../../src/spec/validate.js'

const TARGET = 'http://127.0.0.1:3000'
const EXAMPLE = `load: { steps: { users: [10, 50, 100, 200], stepDuration: '30s' } }`

function problemsOf(steps: unknown, extraLoad: Record<string, unknown> = {}): readonly string[] {
  try {
    validateOptions('GET /', {
      target: TARGET,
      load: JSON.parse(JSON.stringify({ steps, ...extraLoad })) as never,
    }, 2)
  }
  catch (error) {
    if (error instanceof InvalidOptionsError)
      return error.problems
    throw error
  }
  return []
}

describe('load.steps', () => {
  it('holds 10, 50, 100 and 200 users for 30 s each: a ramping profile of steps, without a condition', () => {
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: {
        steps: {
          users: [10, 50, 100, 200],
          stepDuration: '30s',
        },
      },
    }, 2)
    expect(spec.steps).toEqual({
      by: 'users',
      levels: [10, 50, 100, 200],
      durationsMs: [30_000, 30_000, 30_000, 30_000],
      until: null,
      condition: null,
    })
    expect(spec.load).toEqual({
      kind: 'ramping-users',
      users: 200,
      durationMs: 120_000,
      gracefulStopMs: 30_000,
      profile: {
        start: 10,
        stages: [
          { durationMs: 30_000, target: 10 },
          { durationMs: 0, target: 50 },
          { durationMs: 30_000, target: 50 },
          { durationMs: 0, target: 100 },
          { durationMs: 30_000, target: 100 },
          { durationMs: 0, target: 200 },
          { durationMs: 30_000, target: 200 },
        ],
      },
    })
    // the error budget applies as to any load test
    expect(spec.errorBudget).toBe(0.01)
    for (const share of planShares(spec))
      expect('steps' in share.spec).toBe(false)
  })

  it('steps rates down as well as up, with maxUsers defaulting to the highest rate', () => {
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: {
        steps: {
          rate: ['200/s', 50, '6000/m'],
          stepDuration: '2s',
        },
      },
    }, 2)
    expect(spec.steps?.levels).toEqual([200, 50, 100])
    expect(spec.load).toMatchObject({
      kind: 'open',
      users: 200,
      durationMs: 6000,
      constantRate: false,
    })
    expect(validateOptions('GET /', {
      target: TARGET,
      load: {
        steps: {
          rate: [10, 20],
          stepDuration: '1s',
          maxUsers: 5,
        },
      },
    }, 2).load.users).toBe(5)
  })

  it.each([
    [
      'not an object',
      [10, 20],
      `load.steps must be an object of the levels and how long each lasts, got \`[10,20]\` (array). Example: ${EXAMPLE}`,
    ],
    [
      'neither users nor rate',
      { stepDuration: '1s' },
      `load.steps needs exactly one of users (closed model) or rate (open model) to step, got neither. Example: ${EXAMPLE}`,
    ],
    [
      'both',
      {
        users: [1],
        rate: [1],
        stepDuration: '1s',
      },
      `load.steps needs exactly one of users (closed model) or rate (open model) to step, got both. Example: ${EXAMPLE}`,
    ],
    [
      'an empty list',
      { users: [], stepDuration: '1s' },
      `load.steps.users must be a list of whole numbers of users above 0, got \`[]\` (array). Example: ${EXAMPLE}`,
    ],
    [
      'a fraction of a user',
      {
        users: [10, 2.5],
        stepDuration: '1s',
      },
      `load.steps.users must be a list of whole numbers of users above 0, got \`[10,2.5]\` (array). Example: ${EXAMPLE}`,
    ],
    [
      'a range instead of a list',
      {
        users: { start: 1, step: 1, max: 3 },
        stepDuration: '1s',
      },
      `load.steps.users must be a list of whole numbers of users above 0, got \`{"start":1,"step":1,"max":3}\` (object). Example: ${EXAMPLE}`,
    ],
    [
      'a rate of 0',
      {
        rate: [10, 0],
        stepDuration: '1s',
      },
      `load.steps.rate must be a list of rates (a number of arrivals per second, or a string such as '200/s') above 0, got \`[10,0]\` (array). Example: ${EXAMPLE}`,
    ],
    [
      'a step of 1.5 s',
      {
        users: [1],
        stepDuration: '1.5s',
      },
      `load.steps.stepDuration must be a whole number of seconds, at least '1s', so steps line up with the one-second intervals, got \`"1.5s"\` (string). Example: ${EXAMPLE}`,
    ],
    [
      'maxUsers with users',
      {
        users: [1],
        stepDuration: '1s',
        maxUsers: 3,
      },
      'load.steps.maxUsers only applies when stepping rate; with users the steps set the users',
    ],
    [
      'a condition, which belongs to a search',
      {
        users: [1],
        stepDuration: '1s',
        until: { p95Above: '1s' },
      },
      'load.steps.until is not an option; the options here are users, rate, stepDuration, maxUsers',
    ],
  ])('rejects %s with the option path and an example', (_, steps, message) => {
    expect(problemsOf(steps)).toContain(message)
  })

  it('rejects other load options beside it', () => {
    expect(problemsOf({
      users: [1],
      stepDuration: '1s',
    }, { duration: '5s' })[0]).toMatch(/^load\.duration is not an option; the options here are steps/)
  })

  it('a warm-up must be shorter than a step', () => {
    expect(() => validateOptions('GET /', {
      target: TARGET,
      load: {
        steps: {
          users: [1, 2],
          stepDuration: '2s',
        },
      },
      warmup: '2s',
    }, 2)).toThrow('warmup \'2s\' must be shorter than a step (2 s)')
  })
})

describe('load.spike', () => {
  const SPIKE_EXAMPLE = `load: { spike: { users: 5, peak: 50, before: '5s', during: '5s', after: '10s' } }`

  it('is three steps named before, peak and after, each for its own time', () => {
    const spec = validateOptions('GET /', {
      target: TARGET,
      load: {
        spike: {
          users: 5,
          peak: 50,
          before: '5s',
          during: '3s',
          after: '10s',
        },
      },
    }, 2)
    expect(spec.steps).toEqual({
      by: 'users',
      levels: [5, 50, 5],
      durationsMs: [5000, 3000, 10_000],
      phases: ['before', 'peak', 'after'],
      until: null,
      condition: null,
    })
    expect(spec.load).toMatchObject({ kind: 'ramping-users', users: 50, durationMs: 18_000 })
    const open = validateOptions('GET /', {
      target: TARGET,
      load: {
        spike: {
          rate: '20/s',
          peak: 200,
          before: '2s',
          during: '1s',
          after: '4s',
        },
      },
    }, 2)
    expect(open.load).toMatchObject({ kind: 'open', users: 200, durationMs: 7000 })
  })

  it.each([
    [
      'a peak below the light load',
      {
        users: 50,
        peak: 5,
        before: '1s',
        during: '1s',
        after: '1s',
      },
      `load.spike.peak (5) must be above load.spike.users (50): the peak is the stress. Example: ${SPIKE_EXAMPLE}`,
    ],
    [
      'no after',
      {
        users: 5,
        peak: 50,
        before: '1s',
        during: '1s',
      },
      `load.spike.after must be a whole number of seconds, at least '1s', so steps line up with the one-second intervals, got \`undefined\`. Example: ${SPIKE_EXAMPLE}`,
    ],
    [
      'a fraction of a user',
      {
        users: 1.5,
        peak: 50,
        before: '1s',
        during: '1s',
        after: '1s',
      },
      `load.spike.users (the light load before and after the peak) must be a whole number of users above 0, got \`1.5\` (number). Example: ${SPIKE_EXAMPLE}`,
    ],
  ])('rejects %s', (_, spike, message) => {
    expect(problemsOf(undefined, { spike, steps: undefined })).toContain(message)
  })
})
