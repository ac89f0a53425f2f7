import { describe, expect, it } from 'vitest'
import { runLoad, WorkerCrashedError, WorkerOutOfMemoryError } from '../../src/index.js'
import { fixed, startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

describe('a worker memory cap (workerMemoryMb)', () => {
  it('fails a scenario that keeps 1 MB per iteration, clearly, when its worker passes 64 MB', async () => {
    const server = await startServer(fixed())
    const started = performance.now()

    const error = await runLoad({
      target: server.url,
      scenario: scenario('leaky.scenario.mjs'),
      load: { users: 2, duration: '20s' },
      workers: 1,
      workerMemoryMb: 64,
    }).catch((error: unknown) => error) as WorkerOutOfMemoryError

    expect(error).toBeInstanceOf(WorkerOutOfMemoryError)
    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.code).toBe('VL_ERR_WORKER_OUT_OF_MEMORY')
    expect(error.message).toMatch(/^Worker 0 of load test ".*leaky.*" ran out of memory \(limit 64 MB, workerMemoryMb\) and was stopped: a scenario keeps too much per user or per iteration/)
    expect((error.cause as { code?: string }).code).toBe('ERR_WORKER_OUT_OF_MEMORY')
    // stopped when it hit the cap, not at the end of the 20 s
    expect(performance.now() - started).toBeLessThan(15_000)
  })

  it('control: the same allocations, with only the last 8 MB kept, pass under the same cap', async () => {
    const server = await startServer(fixed())

    const run = await runLoad({
      target: server.url,
      scenario: scenario('bounded-memory.scenario.mjs'),
      load: { users: 2, iterations: 60 },
      workers: 1,
      workerMemoryMb: 64,
    })

    expect(run.totals.requests).toBe(120)
    expect(run.totals.errors.total).toBe(0)
    expect(server.requests()).toBe(120)
  })
})
