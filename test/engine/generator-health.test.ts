import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { runLoad } from '../../src/index.js'
import { describeGeneratorHealth } from '../../src/report/generator-health.js'
import { delayed, startServer } from '../helpers/server.js'

/** A light load: 2 users against a 20 ms server, about 100 requests a second from 1 worker. */
async function lightRun(target: string) {
  return runLoad({
    target,
    load: { users: 2, duration: '3s' },
    workers: 1,
  })
}

/** One process per core spinning for `ms` at most: other work taking the machine's CPU. Each ends by itself. */
async function startBurners(ms: number): Promise<ChildProcess[]> {
  const burners = Array.from({
    length: availableParallelism(),
  }, () => spawn(process.execPath, [
    '-e',
    `const end = Date.now() + ${ms}; while (Date.now() < end);`,
  ], { stdio: 'ignore' }))
  await Promise.all(burners.map(burner => once(burner, 'spawn')))
  return burners
}

describe.skipIf(process.platform !== 'linux')('the generator\'s self-check against a real run', () => {
  it('with a CPU-burning process on every core: machine busy with other processes, the generator not blamed', async () => {
    const server = await startServer(delayed(20))
    const burners = await startBurners(15_000)
    try {
      const run = await lightRun(server.url)
      const health = run.generatorHealth

      expect(health.cpu).not.toBeNull()
      expect(health.cpu!.othersBusy).toBeGreaterThanOrEqual(0.25)
      expect(health.cpuContention).toBe(true)
      expect(health.cause).not.toBe('generator')
      const { warning } = describeGeneratorHealth(health)!
      expect(warning).toMatch(/CPU contention/)
      expect(warning).not.toMatch(/use more workers/i)
    }
    finally {
      for (const burner of burners)
        burner.kill('SIGKILL')
    }
  })

  it('control: the same light run without them blames neither, unless other work on this machine was there to see', async () => {
    const server = await startServer(delayed(20))

    const run = await lightRun(server.url)
    const health = run.generatorHealth

    expect(health.cpu).not.toBeNull()
    expect(health.cause).not.toBe('generator')
    // this machine may be shared with other test runs: when their share stayed small, nothing fires
    if (health.cpu!.othersBusy < 0.25) {
      expect(health.cpuContention).toBe(false)
      expect(health.saturated).toBe(false)
      expect(describeGeneratorHealth(health)!.warning).toBeNull()
    }
  })
})
