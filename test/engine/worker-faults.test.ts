import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { runSpec } from '../../src/engine/controller.js'
import { WorkerCrashedError } from '../../src/errors.js'
import { resolveSpec } from '../../src/run-load.js'

const faultyWorker = fileURLToPath(new URL('../fixtures/workers/faulty-worker.mjs', import.meta.url))
const spec = resolveSpec('GET /', {
  target: 'http://127.0.0.1:9',
  load: { users: 2, duration: '30s' },
  workers: 2,
})

afterEach(() => {
  delete process.env.FAULT
})

describe('a worker that fails mid-run', () => {
  it('that throws fails the run with WorkerCrashedError, keeping the error as cause', async () => {
    process.env.FAULT = 'throw'
    const started = performance.now()

    const error = await runSpec(spec, { workerFilename: faultyWorker }).catch((error: unknown) => error) as WorkerCrashedError

    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.code).toBe('VL_ERR_WORKER_CRASHED')
    expect(error.message).toBe('Worker 1 of load test "GET /" failed: scenario blew up at iteration 3')
    expect(error.cause).toBeInstanceOf(TypeError)
    expect((error.cause as Error).stack).toContain('faulty-worker.mjs')
    // the other worker was told to stop: the run did not wait for its 30 s
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('that exits fails the run with WorkerCrashedError', async () => {
    process.env.FAULT = 'exit'

    const error = await runSpec(spec, { workerFilename: faultyWorker }).catch((error: unknown) => error) as WorkerCrashedError

    expect(error).toBeInstanceOf(WorkerCrashedError)
    expect(error.message).toMatch(/^Worker 1 of load test "GET \/" failed: .*exit/i)
  })
})
