// The real services the baseline and A/B benches measure (issue 13, item 6), and what they need
// around them: a CPU-bound Node server and a CPU-bound Flask app under Debian's gunicorn, each
// started anew for a run as a deploy would be, a neighbour that burns a core in bursts, and the
// bookkeeping that ends every child the bench started.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer, Socket } from 'node:net'
import { availableParallelism, cpus } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
// eslint-disable-next-line antfu/no-import-dist -- the benches use the build's seeded generator
import { createRandom } from '../../dist/scenario/random.js'
import { aptInstall } from './apt.js'
import { resultsDir } from './context.js'

const here = fileURLToPath(new URL('..', import.meta.url))
export const log = line => process.stdout.write(`${line}\n`)

/** A number from the environment, `fallback` when unset: 0 or more. */
export function numberSetting(name, fallback) {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number of 0 or more, got '${process.env[name]}'. Example: ${name}=${fallback}`)
  return value
}

/** What both benches of real services share: users per run, the neighbour, which targets. */
export const realSettings = {
  users: Math.round(numberSetting('BENCH_USERS', 2)),
  noise: process.env.BENCH_NOISE !== '0',
  targetNames: (process.env.BENCH_TARGETS ?? 'node,flask').split(',').map(name => name.trim()).filter(Boolean),
}

/** The three kinds of run each round has, in a seeded random order: unchanged, 15 % and 30 % more work per request. */
export const KINDS = [
  { name: 'unchanged', factor: 1 },
  { name: '+15 %', factor: 1.15 },
  { name: '+30 %', factor: 1.3 },
]

/** The kinds of run of each round for a target, in a random order seeded by the target's name (Fisher–Yates): the same order every time. */
export function roundsOf(name, rounds) {
  const random = createRandom(name === 'node'
    ? 1
    : 2)
  return Array.from({ length: rounds }, () => {
    const order = [...KINDS]
    for (let index = order.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1))
      ;[order[index], order[other]] = [order[other], order[index]]
    }
    return order
  })
}

// runLoad prints a summary per run outside a Vitest reporter; hundreds of them would bury the result
process.env.VITEST_LOAD_REPORTER = '1'

/** Ends a child we started, by its PID: SIGTERM, then SIGKILL after 3 s. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null)
    return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function accepting(port, limitMs) {
  const until = Date.now() + limitMs
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const socket = new Socket()
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
      socket.connect(port, '127.0.0.1')
    })
    if (ok)
      return
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${limitMs} ms`)
}

export const TARGETS = {
  node: {
    describe: 'CPU-bound Node server (SHA-256 × 500 per request), own process',
    baseWork: 500,
    async start(work) {
      const child = spawn(process.execPath, [
        join(here, 'targets/cpu-server.js'),
      ], {
        env: {
          ...process.env,
          WORK: String(work),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const port = await new Promise((resolve, reject) => {
        let text = ''
        child.stdout.on('data', (chunk) => {
          text += chunk
          const line = text.split('\n')[0]
          if (text.includes('\n'))
            resolve(JSON.parse(line).port)
        })
        child.once('exit', code => reject(new Error(`the Node target exited with ${code} before listening`)))
      })
      return { child, url: `http://127.0.0.1:${port}` }
    },
  },
  flask: {
    describe: 'CPU-bound Flask app (SHA-256 × 400 per request) under gunicorn, 1 sync worker',
    baseWork: 400,
    prepare() {
      const ready = () => existsSync('/usr/bin/gunicorn') && (() => {
        try {
          execFileSync('/usr/bin/python3', ['-c', 'import flask'], { stdio: 'ignore' })
          return true
        }
        catch {
          return false
        }
      })()
      if (ready())
        return
      aptInstall(['gunicorn', 'python3-flask'], log)
      if (!ready())
        throw new Error('gunicorn or python3-flask is still missing after apt-get install')
    },
    /** gunicorn with `workers` sync workers (1 by default): a master process and its children. */
    async start(work, workers = 1) {
      const port = await freePort()
      const child = spawn('/usr/bin/gunicorn', [
        '--workers',
        String(workers),
        '--bind',
        `127.0.0.1:${port}`,
        '--chdir',
        join(here, 'targets'),
        '--log-level',
        'warning',
        'flask_app:app',
      ], {
        env: {
          ...process.env,
          WORK: String(work),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      await accepting(port, 15_000)
      return { child, url: `http://127.0.0.1:${port}` }
    },
  },
}

/** The children this bench started and has not stopped yet: ended with it on Ctrl-C or SIGTERM. */
export const children = new Set()
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children)
      child.kill('SIGKILL')
    process.kill(process.pid, signal)
  })
}

/** A neighbour that burns a core in random bursts (bench/targets/cpu-noise.js), as another job on a shared runner; ended with the bench. */
export function startNeighbour() {
  const neighbour = spawn(process.execPath, [
    join(here, 'targets/cpu-noise.js'),
  ], {
    stdio: 'ignore',
    env: {
      ...process.env,
      NOISE_MAX_LIFE_MS: String(3 * 3600_000),
    },
  })
  children.add(neighbour)
  return neighbour
}

/** Writes a bench's results to bench/results/<prefix>-<start time>.json (git-ignored), with the machine they were measured on. */
export async function writeResults(prefix, startedAt, settings, results) {
  await mkdir(resultsDir, { recursive: true })
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
  await writeFile(new URL(`${prefix}-${stamp}.json`, resultsDir), `${JSON.stringify({
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model,
      node: process.version,
    },
    settings,
    results,
  }, null, 2)}\n`)
}
