import type { LoadTestSpec } from '../spec/spec.js'
import { readdirSync, readFileSync } from 'node:fs'
import { InvalidOptionsError } from '../errors.js'

/** The soft and hard limits on open files of this process (`ulimit -n` and `ulimit -Hn`). */
export interface OpenFileLimit {
  soft: number
  /** `Infinity` for `unlimited`. */
  hard: number
}

/** File descriptors a worker thread holds itself (its event loop, its wake-up handles), with room to spare. */
const FDS_PER_WORKER = 8
/** Room for what the process opens besides the users' sockets while the run goes on: reports, the progress socket, a probe. */
const HEADROOM_FDS = 64

/**
 * The "Max open files" line of `/proc/<pid>/limits` (Linux):
 * `Max open files            1024                 1048576              files`. `undefined` when absent.
 */
export function parseOpenFileLimit(limits: string): OpenFileLimit | undefined {
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits)
  if (!match)
    return undefined
  const value = (text: string): number => text === 'unlimited'
    ? Number.POSITIVE_INFINITY
    : Number(text)
  return {
    soft: value(match[1]!),
    hard: value(match[2]!),
  }
}

/**
 * The file descriptors a run of `spec` needs: a socket per user (the most users at once; the open
 * model's `maxUsers`), a few per worker thread, what the process holds open already (`openNow`)
 * and some headroom.
 */
export function openFilesNeeded(spec: Pick<LoadTestSpec, 'load' | 'workers'>, openNow: number): number {
  return spec.load.users + spec.workers * FDS_PER_WORKER + openNow + HEADROOM_FDS
}

/**
 * The problem, for `InvalidOptionsError`, when a run of `spec` needs more open files than the soft
 * limit allows (each connection would then fail with EMFILE, as a network error); `undefined` when
 * it fits.
 */
export function openFileLimitProblem(spec: Pick<LoadTestSpec, 'load' | 'workers'>, limit: OpenFileLimit, openNow: number): string | undefined {
  const needed = openFilesNeeded(spec, openNow)
  if (needed <= limit.soft)
    return undefined
  const option = spec.load.kind === 'closed'
    ? 'load.users'
    : spec.load.kind === 'open'
      ? 'load.maxUsers'
      : 'the peak users of load.stages'
  const fewer = Math.max(0, limit.soft - (needed - spec.load.users))
  const raiseTo = Math.min(65_536, limit.hard)
  const raise = needed <= limit.hard
    ? `raise the limit in the shell that starts Vitest (\`ulimit -n ${raiseTo}\`)`
    : `raise the limit (the hard limit is ${limit.hard}: raising it needs root or /etc/security/limits.conf, then \`ulimit -n 65536\`)`
  return `${option}: ${spec.load.users} users need about ${needed} open files (a socket each, two when the target runs in the same process, `
    + `plus ${needed - spec.load.users} for the workers and what the process holds open), but this process may open only ${limit.soft} (ulimit -n). `
    + `Either ${raise}, or use at most ${fewer} users. No load was sent.`
}

let cachedLimit: OpenFileLimit | null | undefined

/** This process's limit from `/proc/self/limits`, read once; `null` where there is no such file (not Linux). */
function readOpenFileLimit(): OpenFileLimit | null {
  if (cachedLimit === undefined) {
    try {
      cachedLimit = parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8')) ?? null
    }
    catch {
      cachedLimit = null
    }
  }
  return cachedLimit
}

function countOpenFiles(): number {
  try {
    return readdirSync('/proc/self/fd').length
  }
  catch {
    return 0
  }
}

/**
 * Throws `InvalidOptionsError` before any load when the run needs more open files than this
 * process may open. Linux only (`/proc/self/limits`); elsewhere, nothing is checked.
 */
export function checkOpenFileLimit(spec: LoadTestSpec): void {
  const limit = readOpenFileLimit()
  if (!limit)
    return
  const problem = openFileLimitProblem(spec, limit, countOpenFiles())
  if (problem !== undefined)
    throw new InvalidOptionsError(spec.name, [problem])
}
