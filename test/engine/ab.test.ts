import { describe, expect, it } from 'vitest'
import { InvalidOptionsError, runAB } from '../../src/index.js'
import { verdictsOf } from '../../src/metrics/verdicts.js'
import { cpuServer, noisyNeighbour } from '../helpers/cpu-target.js'
import { cleanedAfterEach } from '../helpers/processes.js'
import { startServer } from '../helpers/server.js'

const { started } = cleanedAfterEach()

const options = {
  request: { path: '/' },
  load: { users: 2, duration: '2s' },
  workers: 1,
} as const

describe('runAB: alternating slices against two CPU-bound services, with a noisy neighbour', () => {
  // 50 % more work: caught every time. At 30 % the gate catches 19 runs in 20 (npm run
  // bench:ab:real), too few for a test that runs twice in every CI
  it('flags 50 % more work per request in the new build: p50 regressed, pair by pair', async () => {
    noisyNeighbour(started)
    const [a, b] = [await cpuServer(started, 400), await cpuServer(started, 600)]
    const runs = await runAB({ a, b }, options, { pairs: 5 })
    expect(runs.order).toEqual([
      'a',
      'b',
      'b',
      'a',
      'a',
      'b',
      'b',
      'a',
      'a',
      'b',
    ])
    expect(runs.a.map(run => run.name)).toEqual([1, 2, 3, 4, 5].map(i => `GET / · a ${i}/5`))
    expect(runs.a.every(run => run.target === a) && runs.b.every(run => run.target === b)).toBe(true)
    expect(() => expect(runs.b).toMatchRun(runs.a)).toThrow(/to match 5 slices of "GET \/ · a", in pairs, but it regressed: p50 \+\d+ % \(95 % CI \+\d+ % … \+\d+ %, 5 pairs\)/)
    expect(verdictsOf(runs.b.at(-1)!)[0]!.baseline!.rows[0]!.verdict).toBe('regressed')
  })

  it('control: two fresh processes of the same build pass, under the same neighbour', async () => {
    noisyNeighbour(started)
    const [a, b] = [await cpuServer(started, 400), await cpuServer(started, 400)]
    const runs = await runAB({ a, b }, options, { pairs: 5 })
    expect(runs.b).toMatchRun(runs.a)
  })
})

describe('runAB: bad input fails before any load', () => {
  it('names every problem: the same target twice, too few pairs, a target in the options, iterations', async () => {
    const server = await startServer((_req, res) => res.end('ok'))
    const error = await runAB({ a: server.url, b: server.url }, {
      ...options,
      target: server.url,
      load: { users: 2, iterations: 5 },
    } as never, { pairs: 2 }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidOptionsError)
    const { message } = error as InvalidOptionsError
    expect(message).toContain('pairs: expected a whole number from 3 to 100')
    expect(message).toContain('options.target: runAB takes its two targets in its first argument')
    expect(message).toContain(`targets: a and b are the same URL (${server.url})`)
    expect(server.requests()).toBe(0)
  })

  it('names a bad target by its side, and the iterations a slice cannot have', async () => {
    const error = await runAB({ a: 'http://127.0.0.1:1', b: 'ftp://x' }, {
      ...options,
      load: { users: 2, iterations: 5 },
    }).catch((caught: unknown) => caught) as InvalidOptionsError
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect(error.message).toMatch(/ {2}- \(target b\) target must be an http\(s\) base URL/)
    expect(error.message).not.toMatch(/\(target a\)/)
    expect(error.message).toContain('load.iterations: slices are compared second by second; give each slice a duration')
    // and the other way round: the load is judged from whichever side is valid
    const other = await runAB({ a: 'ftp://x', b: 'http://127.0.0.1:1' }, {
      ...options,
      load: { users: 2, iterations: 5 },
    }).catch((caught: unknown) => caught) as InvalidOptionsError
    expect(other.message).toMatch(/ {2}- \(target a\) target must be an http\(s\) base URL/)
    expect(other.message).toContain('load.iterations: slices are compared second by second')
  })
})
