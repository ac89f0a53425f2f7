import type { JsonReport } from '../../src/report/format-json.js'
import type { AgentProcess, RedisServer } from '../helpers/redis.js'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasRedis, startAgents, startRedis } from '../helpers/redis.js'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

describe.skipIf(!hasRedis())('a project whose plugin config makes its load tests distributed', () => {
  let redis: RedisServer
  const agents: AgentProcess[] = []
  const namespace = `e2e-${randomUUID().slice(0, 8)}`
  const reports = join(repoRoot, 'test/fixtures/distributed-project/.vitest-load')

  beforeAll(async () => {
    installPackedPackage()
    rmSync(reports, { recursive: true, force: true })
    redis = await startRedis()
    agents.push(...await startAgents(redis.url, namespace, 2))
  })

  afterAll(async () => {
    for (const agent of agents)
      agent.child.kill('SIGKILL')
    await Promise.all(agents.map(agent => agent.exited()))
    await redis?.stop()
    rmSync(reports, { recursive: true, force: true })
  })

  it('runs them over its agents, and the reporter shows the agents in the summary and the reports', async () => {
    const { exitCode, output } = await runVitest('distributed-project', [], { REDIS_URL: redis.url, LOAD_NAMESPACE: namespace })
    expect(output).toMatch(/Tests\s+2 passed \(2\)/)
    expect(exitCode).toBe(0)
    // the summary printed in Vitest's main process, from the test process's report
    expect(output).toMatch(/^ {2}Agents {2}2 over Redis$/m)
    expect(output).toMatch(/^ +agent-0 .* 50 .* finished$/m)
    const json = readdirSync(reports).filter(name => name.endsWith('.json')).map(name => JSON.parse(readFileSync(join(reports, name), 'utf8')) as JsonReport)
    expect(json.map(report => [
      report.name,
      report.agents.map(agent => agent.name),
    ]).sort()).toEqual([
      ['GET /health', []],
      [
        'GET /users',
        ['agent-0', 'agent-1'],
      ],
    ])
    expect(readFileSync(join(reports, 'summary.md'), 'utf8')).toContain('**Agents** 2 over Redis')
    // each agent took part in the one distributed test
    expect(agents.map(agent => agent.output().match(/run \w+: done/g)?.length)).toEqual([1, 1])
  })
})
