import type { EndpointResult, LoadRun, LoadStep, LoadTestOptions, ObservedTarget, RunLoadSettings } from '../../src/index.js'
import { assertType, describe, expect, expectTypeOf, test } from 'vitest'
import { loadTest, runLoad } from '../../src/index.js'

const target = 'http://127.0.0.1:3000'
const load = { users: 5, duration: '5s' }

describe('LoadTestOptions', () => {
  test('takes secrets at the top level, as names, with a scenario or a request', () => {
    assertType<LoadTestOptions>({
      target,
      scenario: new URL('./users.scenario.ts', import.meta.url),
      secrets: ['x-api-key', 'password'],
      load,
    })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error secrets are names, not values
      secrets: { 'x-api-key': 'k' },
      load,
    })
  })

  test('takes a ramp-up or a spawn rate in the closed model, and a warm-up for any model; the run says what the warm-up left out', () => {
    assertType<LoadTestOptions>({
      target,
      load: { users: 50, duration: '1m', rampUp: '10s' },
      warmup: '10s',
    })
    assertType<LoadTestOptions>({
      target,
      load: { users: 50, duration: '1m', spawnRate: 5 },
    })
    assertType<LoadTestOptions>({
      target,
      load: { rate: 100, duration: '30s' },
      warmup: 2000,
    })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error a spawn rate is users per second, a number
      load: { users: 50, duration: '1m', spawnRate: '5/s' },
    })
    expectTypeOf<LoadRun['warmup']>().toEqualTypeOf<{ durationMs: number, totals: LoadRun['totals'] } | null>()
    expectTypeOf<LoadRun['timeline'][number]['warmup']>().toEqualTypeOf<true | undefined>()
  })

  test('takes a step test of users or rates, and a search whose check may say why; a run has its steps, each a result of its own', () => {
    assertType<LoadTestOptions>({
      target,
      load: {
        steps: {
          users: [10, 50, 100, 200],
          stepDuration: '30s',
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        steps: {
          rate: [100, '200/s', 50],
          stepDuration: 10_000,
          maxUsers: 300,
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        breakingPoint: {
          users: { start: 10, step: 5, max: 100 },
          stepDuration: '10s',
          until: {
            meanAbove: '100ms',
            check: step => step.latency.p90Ms > 250 && `p90 ${step.latency.p90Ms} ms > 250 ms`,
          },
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        steps: {
          // @ts-expect-error users of a step test are a list of numbers
          users: ['10'],
          stepDuration: '30s',
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        spike: {
          users: 5,
          peak: 50,
          before: '5s',
          during: '5s',
          after: '10s',
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        spike: {
          rate: '20/s',
          peak: '200/s',
          before: 2000,
          during: '1s',
          after: '4s',
          maxUsers: 300,
        },
      },
    })
    expectTypeOf<LoadRun['steps']>().toEqualTypeOf<LoadStep[]>()
    expectTypeOf<LoadRun['step']>().returns.toEqualTypeOf<LoadStep>()
    expectTypeOf<LoadStep>().toExtend<EndpointResult>()
    expectTypeOf<LoadStep['by']>().toEqualTypeOf<'users' | 'rate'>()
  })

  test('observes a process by its id or this test process, and a Prometheus endpoint', () => {
    assertType<LoadTestOptions>({
      target,
      load,
      observe: { process: 4242 },
    })
    assertType<LoadTestOptions>({
      target,
      load,
      observe: {
        process: 'self',
        prometheus: {
          url: 'http://127.0.0.1:9100/metrics',
          metrics: ['up'],
        },
      },
    })
    assertType<LoadTestOptions>({
      target,
      load,
      // @ts-expect-error a process is its id or 'self'
      observe: { process: 'gunicorn' },
    })
    expectTypeOf<LoadRun['observed']>().toEqualTypeOf<ObservedTarget | null>()
  })

  test('accepts a closed model with duration or iterations, and a full request', () => {
    assertType<LoadTestOptions>({
      target,
      load: { users: 20, duration: '5s' },
    })
    assertType<LoadTestOptions>({
      target,
      load: { users: 5, iterations: 100, maxDuration: '1m' },
      workers: 2,
    })
    assertType<LoadTestOptions>({
      target,
      request: {
        method: 'POST',
        path: '/users',
        headers: { authorization: 'Bearer secret' },
        query: {
          page: 2,
          tags: ['a', 'b'],
        },
        json: { name: 'jeremy', age: 23 },
        timeout: 2_000,
        expectStatus: [200, '3xx'],
        name: 'POST /users',
      },
      load: { users: 1, duration: 1_500 },
    })
  })

  test('rejects unknown and mistyped fields', () => {
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error users is a number
      load: { users: '5', duration: '5s' },
    })
    // @ts-expect-error load is required
    assertType<LoadTestOptions>({ target })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error users is required in a closed model
      load: { duration: '5s' },
    })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error no such option: the duration belongs in load
      duration: '5s',
      load,
    })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error no such load option (a typo of users)
      load: { user: 5, duration: '5s' },
    })
    assertType<LoadTestOptions>({
      target,
      load,
      // @ts-expect-error workers is a number
      workers: 'auto',
    })
    assertType<LoadTestOptions>({
      target,
      // @ts-expect-error expectStatus takes codes or classes such as '2xx', not 'ok'
      request: { expectStatus: 'ok' },
      load,
    })
    assertType<LoadTestOptions>({
      target,
      load: {
        users: 5,
        // @ts-expect-error a duration is a string or a number of ms, not an object
        duration: { seconds: 5 },
      },
    })
  })
})

describe('loadTest', () => {
  test('takes options, or a function returning them, and an async callback', () => {
    expectTypeOf(loadTest).toBeCallableWith('GET /users', {
      target,
      load: { users: 20, duration: '5s' },
    })
    expectTypeOf(loadTest).toBeCallableWith('GET /users', () => ({
      target,
      load: { users: 20, duration: '5s' },
    }))
    expectTypeOf(loadTest).toBeCallableWith('GET /users', async () => ({
      target,
      load: { users: 20, duration: '5s' },
    }), async (run: LoadRun) => {
      expect(run).toHaveP95Below('100ms')
    })
    expectTypeOf(loadTest.skip).toBeCallableWith('GET /users', {
      target,
      load: { users: 1, duration: '1s' },
    })
    expectTypeOf(loadTest.only).toBeCallableWith('GET /users', {
      target,
      load: { users: 1, duration: '1s' },
    })
    expectTypeOf(loadTest).returns.toEqualTypeOf<void>()
  })

  test('passes the callback a LoadRun', () => {
    expectTypeOf(loadTest).parameter(2).toEqualTypeOf<((run: LoadRun) => void | Promise<void>) | undefined>()
  })

  test('rejects options of the wrong shape, also from an options function', () => {
    expectTypeOf(loadTest).toBeCallableWith('GET /users', {
      target,
      // @ts-expect-error users is a number
      load: { users: '5', duration: '5s' },
    })
    // @ts-expect-error the options function must return LoadTestOptions
    expectTypeOf(loadTest).toBeCallableWith('GET /users', async () => ({ target }))
    // @ts-expect-error the test needs a name
    expectTypeOf(loadTest).toBeCallableWith({ target, load })
  })
})

describe('runLoad', () => {
  test('returns Promise<LoadRun>', () => {
    expectTypeOf(runLoad).returns.toEqualTypeOf<Promise<LoadRun>>()
    expectTypeOf(runLoad).parameter(0).toEqualTypeOf<LoadTestOptions>()
    expectTypeOf(runLoad).parameter(1).toEqualTypeOf<RunLoadSettings | undefined>()
    expectTypeOf(runLoad).toBeCallableWith({
      target,
      load: { users: 5, duration: '5s' },
    }, {
      name: 'GET /users',
      signal: AbortSignal.timeout(1_000),
    })
  })

  test('rejects mistyped settings', () => {
    // @ts-expect-error signal is an AbortSignal
    expectTypeOf(runLoad).toBeCallableWith({ target, load }, { signal: 1000 })
  })
})
