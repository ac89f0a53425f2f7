import type { LoadTestSpec } from '../../src/spec/spec.js'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openFileLimitProblem, openFilesNeeded, parseOpenFileLimit } from '../../src/engine/file-limit.js'
import { fixed, startServer } from '../helpers/server.js'

const script = fileURLToPath(new URL('../fixtures/scripts/run-users.ts', import.meta.url))

function closed(users: number, workers = 2): Pick<LoadTestSpec, 'load' | 'workers'> {
  return {
    load: {
      kind: 'closed',
      users,
      durationMs: 1000,
      iterationsPerUser: null,
      maxDurationMs: 600_000,
      rampUpMs: 0,
    },
    workers,
  }
}

describe('the open-file limit, read from /proc/self/limits', () => {
  it('reads the soft and hard limits, unlimited as Infinity', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             62811                62811                processes ',
      'Max open files            1024                 1048576              files     ',
    ].join('\n')
    expect(parseOpenFileLimit(limits)).toEqual({ soft: 1024, hard: 1_048_576 })
    expect(parseOpenFileLimit('Max open files            unlimited            unlimited            files')).toEqual({ soft: Number.POSITIVE_INFINITY, hard: Number.POSITIVE_INFINITY })
    expect(parseOpenFileLimit('Max processes 10 10')).toBeUndefined()
  })

  it('counts a socket per user, a few per worker, what is open already and headroom', () => {
    expect(openFilesNeeded(closed(1000), 20)).toBe(1000 + 2 * 8 + 20 + 64)
  })

  it('names the option, the figures and both fixes when the users do not fit', () => {
    const problem = openFileLimitProblem(closed(1000), { soft: 256, hard: 1_048_576 }, 20)

    expect(problem).toBe('load.users: 1000 users need about 1100 open files (a socket each, two when the target runs in the same process, '
      + 'plus 100 for the workers and what the process holds open), but this process may open only 256 (ulimit -n). '
      + 'Either raise the limit in the shell that starts Vitest (`ulimit -n 65536`), or use at most 156 users. No load was sent.')
  })

  it('says when the hard limit is in the way, and names maxUsers for the open model', () => {
    const problem = openFileLimitProblem({
      load: {
        kind: 'open',
        users: 5000,
        rate: { start: 100, stages: [] },
        durationMs: 1000,
        constantRate: true,
      },
      workers: 1,
    }, { soft: 1024, hard: 4096 }, 10)

    expect(problem).toMatch(/^load\.maxUsers: 5000 users need about 5082 open files/)
    expect(problem).toContain('the hard limit is 4096: raising it needs root')
  })

  it('passes a run that fits', () => {
    expect(openFileLimitProblem(closed(10), { soft: 256, hard: 256 }, 30)).toBeUndefined()
  })
})

describe('users above the open-file limit (ulimit -n)', () => {
  /** Runs `users` users in a child Node whose soft limit on open files is 256. */
  async function runUnderLowLimit(target: string, users: number): Promise<{ ok: boolean, name?: string, code?: string, message?: string, requests?: number }> {
    const child = spawn('bash', [
      '-c',
      'ulimit -n 256 && exec "$0" --import tsx "$@"',
      process.execPath,
      script,
      target,
      String(users),
    ], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => stdout += chunk)
    child.stderr.on('data', (chunk: Buffer) => stderr += chunk)
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000)
    try {
      const [code] = await once(child, 'exit') as [number | null]
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    }
    finally {
      clearTimeout(killer)
    }
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok: boolean }
  }

  it.skipIf(process.platform !== 'linux')('fail before any load with the fix, when 1000 users need more than 256 files', async () => {
    const server = await startServer(fixed())

    const outcome = await runUnderLowLimit(server.url, 1000)

    expect(outcome).toMatchObject({ ok: false, name: 'InvalidOptionsError', code: 'VL_ERR_INVALID_OPTIONS' })
    expect(outcome.message).toContain('load.users: 1000 users need about')
    expect(outcome.message).toContain('this process may open only 256 (ulimit -n)')
    expect(outcome.message).toContain('`ulimit -n')
    expect(server.requests()).toBe(0)
  })

  it.skipIf(process.platform !== 'linux')('control: 10 users under the same limit run', async () => {
    const server = await startServer(fixed())

    const outcome = await runUnderLowLimit(server.url, 10)

    expect(outcome).toEqual({ ok: true, requests: 20, errors: 0 })
    expect(server.requests()).toBe(20)
  })
})
