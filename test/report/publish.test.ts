import type { TaskMeta } from 'vitest'
import type { RunReport } from '../../src/report/run-report.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadMatchers } from '../../src/matchers/index.js'
import { publishRun } from '../../src/report/publish.js'
import { META_KEY } from '../../src/report/run-report.js'
import { fastRun } from '../matchers/runs.js'
import '../../src/matchers/augment.js'

expect.extend(loadMatchers)

function reportsIn(meta: TaskMeta): RunReport[] {
  return (meta as Record<string, unknown>)[META_KEY] as RunReport[]
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('publishRun with the test\'s meta (loadTest, after its assertions)', () => {
  it('attaches one report holding the 2 verdicts recorded before it, and prints them', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const run = fastRun()
    expect(run).toHaveP95Below('1s')
    expect(run).toHaveThroughputAbove(10)
    const meta = {} as TaskMeta
    publishRun(run, { meta })
    expect(reportsIn(meta)).toHaveLength(1)
    expect(reportsIn(meta)[0]!.verdicts.map(verdict => verdict.matcher)).toEqual(['toHaveP95Below', 'toHaveThroughputAbove'])
    // without the plugin's reporter, the test prints the summary itself, verdicts included
    expect(log).toHaveBeenCalledTimes(1)
    expect(log.mock.calls[0]![0]).toMatch(/^ {2}✓ toHaveThroughputAbove {2}> 10 req\/s {2}100 req\/s$/m)
  })
})

describe('publishRun without meta (runLoad inside a test)', () => {
  let finishedMeta: TaskMeta | undefined

  it('attaches the report when the test finishes, with a verdict recorded after publishRun', ({ task }) => {
    vi.spyOn(console, 'log').mockImplementation(() => {})
    const run = fastRun()
    publishRun(run)
    expect(reportsIn(task.meta)).toBeUndefined()
    expect(run).toHaveP50Below('1s')
    finishedMeta = task.meta
  })

  it('(the test before this one has 1 report with 1 verdict in its meta)', () => {
    expect(reportsIn(finishedMeta!)).toHaveLength(1)
    expect(reportsIn(finishedMeta!)[0]!.verdicts).toEqual([
      expect.objectContaining({ matcher: 'toHaveP50Below', actual: '50 ms', pass: true }),
    ])
  })
})
