import type { MatcherState } from 'vitest'
import type { LoadRun } from '../../src/metrics/summary.js'
import { describe, expect, it } from 'vitest'
import { InvalidMatcherArgumentError } from '../../src/errors.js'
import { toMatchRun } from '../../src/matchers/run.js'
import { trackVerdicts, verdictsOf } from '../../src/metrics/verdicts.js'
import { recordRun, responses } from '../metrics/record-run.js'

/**
 * `seconds` seconds of 100 responses each, of factor × 1…100 ms (p95 ≈ 95 ms × factor), each
 * second a little different; `drift(second)` multiplies the latency of a second on top.
 */
function run(name: string, seconds: number, factor = 1, model = '10 users for 10 s', drift: (second: number) => number = () => 1): LoadRun {
  const result = recordRun(Array.from({ length: seconds }, (_, index) => responses(100, factor * drift(index) * (1 + (index % 3) * 0.01), { second: index })).flat(), { name, model })
  trackVerdicts(result)
  return result
}

function match(received: unknown, before: unknown, tolerances?: unknown, isNot = false) {
  const state = { isNot, currentTestName: 'v2 is no slower', testPath: '/x/api.load.test.ts' } as unknown as MatcherState
  const result = toMatchRun.call(state, received, before, tolerances) as { pass: boolean, message: () => string }
  return {
    pass: result.pass,
    message: result.message(),
  }
}

describe('toMatchRun: one run against another of the same test', () => {
  it('passes for the same figures, and records its table against the other run', () => {
    const before = run('GET /users · before', 8)
    const after = run('GET /users · after', 8)
    const { pass, message } = match(after, before)
    expect(pass).toBe(true)
    expect(message).toContain('expected "GET /users · after" to match run "GET /users · before", and it did:')
    const [verdict] = verdictsOf(after)
    expect(verdict!.matcher).toBe('toMatchRun')
    expect(verdict!.baseline!.against).toBe('run "GET /users · before"')
    expect(verdict!.baseline!.rows.map(row => row.verdict)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ])
  })

  it('fails when every second is 30 % slower: a regression, unlike a baseline of one run, with its interval', () => {
    const { pass, message } = match(run('after', 8, 1.3), run('before', 8))
    expect(pass).toBe(false)
    expect(message).toMatch(/expected "after" to match run "before", but it regressed: p50 \+30 % \(95 % CI \+2\d % … \+3\d %, within the runs\), p95 \+30 %/)
  })

  it('passes 30 % slower with a p95 tolerance of +50 % and p50 and p99 left out', () => {
    expect(match(run('after', 8, 1.3), run('before', 8), { p50: false, p95: '+50%', p99: false }).pass).toBe(true)
  })

  it('fails a run of other load, and one too short to test, saying why', () => {
    const other = match(run('after', 8, 1, '20 users for 10 s'), run('before', 8))
    expect(other.pass).toBe(false)
    expect(other.message).toContain('but they ran different loads (20 users for 10 s; before: 10 users for 10 s)')
    const short = match(run('after', 4), run('before', 8))
    expect(short.pass).toBe(false)
    expect(short.message).toContain('but "after" has 3 intervals with responses after its warm-up (1 s, left out), and a comparison needs at least 5 on each side')
  })

  it('throws on .not, a missing run, a run against itself, and bad tolerances, with an example', () => {
    const one = run('one', 8)
    expect(() => match(one, run('two', 8), undefined, true)).toThrow(InvalidMatcherArgumentError)
    expect(() => match(one, undefined)).toThrow('toMatchRun(before) expects the run to compare with, got `undefined`. Example: expect(after).toMatchRun(before')
    expect(() => match(one, one)).toThrow('was given the run it is called on')
    expect(() => match(one, run('two', 8), { p95: '-10%', speed: 1 })).toThrow(/toMatchRun\(before, tolerances\) has 2 problems:\n {2}- p95: .+\n {2}- speed: not an option; the options are p50, p95, p99, throughput, errorRate\nExample: expect\(after\)\.toMatchRun/)
  })
})

describe('toMatchRun on the slices of runAB(): pairs cancel drift', () => {
  // six slices a side, in pairs; a drift of up to +60 % from slice to slice touches both sides of a pair alike
  const drift = [1, 1.6, 1.2, 1.45, 1.05, 1.3]
  // and each slice its own few per cent
  const wobble = {
    a: [1.02, 0.97, 1.01, 0.99, 1.03, 0.98],
    b: [0.98, 1.02, 0.99, 1.03, 0.97, 1.01],
  }
  const slices = (side: 'a' | 'b', factor: number) => drift.map((level, i) => run(`GET /users · ${side} ${i + 1}/6`, 3, factor * level * wobble[side][i]!, '4 users for 3 s'))

  it('passes the same target under drift, unchanged, and names the sides and pairs', () => {
    const a = slices('a', 1)
    const b = slices('b', 1.01)
    const { pass, message } = match(b, a)
    expect(pass).toBe(true)
    expect(message).toContain('expected the slices of "GET /users · b" to match 6 slices of "GET /users · a", in pairs, and it did:')
    const [verdict] = verdictsOf(b.at(-1)!)
    expect(verdict!.baseline!.runs).toBe(6)
    expect(verdict!.baseline!.rows[1]!.text.change).toMatch(/^\+\d(\.\d+)? % \(95 % CI −\d(\.\d+)? % … \+\d(\.\d+)? %, 6 pairs\)$/)
  })

  it('fails 20 % slower in every pair, although the drift between slices is three times as large', () => {
    const { pass, message } = match(slices('b', 1.2), slices('a', 1))
    expect(pass).toBe(false)
    expect(message).toMatch(/but it regressed: p50 \+20 % \(95 % CI \+1\d % … \+2\d %, 6 pairs\)/)
  })

  it('throws for sides of different lengths or fewer than 3 pairs', () => {
    expect(() => match(slices('b', 1), slices('a', 1).slice(0, 5))).toThrow('got 6 slices and 5 slices')
    expect(() => match(slices('b', 1).slice(0, 2), slices('a', 1).slice(0, 2))).toThrow('(3 or more)')
    expect(() => match(slices('b', 1), run('a', 8))).toThrow('got 6 slices and a run')
  })
})
