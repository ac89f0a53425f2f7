import type { AgentProcess, RedisServer } from '../helpers/redis.js'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { AgentLostError, DistributedRunError, runLoad } from '../../src/index.js'
import { toRunReport } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { isAlive } from '../helpers/processes.js'
import { hasRedis, startAgent, startRedis } from '../helpers/redis.js'
import { delayed, startServer } from '../helpers/server.js'

const SCENARIO = new URL('../fixtures/distributed/get.scenario.ts', import.meta.url)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Redis servers, agents, folders and the environment of one test, ended after it. */
function setting(): { redis: (args?: string[], tls?: { cert: string, key: string }) => Promise<RedisServer>, agent: (url: string, args: string[], env?: NodeJS.ProcessEnv) => Promise<AgentProcess>, folder: () => string, namespace: string } {
  const saved = { ...process.env }
  const servers: RedisServer[] = []
  const agents: AgentProcess[] = []
  const folders: string[] = []
  const state = { namespace: '' }
  afterEach(async () => {
    process.env = { ...saved }
    for (const agent of agents.splice(0)) {
      if (isAlive(agent.pid))
        agent.child.kill('SIGKILL')
      await agent.exited()
    }
    for (const server of servers.splice(0))
      await server.stop()
    for (const folder of folders.splice(0))
      rmSync(folder, { recursive: true, force: true })
  })
  return {
    get namespace() {
      return state.namespace
    },
    async redis(args, tls) {
      const server = await startRedis(args, tls)
      servers.push(server)
      state.namespace = `sec-${randomUUID().slice(0, 8)}`
      return server
    },
    async agent(url, args, env) {
      const agent = await startAgent(url, [
        '--namespace',
        state.namespace,
        '--workers',
        '1',
        ...args,
      ], env)
      agents.push(agent)
      return agent
    },
    folder() {
      const folder = mkdtempSync(join(tmpdir(), 'vl-security-'))
      folders.push(folder)
      return folder
    },
  }
}

function useAgents(url: string, namespace: string, agents: number): void {
  Object.assign(process.env, {
    VITEST_LOAD_REDIS: url,
    VITEST_LOAD_NAMESPACE: namespace,
    VITEST_LOAD_AGENTS: String(agents),
    VITEST_LOAD_START_TIMEOUT: '5s',
  })
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => expect.unreachable('the run passed'), (error: unknown) => error as Error)
}

/** One user, 5 requests to `target`: a run that shows whether the agents took part. */
async function fiveRequests(target: string): ReturnType<typeof runLoad> {
  return runLoad({
    target,
    request: { path: '/' },
    load: { users: 1, iterations: 5 },
  })
}

describe.skipIf(!hasRedis())('what a distributed run lets cross the wire', () => {
  const context = setting()

  it('an agent refuses a target outside its --allow-target list before any request reaches it', async () => {
    const redis = await context.redis()
    const agent = await context.agent(redis.url, [
      '--name',
      'strict',
      '--allow-target',
      'http://127.0.0.1:1',
    ])
    useAgents(redis.url, context.namespace, 1)
    const server = await startServer(delayed(1))
    const error = await failureOf(fiveRequests(server.url))
    expect(error).toBeInstanceOf(AgentLostError)
    expect(error.message).toContain(`Agent "strict" (agent 1 of 1`)
    expect(error.message).toContain(`its --allow-target list (http://127.0.0.1:1) does not include the target ${server.url}: start the agent with --allow-target ${server.url}`)
    expect(server.requests()).toBe(0)
    // the agent is still there for the next run
    expect(isAlive(agent.pid)).toBe(true)
  })

  it('agents run a scenario module from their own checkout, and refuse one that differs from the coordinator\'s', async () => {
    const redis = await context.redis()
    // an agent whose checkout holds another version of the module
    const other = context.folder()
    mkdirSync(join(other, 'test/fixtures/distributed'), { recursive: true })
    cpSync(join(ROOT, 'test/fixtures/distributed/get.scenario.ts'), join(other, 'test/fixtures/distributed/get.scenario.ts'))
    writeFileSync(join(other, 'test/fixtures/distributed/get.scenario.ts'), '\n// changed\n', { flag: 'a' })
    await context.agent(redis.url, [
      '--name',
      'same',
      '--index',
      '0',
      '--root',
      ROOT,
    ])
    useAgents(redis.url, context.namespace, 1)
    const server = await startServer(delayed(1))
    const run = await runLoad({
      target: server.url,
      scenario: SCENARIO,
      load: { users: 2, iterations: 10 },
    })
    expect(run.totals.requests).toBe(20)
    expect(server.requests()).toBe(20)

    await context.agent(redis.url, [
      '--name',
      'other',
      '--index',
      '1',
      '--root',
      other,
    ])
    useAgents(redis.url, context.namespace, 2)
    const error = await failureOf(runLoad({
      target: server.url,
      scenario: SCENARIO,
      load: { users: 2, iterations: 10 },
    }))
    expect(error.message).toMatch(/Agent "other" .* could not take part: the scenario module test\/fixtures\/distributed\/get\.scenario\.ts differs from the coordinator's \(sha256 \w+… here, \w+… there\)/)
  })

  it('works with a Redis password, which no output shows; a wrong one fails before any load, the URL shown with ***', async () => {
    const password = `pw-${randomUUID()}`
    const redis = await context.redis(['--requirepass', password])
    const url = redis.url.replace('redis://', `redis://:${password}@`)
    const agent = await context.agent(url, ['--name', 'authed'])
    useAgents(url, context.namespace, 1)
    const server = await startServer(delayed(1))
    const run = await fiveRequests(server.url)
    expect(run.totals.requests).toBe(5)
    expect(JSON.stringify(toRunReport(run))).not.toContain(password)
    expect(formatSummary(toRunReport(run), { colors: false })).not.toContain(password)
    expect(agent.output()).not.toContain(password)
    expect(agent.output()).toContain(`at redis://:***@127.0.0.1:${redis.port}`)

    useAgents(redis.url.replace('redis://', 'redis://:wrong@'), context.namespace, 1)
    const error = await failureOf(fiveRequests(server.url))
    expect(error).toBeInstanceOf(DistributedRunError)
    expect(error.message).toContain(`Cannot connect to Redis at redis://:***@127.0.0.1:${redis.port}`)
    expect(error.message).not.toContain('wrong')
    expect(server.requests()).toBe(5)
  })

  it('works over TLS (rediss://) with the CA named by VITEST_LOAD_REDIS_CA', async () => {
    const folder = context.folder()
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: folder, stdio: 'ignore' })
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=vitest-load test CA')
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1')
    writeFileSync(join(folder, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n')
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'ext.cnf')
    const redis = await context.redis([], {
      cert: join(folder, 'server.pem'),
      key: join(folder, 'server.key'),
    })
    expect(redis.url).toMatch(/^rediss:/)
    const ca = join(folder, 'ca.pem')
    await context.agent(redis.url, ['--name', 'tls'], { VITEST_LOAD_REDIS_CA: ca })
    useAgents(redis.url, context.namespace, 1)
    process.env.VITEST_LOAD_REDIS_CA = ca
    const server = await startServer(delayed(1))
    const run = await fiveRequests(server.url)
    expect(run.totals.requests).toBe(5)
    expect(run.agents.map(agent => agent.name)).toEqual(['tls'])
  })

  it('keeps runs in different namespaces of one Redis apart', async () => {
    const redis = await context.redis()
    await context.agent(redis.url, ['--name', 'team-a'])
    useAgents(redis.url, `${context.namespace}-other`, 1)
    process.env.VITEST_LOAD_START_TIMEOUT = '1s'
    const server = await startServer(delayed(1))
    const error = await failureOf(fiveRequests(server.url))
    expect(error.message).toContain('0 joined within 1 s')
    useAgents(redis.url, context.namespace, 1)
    const run = await fiveRequests(server.url)
    expect(run.agents.map(agent => agent.name)).toEqual(['team-a'])
  })
})
