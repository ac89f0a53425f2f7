import type { LoadTestSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { assignWorkers } from '../../src/distributed/coordinator.js'
import { planShares } from '../../src/plan/plan.js'
import { createStripe } from '../../src/plan/split.js'
import { validateOptions } from '../../src/spec/validate.js'

function spec(load: unknown): LoadTestSpec {
  return validateOptions('t', {
    target: 'http://127.0.0.1:1',
    request: { path: '/' },
    load,
  }, 1)
}

describe('splitting a run over agents', () => {
  it('gives global worker indices round-robin across agents: agent 0 owns 0, 3, 6…', () => {
    expect(assignWorkers([2, 2, 2], 100)).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ])
    expect(assignWorkers([1, 3], 100)).toEqual([
      [0],
      [1, 2, 3],
    ])
  })

  it('never gives an agent more workers than users can fill, and every agent at least one', () => {
    expect(assignWorkers([4, 4, 4], 5)).toEqual([
      [0, 3],
      [1, 4],
      [2],
    ])
    expect(assignWorkers([4, 4, 4], 3).map(workers => workers.length)).toEqual([1, 1, 1])
  })

  it('sends { users: 6, iterations: 50 } over 3 agents × 2 workers exactly: 300 iterations, each user once', () => {
    const workers = assignWorkers([2, 2, 2], 6)
    const shares = planShares(spec({ users: 6, iterations: 50 }), 6)
    const usersByAgent = workers.map(list => list.flatMap(worker => shares[worker]!.userIndices))
    expect(usersByAgent.map(users => users.length)).toEqual([2, 2, 2])
    expect(usersByAgent.flat().sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(usersByAgent.flat().length * 50).toBe(300)
  })

  it('gives each agent every arrival it owns once, interleaved with the others\' (3,000 arrivals over 3 agents × 2 workers)', () => {
    const workers = assignWorkers([2, 2, 2], 300)
    const { cycle } = planShares(spec({ rate: 1000, duration: '3s', maxUsers: 300 }), 6)[0]!
    const ownerAgent = (arrival: number): number => workers.findIndex(list => list.includes(cycle[arrival % cycle.length]!))
    const counts = [0, 0, 0]
    let longestRun = 0
    let run = 0
    for (let arrival = 0; arrival < 3000; arrival++) {
      counts[ownerAgent(arrival)]!++
      run = arrival > 0 && ownerAgent(arrival) === ownerAgent(arrival - 1)
        ? run + 1
        : 1
      longestRun = Math.max(longestRun, run)
    }
    expect(counts).toEqual([1000, 1000, 1000])
    // no agent fires two arrivals in a row: the agents' schedules interleave
    expect(longestRun).toBe(1)
  })

  it('keeps the stripe\'s shares exact for every total: shares over 7 workers add up for 0 … 1000', () => {
    const stripe = createStripe([1, 1, 1, 1, 1, 1, 1])
    for (let total = 0; total <= 1000; total++)
      expect(Array.from({ length: 7 }, (_, part) => stripe.shareOf(total, part)).reduce((a, b) => a + b, 0)).toBe(total)
  })
})
