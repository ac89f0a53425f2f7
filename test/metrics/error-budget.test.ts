import type { TimelinePoint } from '../../src/metrics/summary.js'
import type { MatcherVerdict } from '../../src/metrics/verdicts.js'
import type { Sample } from './record-run.js'
import { describe, expect, it } from 'vitest'
import { checkErrorBudget, describeErrors, noResponseShare, stoppedAnsweringSecond } from '../../src/metrics/error-budget.js'
import { recordRun, responses } from './record-run.js'

const REFUSED = { kind: 'network' as const, message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>' }

function point(second: number, requests: number, errors: number): TimelinePoint {
  return {
    second,
    durationMs: 1000,
    requests,
    errors,
    p50Ms: 1,
    p95Ms: 1,
    p99Ms: 1,
    activeUsers: 4,
    droppedArrivals: 0,
  }
}

function refused(count: number, second: number): Sample[] {
  return Array.from({ length: count }, () => ({ second, error: REFUSED }))
}

/** A target that answered 100 a second, then died in second 1: 50 ok and 1,000 refused in it, then 2,000 refused a second. */
function deadTargetRun() {
  return recordRun([
    ...responses(100, 1, { second: 0 }),
    ...responses(50, 1, { second: 1 }),
    ...refused(1000, 1),
    ...refused(2000, 2),
    ...refused(2000, 3),
  ], { name: 'GET /users' })
}

function verdict(matcher: string): MatcherVerdict {
  return {
    matcher,
    measured: 'error rate',
    endpoint: null,
    expected: '< 5 %',
    actual: '1 %',
    isNot: false,
    pass: true,
  }
}

describe('stoppedAnsweringSecond: the second of the last success, when only failures follow', () => {
  it('finds second 1 in ok, ok+failing, failing, failing', () => {
    expect(stoppedAnsweringSecond([
      point(0, 100, 0),
      point(1, 80, 30),
      point(2, 500, 500),
      point(3, 500, 500),
    ])).toBe(1)
  })

  it('is null when the target answered to the end, even with errors on the way', () => {
    expect(stoppedAnsweringSecond([
      point(0, 100, 0),
      point(1, 100, 100),
      point(2, 100, 10),
    ])).toBeNull()
  })

  it('is null when the target never answered at all', () => {
    expect(stoppedAnsweringSecond([
      point(0, 100, 100),
      point(1, 100, 100),
    ])).toBeNull()
  })

  it('is null when the last successes end the run: nothing failed after them', () => {
    expect(stoppedAnsweringSecond([
      point(0, 100, 0),
      point(1, 100, 0),
      point(2, 0, 0),
    ])).toBeNull()
  })

  it('is null for an empty timeline', () => {
    expect(stoppedAnsweringSecond([])).toBeNull()
  })
})

describe('describeErrors says what went wrong', () => {
  it('a target that died: where it stopped, the share without a response and the system error', () => {
    const run = deadTargetRun()
    expect(noResponseShare(run)).toBeCloseTo(5000 / 5150)
    expect(describeErrors(run)).toBe('the target stopped answering between 1 s and 2 s: 97.1 % of requests got no response (5,000 of 5,150: 5,000 × ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>)')
  })

  it('a target that answers 404 to everything: 100 % of responses were 404', () => {
    const run = recordRun(responses(500, 1, { status: 404, ok: false }))
    expect(describeErrors(run)).toBe('100 % of responses were 404 (500 of 500)')
  })

  it('mixed statuses: the share of unexpected ones, each with its count', () => {
    const run = recordRun([
      ...responses(60),
      ...responses(30, 1, { status: 500, ok: false }),
      ...responses(10, 1, { status: 503, ok: false }),
    ])
    expect(describeErrors(run)).toBe('40 % of responses had a status the test does not expect (40 of 100: 500 × 30, 503 × 10)')
  })
})

describe('checkErrorBudget', () => {
  it('fails a dead target\'s run asserted only on latency, with what happened and how to assert', () => {
    const run = deadTargetRun()
    const { verdict: budget, failure } = checkErrorBudget(run, 0.01, [
      verdict('toHaveP95Below'),
    ])
    expect(failure).toBe('Load test "GET /users": the target stopped answering between 1 s and 2 s: 97.1 % of requests got no response '
      + '(5,000 of 5,150: 5,000 × ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:<port>). Its error rate 97.1 % is above the error budget of 1 %. '
      + 'No request succeeded in 2 s of its 4 s (50 % of the time), above the error budget of 1 %. '
      + 'The latency figures describe only the requests that got a response. '
      + 'Assert on errors with expect(run).toHaveErrorRateBelow(…) or set errorBudget (now 1 %; false turns it off).')
    expect(budget).toEqual({
      matcher: 'errorBudget',
      measured: 'error rate',
      endpoint: null,
      expected: '≤ 1 %',
      actual: '97.1 %',
      isNot: false,
      pass: false,
    })
  })

  it('fails a run of 100 % 500s with no assertions at all', () => {
    const { failure } = checkErrorBudget(recordRun(responses(200, 1, { status: 500, ok: false })), 0.01, [])
    expect(failure).toMatch(/^Load test "GET \/x": 100 % of responses were 500 \(200 of 200\)\. Its error rate 100 % is above the error budget of 1 %\. No request succeeded in 1 s of its 1 s \(100 % of the time\), above the error budget of 1 %\. Assert on errors/)
  })

  it('fails a target dead for half the run even when backing-off users kept the error rate under 1 %', () => {
    // 100 ok a second for 30 s, then one refused connect a second (one user, backing off) for 30 s
    const run = recordRun([
      ...Array.from({ length: 30 }, (_, second) => responses(100, 1, { second })).flat(),
      ...Array.from({ length: 30 }, (_, second) => refused(1, 30 + second)).flat(),
    ])
    expect(run.errorRate).toBeLessThan(0.01)
    const { verdict: budget, failure } = checkErrorBudget(run, 0.01, [])
    expect(failure).toContain('the target stopped answering between 29 s and 30 s: 0.99 % of requests got no response (30 of 3,030')
    expect(failure).toContain('No request succeeded in 30 s of its 60 s (50 % of the time), above the error budget of 1 %.')
    expect(failure).not.toContain('Its error rate')
    expect(budget).toMatchObject({ actual: '0.99 %, no success in 50 % of the time', pass: false })
  })

  it('leaves a warm-up out: a target still starting (refusing) in its first 2 s passes with warmup, fails without', () => {
    const samples = [
      ...refused(5, 0),
      ...refused(5, 1),
      ...[2, 3, 4, 5, 6, 7].flatMap(second => responses(100, 1, { second })),
    ]
    const warm = recordRun(samples, { warmupSeconds: 2 })
    expect(checkErrorBudget(warm, 0.01, []).failure).toBeNull()
    expect(stoppedAnsweringSecond(warm.timeline)).toBeNull()
    // control: the same run without a warm-up, its 2 silent seconds of 8 are 25 % of the time
    expect(checkErrorBudget(recordRun(samples), 0.01, []).failure).toContain('No request succeeded in 2 s of its 8 s')
  })

  it('passes at exactly the budget, and records a passing verdict', () => {
    const run = recordRun([
      ...responses(99),
      ...responses(1, 1, { status: 500, ok: false }),
    ])
    const { verdict: budget, failure } = checkErrorBudget(run, 0.01, [])
    expect(failure).toBeNull()
    expect(budget).toMatchObject({
      matcher: 'errorBudget',
      expected: '≤ 1 %',
      actual: '1 %',
      pass: true,
    })
  })

  it('passes a run without requests, as not measured', () => {
    const { verdict: budget, failure } = checkErrorBudget(recordRun([]), 0.01, [])
    expect(failure).toBeNull()
    expect(budget).toMatchObject({ actual: 'not measured', pass: true })
  })

  it('stands aside when the assertions judged errors: toHaveErrorRateBelow or toHaveCheckPassRateAbove', () => {
    const run = deadTargetRun()
    expect(checkErrorBudget(run, 0.01, [
      verdict('toHaveErrorRateBelow'),
    ])).toEqual({ verdict: null, failure: null })
    expect(checkErrorBudget(run, 0.01, [
      verdict('toHaveCheckPassRateAbove'),
    ])).toEqual({ verdict: null, failure: null })
  })

  it('stands aside when turned off with errorBudget: false', () => {
    expect(checkErrorBudget(deadTargetRun(), false, [])).toEqual({ verdict: null, failure: null })
  })

  it('a larger budget lets a 5 % error rate through', () => {
    const run = recordRun([
      ...responses(95),
      ...refused(5, 0),
    ])
    expect(checkErrorBudget(run, 0.05, []).failure).toBeNull()
    expect(checkErrorBudget(run, 0.04, []).failure).toContain('5 % of requests got no response (5 of 100')
  })
})
