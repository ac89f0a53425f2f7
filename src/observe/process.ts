import { readdirSync, readFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Clock ticks a second in `/proc/<pid>/stat` (`sysconf(_SC_CLK_TCK)`, which Node cannot call):
 * USER_HZ is 100 on every Linux architecture Node runs on.
 */
const TICKS_PER_SECOND = 100
const PAGE_BYTES = 4096
/** A process's name in reports is cut here. */
const MAX_NAME_LENGTH = 60
/** What Node 24 names its main thread, which `comm` shows for the process. */
const NODE_MAIN_THREAD = 'MainThread'
/**
 * Left out of `heapUsedBytes`: V8's young generation, whose short-lived garbage saws up and down,
 * and its JIT code, which grows as hot functions are optimised in a run's first seconds.
 */
const LEFT_OUT_SPACES = new Set([
  'new_space',
  'new_large_object_space',
  'code_space',
  'code_large_object_space',
])

/** What one look at a process (and its descendants) finds. */
export interface ProcessReading {
  /** CPU time (user and system) so far, seconds: the process tree's, or the test process's main thread for `'self'`. */
  cpuSeconds: number
  /** Resident memory, bytes: the sum over the tree. */
  rssBytes: number
  /**
   * This thread's V8 heap in use outside the young generation and JIT code, bytes: what survived
   * its short-lived garbage, and so what a leak grows. Only for `'self'`.
   */
  heapUsedBytes?: number
  /** Threads of every process of the tree. */
  threads: number
  /** Open file descriptors of every process of the tree; `undefined` where `/proc/<pid>/fd` cannot be read (another user's process). */
  openFiles?: number
  /** The processes read: 1, or the master and its workers (gunicorn, a Node cluster). */
  processes: number
}

/** `/proc/<pid>/stat` after the command: the fields this needs (1-based numbers as in proc(5)). */
interface StatFields {
  ppid: number
  cpuTicks: number
  threads: number
  rssPages: number
}

function parseStat(text: string): StatFields | undefined {
  // the command is in parentheses and may hold spaces and parentheses itself: split after the last ')'
  const end = text.lastIndexOf(')')
  if (end < 0)
    return undefined
  // fields from 3 (state) on; utime is 14, stime 15, num_threads 20, rss 24
  const fields = text.slice(end + 2).split(' ')
  const field = (n: number): number => Number(fields[n - 3])
  const parsed = {
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    threads: field(20),
    rssPages: field(24),
  }
  return Object.values(parsed).every(Number.isFinite)
    ? parsed
    : undefined
}

function readStat(path: string): StatFields | undefined {
  try {
    return parseStat(readFileSync(path, 'utf8'))
  }
  catch {
    return undefined
  }
}

function countOpenFiles(pid: number | 'self'): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  }
  catch {
    return undefined
  }
}

/** The direct children of `pid`, from each of its threads' `children` file (Linux 3.5+). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
      }
      catch {
        return []
      }
    })
  }
  catch {
    return []
  }
}

/** `pid` and every process below it, parents first. */
function processTree(pid: number): number[] {
  const tree = [pid]
  for (let index = 0; index < tree.length && tree.length < 10_000; index++)
    tree.push(...childrenOf(tree[index]!))
  return tree
}

/**
 * Reads a process and its descendants (a server's workers are its children: gunicorn, uvicorn
 * `--workers`, a Node cluster): CPU time, resident memory, threads and open files, summed.
 * `undefined` when the process is gone, or where `/proc` cannot be read (not Linux).
 */
export function readProcessTree(pid: number): ProcessReading | undefined {
  const root = readStat(`/proc/${pid}/stat`)
  if (!root)
    return undefined
  const reading: ProcessReading = {
    cpuSeconds: 0,
    rssBytes: 0,
    threads: 0,
    openFiles: 0,
    processes: 0,
  }
  for (const member of processTree(pid)) {
    const stat = member === pid
      ? root
      : readStat(`/proc/${member}/stat`)
    // a worker that ended between the two reads is simply not counted
    if (!stat)
      continue
    reading.processes++
    reading.cpuSeconds += stat.cpuTicks / TICKS_PER_SECOND
    reading.rssBytes += stat.rssPages * PAGE_BYTES
    reading.threads += stat.threads
    const files = countOpenFiles(member)
    reading.openFiles = files === undefined || reading.openFiles === undefined
      ? undefined
      : reading.openFiles + files
  }
  return reading
}

/**
 * Reads the test process, for a target started in it (in `beforeAll`): the CPU of this thread only
 * (the test's: a fork's main thread, or Vitest's worker thread in its `threads` pool), where that
 * target's handlers run, not the load generator's worker threads; this thread's V8 heap past the
 * young generation; the process's resident memory (the load workers' included), threads and open files.
 */
export function readSelf(): ProcessReading | undefined {
  const main = readStat('/proc/thread-self/stat')
  const whole = readStat('/proc/self/stat')
  if (!main || !whole)
    return undefined
  const openFiles = countOpenFiles('self')
  return {
    cpuSeconds: main.cpuTicks / TICKS_PER_SECOND,
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: oldGenerationBytes(),
    threads: whole.threads,
    ...(openFiles !== undefined && { openFiles }),
    processes: 1,
  }
}

/**
 * The V8 heap of this thread in use, less the young generation (its sawtooth of short-lived
 * garbage, up to 16 MB, would hide a leak's slope) and JIT code (`LEFT_OUT_SPACES`).
 */
function oldGenerationBytes(): number {
  return getHeapSpaceStatistics()
    .filter(space => !LEFT_OUT_SPACES.has(space.space_name))
    .reduce((sum, space) => sum + space.space_used_size, 0)
}

/**
 * What `pid` runs, for reports: its `comm` (`gunicorn`, `node`), never its arguments, which may
 * hold secrets. Node 24 names its main thread, and so `comm`, `MainThread`: then the last part of
 * the first command-line word.
 */
export function processName(pid: number | 'self'): string | undefined {
  let comm: string | undefined
  try {
    comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  }
  catch {
    return undefined
  }
  if (comm !== NODE_MAIN_THREAD)
    return comm
  try {
    const first = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? ''
    return first.slice(first.lastIndexOf('/') + 1).slice(0, MAX_NAME_LENGTH) || comm
  }
  catch {
    return comm
  }
}

/**
 * The event loop's delay in this thread, for a target running in it: how late its timers and
 * I/O callbacks ran, the figure a slow synchronous handler shows first. Read and reset each second.
 */
export class EventLoopDelay {
  // the histogram's type is named differently in @types/node 20 and 24
  readonly #histogram: ReturnType<typeof monitorEventLoopDelay> = monitorEventLoopDelay({ resolution: 10 })

  constructor() {
    this.#histogram.enable()
  }

  /** The p99 and the most since the last call, ms; then starts again. */
  take(): { p99Ms: number, maxMs: number } {
    const figures = this.#histogram.count === 0
      ? { p99Ms: 0, maxMs: 0 }
      : { p99Ms: this.#histogram.percentile(99) / 1e6, maxMs: this.#histogram.max / 1e6 }
    this.#histogram.reset()
    return figures
  }

  stop(): void {
    this.#histogram.disable()
  }
}

/** V8's full collection, from a context made after `--expose-gc` was set: the test process needs no flag. */
let fullGc: (() => void) | undefined

function collectGarbage(): void {
  if (!fullGc) {
    setFlagsFromString('--expose-gc')
    fullGc = runInNewContext('gc') as () => void
  }
  fullGc()
}

/** One reading of the live heap: what a full collection left, at `atMs` (`performance.now()`). */
export interface LiveHeapReading {
  atMs: number
  bytes: number
}

/**
 * The heap that is still alive, read after full collections: the one figure whose slope is a leak.
 * Read between collections, a heap saws up and down with garbage by more than a leak adds in
 * seconds. So this reads it after each full collection V8 makes by itself (a `gc` performance
 * entry), and `collect()` forces one (5 to 10 ms, blocking this thread) where a reading must be.
 */
export class LiveHeap {
  readonly #readings: LiveHeapReading[] = []
  readonly #observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        this.#readings.push({
          atMs: performance.now(),
          bytes: oldGenerationBytes(),
        })
      }
    }
  })

  constructor() {
    this.#observer.observe({
      entryTypes: ['gc'],
    })
  }

  /** Collects all garbage now, and reads what is left. */
  collect(): LiveHeapReading {
    collectGarbage()
    const reading = {
      atMs: performance.now(),
      bytes: oldGenerationBytes(),
    }
    this.#readings.push(reading)
    return reading
  }

  /** Every reading from `fromMs` on, in order. */
  since(fromMs: number): LiveHeapReading[] {
    return this.#readings.filter(reading => reading.atMs >= fromMs).sort((a, b) => a.atMs - b.atMs)
  }

  stop(): void {
    this.#observer.disconnect()
  }
}
