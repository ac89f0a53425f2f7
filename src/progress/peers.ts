import type { Server, Socket } from 'node:net'
import type { RunOverlap } from '../metrics/overlap.js'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'

/** Every socket of a run in progress is named `\0vitest-load-run.<group>.<startMs>.<random>`. */
const PREFIX = 'vitest-load-run.'
/** Where Linux lists every Unix socket of its network namespace, abstract ones with a leading `@`. */
const UNIX_SOCKETS = '/proc/net/unix'
/** The longest a peer is given to tell its name and file. */
const LOOKUP_LIMIT_MS = 500
/** A peer that told more than this is not ours. */
const MAX_ANSWER_CHARS = 4096

/** The `file` of a run of another process that did not say its test file (a plain script, or gone before it answered). */
export const ANOTHER_PROCESS = '(another process)'

/** What a run tells the runs of other test processes that find it. */
export interface PeerInfo {
  name: string
  /** Its test file, relative to the working directory. */
  file?: string
}

interface Peer {
  startMs: number
  lastSeenMs: number
  info: Promise<PeerInfo | undefined>
}

/**
 * Finds the load tests of other test processes running at the same time, without the plugin's
 * reporter and without a file: each run in progress listens on a Linux *abstract* Unix socket,
 * which the kernel frees when the socket closes or the process dies (even by SIGKILL), so nothing
 * is left behind. Once a second the run reads the list of sockets (`/proc/net/unix`), notes which
 * other runs are there, and asks each new one its name and file once. Linux only (`available`):
 * elsewhere a run sees only the runs of its own test file.
 *
 * The overlap ends when a run last saw the other, so it is known to about a second.
 */
export class PeerRuns {
  static available(): boolean {
    return process.platform === 'linux'
  }

  readonly #group: string
  readonly #prefix: string
  readonly #startMs: number
  readonly #now: () => number
  readonly #server: Server
  readonly #socketName: string
  readonly #peers = new Map<string, Peer>()
  /** What this run says to a run it asks: its name and file, and its socket's name. */
  readonly #hello: string
  #scanning: Promise<unknown> | undefined

  /**
   * Listens at once; `group` is the id of this test file's own tracker, whose runs are not peers.
   * `prefix` (tests only) sets the runs apart from every other run on the machine.
   */
  constructor(info: PeerInfo & { group: string, startMs: number, prefix?: string }, now: () => number = Date.now) {
    this.#group = info.group.replaceAll(/[^\w-]/g, '')
    this.#prefix = info.prefix ?? PREFIX
    this.#startMs = Math.round(info.startMs)
    this.#now = now
    this.#socketName = `${this.#prefix}${this.#group}.${this.#startMs}.${randomBytes(4).toString('hex')}`
    const self: PeerInfo = {
      name: info.name,
      ...(info.file !== undefined && { file: info.file }),
    }
    this.#hello = `${JSON.stringify({ ...self, socket: this.#socketName })}\n`
    this.#server = createServer((socket) => {
      socket.on('error', () => {})
      socket.setEncoding('utf8')
      // the asking run says who it is: this run learns of it even if none of its own scans does
      readLine(socket).then((line) => {
        const hello = parseHello(line)
        if (hello)
          this.#note(hello.socket, this.#now(), Promise.resolve(hello.info))
      }, () => {})
      socket.end(`${JSON.stringify(self)}\n`)
    })
    this.#server.on('error', () => {
      // another process cannot find this run: it marks less, and this run goes on
    })
    this.#server.listen(`\0${this.#socketName}`)
    this.#server.unref()
  }

  /** Notes the runs of other processes there now, in the background; at most one scan at a time. */
  scan(): Promise<unknown> {
    this.#scanning ??= this.#scan().finally(() => this.#scanning = undefined)
    return this.#scanning
  }

  /** A last scan, then stops listening: the other runs that were in progress during this one. */
  async finish(): Promise<RunOverlap[]> {
    await this.#scanning
    const endMs = this.#now()
    const present = await this.#scan()
    await new Promise<void>(resolve => this.#server.close(() => resolve()))
    const overlaps: RunOverlap[] = []
    for (const [socketName, peer] of this.#peers) {
      const to = present.has(socketName)
        ? endMs
        : peer.lastSeenMs
      const ms = Math.round(to - Math.max(this.#startMs, peer.startMs))
      const info = await peer.info
      // a run of another process always has a `file`: no file means the same test file in the reports
      if (ms > 0)
        overlaps.push({ name: info?.name ?? 'a load test', file: info?.file ?? ANOTHER_PROCESS, ms })
    }
    return overlaps
  }

  async #scan(): Promise<Set<string>> {
    const present = new Set<string>()
    let table: string
    try {
      table = await readFile(UNIX_SOCKETS, 'utf8')
    }
    catch {
      return present
    }
    const nowMs = this.#now()
    for (const line of table.split('\n')) {
      const at = line.indexOf(` @${this.#prefix}`)
      if (at === -1)
        continue
      // the name as Node pads it: NUL bytes, which the list shows as '@'
      const socketName = line.slice(at + 2).replace(/@+$/, '')
      if (present.has(socketName) || !this.#note(socketName, nowMs))
        continue
      present.add(socketName)
    }
    return present
  }

  /**
   * Notes that run `socketName` was there at `nowMs`; asks it who it is the first time, unless
   * that is already known. `false` for a socket that is not a peer (this file's group, or not ours).
   */
  #note(socketName: string, nowMs: number, known?: Promise<PeerInfo | undefined>): boolean {
    const [group, startMs] = socketName.slice(this.#prefix.length).split('.')
    if (!socketName.startsWith(this.#prefix) || group === this.#group || !/^\d+$/.test(startMs ?? ''))
      return false
    const peer = this.#peers.get(socketName)
    if (peer) {
      peer.lastSeenMs = Math.max(peer.lastSeenMs, nowMs)
    }
    else {
      this.#peers.set(socketName, {
        startMs: Number(startMs),
        lastSeenMs: nowMs,
        info: known ?? lookUp(socketName, this.#hello),
      })
    }
    return true
  }
}

/** The first line a socket sends (at most MAX_ANSWER_CHARS), or what it sent before it ended. */
function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    socket.on('data', (chunk: string) => {
      text += chunk
      const newline = text.indexOf('\n')
      if (newline !== -1 || text.length > MAX_ANSWER_CHARS) {
        resolve(newline === -1
          ? text
          : text.slice(0, newline))
      }
    })
    socket.on('end', () => resolve(text))
    socket.on('close', () => resolve(text))
  })
}

function parseHello(line: string): { socket: string, info: PeerInfo } | undefined {
  const info = parsePeerInfo(line)
  try {
    const socket = (JSON.parse(line) as { socket?: unknown }).socket
    return info && typeof socket === 'string'
      ? { socket, info }
      : undefined
  }
  catch {
    return undefined
  }
}

/** Says who this run is (`hello`) and asks a peer its name and file: one JSON line, then it closes. */
function lookUp(socketName: string, hello: string): Promise<PeerInfo | undefined> {
  return new Promise((resolve) => {
    const socket: Socket = createConnection(`\0${socketName}`)
    socket.unref()
    socket.end(hello)
    socket.setEncoding('utf8')
    let text = ''
    let limit: NodeJS.Timeout | undefined
    const done = (info: PeerInfo | undefined): void => {
      clearTimeout(limit)
      socket.destroy()
      resolve(info)
    }
    limit = setTimeout(done, LOOKUP_LIMIT_MS, undefined)
    socket.on('error', () => done(undefined))
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.length > MAX_ANSWER_CHARS)
        done(undefined)
    })
    socket.on('end', () => done(parsePeerInfo(text)))
  })
}

function parsePeerInfo(text: string): PeerInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<PeerInfo> | null
    if (typeof value?.name !== 'string' || (value.file !== undefined && typeof value.file !== 'string'))
      return undefined
    return {
      name: value.name,
      ...(value.file !== undefined && { file: value.file }),
    }
  }
  catch {
    return undefined
  }
}
