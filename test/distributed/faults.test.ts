import type { AgentProcess, RedisServer } from '../helpers/redis.js'
import type { TestServer } from '../helpers/server.js'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentLostError, DistributedRunError, runLoad } from '../../src/index.js'
import { isAlive, until } from '../helpers/processes.js'
import { hasRedis, startAgent, startAgents, startRedis } from '../helpers/redis.js'
import { delayed, startServer } from '../helpers/server.js'

/** Redis, agents and environment of one test, ended after it. */
function setting(): { start: (agents: number) => Promise<{ redis: RedisServer, agents: AgentProcess[] }> } {
  const saved = { ...process.env }
  let redis: RedisServer | undefined
  const started: AgentProcess[] = []
  afterEach(async () => {
    process.env = { ...saved }
    for (const agent of started.splice(0)) {
      if (isAlive(agent.pid)) {
        agent.child.kill('SIGCONT')
        agent.child.kill('SIGKILL')
      }
      await agent.exited()
    }
    await redis?.stop()
  })
  return {
    async start(count) {
      redis = await startRedis()
      const namespace = `faults-${randomUUID().slice(0, 8)}`
      started.push(...await startAgents(redis!.url, namespace, count))
      Object.assign(process.env, {
        VITEST_LOAD_REDIS: redis.url,
        VITEST_LOAD_NAMESPACE: namespace,
        VITEST_LOAD_AGENTS: String(count),
      })
      return { redis, agents: started }
    },
  }
}

/** Requests the server counts from now on over `ms`: how much load still arrives. */
async function requestsOver(server: { requests: () => number }, ms: number): Promise<number> {
  const before = server.requests()
  await sleep(ms)
  return server.requests() - before
}

/** A 20 s run of `users` on the agents, once the server has counted 100 of its requests: its failure to await. */
async function busyRun(server: TestServer, users: number): Promise<{ failure: Promise<unknown> }> {
  const failure = runLoad({
    target: server.url,
    request: { path: '/' },
    load: { users, duration: '20s' },
  }).then(() => undefined, (error: unknown) => error)
  expect(await until(() => server.requests() > 100, 10_000)).toBe(true)
  return { failure }
}

describe.skipIf(!hasRedis())('a distributed run meets faults', () => {
  const { start } = setting()

  it('fails within 3 s naming the agent and its share when an agent is killed (SIGKILL); the others stop', async () => {
    const { agents } = await start(3)
    const server = await startServer(delayed(5))
    const { failure } = await busyRun(server, 3)
    const killedAt = Date.now()
    agents[1]!.child.kill('SIGKILL')
    const error = await failure
    expect(Date.now() - killedAt).toBeLessThan(3000)
    expect(error).toBeInstanceOf(AgentLostError)
    expect((error as Error).message).toMatch(/Agent "agent-1" \(agent 2 of 3, .*1 of 3 workers, 33 % of the load\) stopped renewing its lease/)
    // what was measured until then is kept, marked incomplete
    expect((error as AgentLostError).run?.totals.requests).toBeGreaterThan(100)
    expect((error as AgentLostError).run?.agents.map(agent => agent.lost === null)).toEqual([true, false, true])
    // the other agents were told to stop
    await sleep(500)
    expect(await requestsOver(server, 1000)).toBe(0)
  })

  it('fails the same way when an agent is frozen (SIGSTOP), and the agent, woken, stops its share by itself', async () => {
    const { agents } = await start(2)
    const server = await startServer(delayed(5))
    const { failure } = await busyRun(server, 2)
    const frozenAt = Date.now()
    agents[0]!.child.kill('SIGSTOP')
    const error = await failure
    expect(Date.now() - frozenAt).toBeLessThan(3000)
    expect((error as Error).message).toMatch(/Agent "agent-0" .* stopped renewing its lease/)
    agents[0]!.child.kill('SIGCONT')
    expect(await until(() => agents[0]!.output().includes('lease ran out'), 3000)).toBe(true)
    await sleep(500)
    expect(await requestsOver(server, 1000)).toBe(0)
  })

  it('stops every agent\'s load within 5 s when the coordinator is killed', async () => {
    const { redis, agents } = await start(2)
    const server = await startServer(delayed(5))
    const coordinator = spawn(process.execPath, [
      fileURLToPath(new URL('../fixtures/distributed/coordinator.mjs', import.meta.url)),
      server.url,
    ], {
      stdio: 'ignore',
      env: { ...process.env, VITEST_LOAD_REDIS: redis.url },
    })
    try {
      expect(await until(() => server.requests() > 100, 15_000)).toBe(true)
      coordinator.kill('SIGKILL')
      await sleep(5000)
      expect(await requestsOver(server, 1000)).toBe(0)
      expect(agents.every(agent => agent.output().includes('the coordinator\'s lease ran out'))).toBe(true)
    }
    finally {
      coordinator.kill('SIGKILL')
    }
  })

  it('fails with the broker\'s error when Redis stops, and the agents stop their load by themselves', async () => {
    const { redis, agents } = await start(2)
    const server = await startServer(delayed(5))
    const { failure } = await busyRun(server, 2)
    await redis.stop()
    const error = await failure
    expect(error).toBeInstanceOf(DistributedRunError)
    expect((error as Error).message).toContain(`lost Redis at ${redis.url}`)
    await sleep(3000)
    expect(await requestsOver(server, 1000)).toBe(0)
    expect(agents.every(agent => agent.output().includes('lease ran out'))).toBe(true)
  })

  it('gives up waiting for agents after the start timeout, saying how many came, and sends nothing', async () => {
    await start(2)
    process.env.VITEST_LOAD_AGENTS = '3'
    process.env.VITEST_LOAD_START_TIMEOUT = '1s'
    const server = await startServer(delayed(1))
    const error = await runLoad({
      target: server.url,
      request: { path: '/' },
      load: { users: 3, iterations: 5 },
    }).then(() => undefined, (thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(DistributedRunError)
    expect((error as Error).message).toMatch(/needs 3 agents in namespace "faults-[\w-]+" of redis:\/\/127\.0\.0\.1:\d+\/?; 2 joined within 1 s: agent-0, agent-1\. .*No load was sent\./)
    expect(server.requests()).toBe(0)
  })

  it('ends an agent started with --idle-exit once no load test has come for that long, with exit code 0', async () => {
    const { redis } = await start(0)
    const agent = await startAgent(redis.url, ['--idle-exit', '1s'])
    const startedAt = Date.now()
    expect(await agent.exited()).toBe(0)
    expect(Date.now() - startedAt).toBeLessThan(4000)
    expect(agent.output()).toContain('no run came for 1 s (--idle-exit): exiting')
  })
})
