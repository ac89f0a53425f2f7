import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** A real `redis-server` (Debian's package) on a free loopback port, nothing saved to disk. */
export interface RedisServer {
  url: string
  port: number
  pid: number
  /** Ends it by its PID and waits for the exit. */
  stop: () => Promise<void>
}

export const REDIS_SERVER = '/usr/bin/redis-server'

/**
 * Whether the distributed tests can run: `redis-server` installed (`apt-get install redis-server`).
 * In CI they must: there a missing server fails them (startRedis says why) instead of skipping them.
 */
export function hasRedis(): boolean {
  return existsSync(REDIS_SERVER) || process.env.CI === 'true'
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Servers and agents still running when the test process exits (a failed hook, a timeout): killed then. */
const running = new Set<ChildProcess>()

function guard(child: ChildProcess): void {
  if (running.size === 0)
    process.once('exit', () => running.forEach(orphan => orphan.kill('SIGKILL')))
  running.add(child)
  child.once('exit', () => running.delete(child))
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return
  await new Promise(resolve => child.once('exit', resolve))
}

/**
 * Starts `redis-server` on 127.0.0.1 at a free port and waits until it accepts connections.
 * `args` adds settings, e.g. `['--requirepass', 'secret']`.
 */
export async function startRedis(args: string[] = [], tls?: { cert: string, key: string }): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER))
    throw new Error(`${REDIS_SERVER} is not installed: apt-get install redis-server (.ci/run installs it)`)
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    // with TLS, the port speaks TLS only: --port 0 turns plain TCP off
    const listen = tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          tls.cert,
          '--tls-key-file',
          tls.key,
          '--tls-auth-clients',
          'no',
        ]
      : [
          '--port',
          String(port),
        ]
    const child = spawn(REDIS_SERVER, [
      ...listen,
      ...[
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ],
      ...args,
    ], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(resolve, 10_000, false)
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer)
          resolve(true)
        }
      })
      child.once('exit', () => {
        clearTimeout(timer)
        resolve(false)
      })
    })
    if (ready) {
      guard(child)
      return {
        url: `${tls
          ? 'rediss'
          : 'redis'}://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        stop: async () => {
          child.kill('SIGKILL')
          await exited(child)
        },
      }
    }
    child.kill('SIGKILL')
    await exited(child)
    // another process took the port between our look and redis' bind: try another
    if (attempt >= 4)
      throw new Error(`redis-server did not start: ${output.slice(-500)}`)
  }
}

/** An agent process: `node dist/cli.js agent …`, with what it printed so far. */
export interface AgentProcess {
  child: ChildProcess
  pid: number
  output: () => string
  exited: () => Promise<number | null>
}

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

/** Starts an agent of the built package and waits until it waits for runs. */
export async function startAgent(redisUrl: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<AgentProcess> {
  const child = spawn(process.execPath, [
    CLI,
    'agent',
    '--redis',
    redisUrl,
    ...args,
  ], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...env,
    },
  })
  guard(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => output += chunk.toString())
  child.stderr!.on('data', (chunk: Buffer) => output += chunk.toString())
  const waiting = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(resolve, 15_000, false)
    const check = (): void => {
      if (output.includes('waiting for runs')) {
        clearTimeout(timer)
        resolve(true)
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(false)
    })
  })
  if (!waiting) {
    child.kill('SIGKILL')
    throw new Error(`the agent did not start:\n${output}`)
  }
  return {
    child,
    pid: child.pid!,
    output: () => output,
    exited: async () => {
      await exited(child)
      return child.exitCode
    },
  }
}

/** `count` agents of one worker each in `namespace`, named and ordered `agent-0`, `agent-1`, … */
export async function startAgents(redisUrl: string, namespace: string, count: number): Promise<AgentProcess[]> {
  return Promise.all(Array.from({ length: count }, async (_, index) => startAgent(redisUrl, [
    '--namespace',
    namespace,
    '--workers',
    '1',
    '--index',
    String(index),
    '--name',
    `agent-${index}`,
  ])))
}
