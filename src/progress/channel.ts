import type { Server, Socket } from 'node:net'
import type { RunOverlap } from '../metrics/overlap.js'
import type { ProgressFigures, ProgressMessage, ProgressStart } from './messages.js'
import { randomBytes } from 'node:crypto'
import { unlinkSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OverlapTracker } from '../metrics/overlap.js'
import { parseOverlapsAnswer, parseProgressMessage } from './messages.js'

/**
 * Environment variable the plugin sets for tests: the path of the socket on which its reporter,
 * in Vitest's main process, listens for live progress.
 */
export const PROGRESS_SOCKET_ENV = 'VITEST_LOAD_PROGRESS_SOCKET'

/** Longer lines are not ours: the connection is dropped. */
const MAX_LINE_CHARS = 64 * 1024
/** The longest a run's end waits for its progress connection to close. */
const CLOSE_LIMIT_MS = 1000
/** The longest a run's end waits for the reporter to name the runs that overlapped it. */
const OVERLAPS_ANSWER_LIMIT_MS = 1000
/** Unix socket paths are limited to 104 bytes on macOS, 108 on Linux. */
const MAX_SOCKET_PATH_CHARS = 100

/**
 * A new path for the progress socket of this Vitest process: a Unix socket in the temporary
 * folder (or `/tmp` when that path would be too long), a named pipe on Windows.
 */
export function newProgressSocketPath(): string {
  const name = `vitest-load-${process.pid}-${randomBytes(6).toString('hex')}`
  if (process.platform === 'win32')
    return `\\\\.\\pipe\\${name}`
  const path = join(tmpdir(), `${name}.sock`)
  return path.length <= MAX_SOCKET_PATH_CHARS
    ? path
    : `/tmp/${name}.sock`
}

/**
 * One run's connection to the reporter, from the test process. Best effort: when nothing listens
 * (no reporter, or it is gone), messages are dropped and the run goes on. The socket is unref'd, so
 * it never keeps a process alive, and `close()` ends it: the reporter then removes the run.
 */
export class ProgressClient {
  readonly #socket: Socket
  /** Settles with the reporter's answer to `end`, or `undefined` once the connection is gone. */
  readonly #answer: Promise<RunOverlap[] | undefined>

  constructor(path: string) {
    this.#socket = createConnection(path)
    this.#socket.unref()
    this.#socket.on('error', () => {
      // no listener on the path, or the reporter went away: the run loses its display, nothing else
    })
    this.#socket.setEncoding('utf8')
    this.#answer = new Promise((resolve) => {
      let pending = ''
      this.#socket.on('data', (chunk: string) => {
        pending += chunk
        let newline = pending.indexOf('\n')
        while (newline !== -1) {
          const answer = parseOverlapsAnswer(pending.slice(0, newline))
          if (answer)
            resolve(answer.overlaps)
          pending = pending.slice(newline + 1)
          newline = pending.indexOf('\n')
        }
        if (pending.length > MAX_LINE_CHARS)
          this.#socket.destroy()
      })
      this.#socket.once('close', () => resolve(undefined))
    })
  }

  send(message: ProgressMessage): void {
    if (!this.#socket.destroyed)
      this.#socket.write(`${JSON.stringify(message)}\n`)
  }

  /**
   * Says the load has stopped and waits (at most a second) for the reporter to name the load tests
   * of other test processes that ran during this one, then closes. `[]` when nothing answered: no
   * reporter, or one from before overlaps were tracked.
   */
  async finish(): Promise<RunOverlap[]> {
    let limit: NodeJS.Timeout | undefined
    try {
      if (this.#socket.destroyed)
        return []
      this.send({ type: 'end' })
      const overlaps = await Promise.race([
        this.#answer,
        new Promise<undefined>((resolve) => {
          limit = setTimeout(resolve, OVERLAPS_ANSWER_LIMIT_MS, undefined)
        }),
      ])
      return overlaps ?? []
    }
    finally {
      clearTimeout(limit)
      await this.close()
    }
  }

  /** Ends the connection; resolves once the socket is closed, so no handle is left behind. */
  close(): Promise<void> {
    const socket = this.#socket
    if (socket.closed)
      return Promise.resolve()
    return new Promise((resolve) => {
      // a local socket connects or fails at once, so this waits for nothing but the last writes;
      // should it wait longer (a stalled reporter), the run does not wait with it
      const limit = setTimeout(() => socket.destroy(), CLOSE_LIMIT_MS)
      socket.once('close', () => {
        clearTimeout(limit)
        resolve()
      })
      if (socket.destroyed)
        socket.destroy()
      else
        socket.end(() => socket.destroy())
    })
  }
}

/** Where the server hands the runs it hears of: the display. */
export interface ProgressListener {
  start: (start: ProgressStart) => ProgressRun
}

/** One run on the display: updated once a second, ended when its connection closes. */
export interface ProgressRun {
  update: (figures: ProgressFigures) => void
  end: () => void
}

/** Options of `ProgressServer`. */
export interface ProgressServerOptions {
  /** How a test file's absolute path is named to other runs: relative to the Vitest root. @default the path as sent */
  fileName?: (path: string) => string
  /** @default Date.now */
  now?: () => number
}

/**
 * Listens on `path` in Vitest's main process: one connection per run, newline-terminated JSON
 * messages (a `start`, then `update`s, then `end`); a run ends when its connection closes, however
 * the test ended, even when its process died. It also tracks which runs were in progress at the
 * same time, and answers a run's `end` with the runs of other test processes that overlapped it.
 * Unref'd: it never keeps Vitest alive.
 */
export class ProgressServer {
  /** Resolves once listening, or with the error that prevented it (the display is then off). */
  readonly listening: Promise<Error | undefined>
  readonly #server: Server
  readonly #connections = new Set<Socket>()
  readonly #overlaps = new OverlapTracker()
  readonly #fileName: (path: string) => string
  readonly #now: () => number
  /** Stops the watch that removes the socket file should the process end without `close()`. */
  #removeOnExit = (): void => {}

  constructor(path: string, listener: ProgressListener, options: ProgressServerOptions = {}) {
    this.#fileName = options.fileName ?? (file => file)
    this.#now = options.now ?? Date.now
    this.#server = createServer(socket => this.#accept(socket, listener))
    this.listening = new Promise((resolve) => {
      // resolving twice is a no-op: an error after listening only loses the display
      this.#server.on('error', error => resolve(error))
      this.#server.listen(path, () => {
        this.#removeOnExit = watchExit(path)
        resolve(undefined)
      })
    })
    this.#server.unref()
  }

  /** Stops listening (the socket file is removed) and drops every connection. */
  close(): Promise<void> {
    this.#removeOnExit()
    for (const socket of this.#connections)
      socket.destroy()
    return new Promise(resolve => this.#server.close(() => resolve()))
  }

  #accept(socket: Socket, listener: ProgressListener): void {
    socket.unref()
    this.#connections.add(socket)
    socket.setEncoding('utf8')
    let run: ProgressRun | undefined
    let tracked: number | undefined
    let pending = ''
    socket.on('data', (chunk: string) => {
      pending += chunk
      let newline = pending.indexOf('\n')
      while (newline !== -1) {
        const message = parseProgressMessage(pending.slice(0, newline))
        pending = pending.slice(newline + 1)
        if (message?.type === 'start' && !run) {
          const { type: _type, ...start } = message
          run = listener.start(start)
          // from the load's common start, as the test process counts its own runs
          tracked = this.#overlaps.start({
            name: start.name,
            ...(start.file !== undefined && {
              file: this.#fileName(start.file),
            }),
            ...(start.group !== undefined && { group: start.group }),
          }, start.startAtEpochMs)
        }
        else if (message?.type === 'end' && tracked !== undefined) {
          const overlaps = this.#overlaps.end(tracked, this.#now())
          tracked = undefined
          if (!socket.destroyed)
            socket.write(`${JSON.stringify({ type: 'overlaps', overlaps })}\n`)
        }
        else if (message?.type === 'update') {
          const { type: _type, ...figures } = message
          run?.update(figures)
        }
        newline = pending.indexOf('\n')
      }
      if (pending.length > MAX_LINE_CHARS)
        socket.destroy()
    })
    socket.on('error', () => {
      // a test process that died: 'close' follows and ends its run
    })
    socket.on('close', () => {
      this.#connections.delete(socket)
      // a run whose process died before its end still overlapped those that ran beside it
      if (tracked !== undefined)
        this.#overlaps.end(tracked, this.#now())
      tracked = undefined
      run?.end()
      run = undefined
    })
  }
}

/**
 * Removes the socket file at `path` when the process ends without closing the server. Vitest ends
 * on SIGINT (Ctrl-C) and SIGTERM with `process.exit()` (its logger's cleanup), so `exit` covers
 * both, and Vitest exits as it would have. SIGHUP has no handler in Vitest and would end the
 * process with no `exit` event: the file is removed, then the signal raised again, unless another
 * listener has taken it over. Named pipes (Windows) leave no file. Returns the function that stops
 * watching, for a server closed in the ordinary way (which removes the file itself).
 */
function watchExit(path: string): () => void {
  if (process.platform === 'win32')
    return () => {}
  const remove = (): void => {
    try {
      unlinkSync(path)
    }
    catch {
      // already gone
    }
  }
  const onHangup = (): void => {
    remove()
    process.off('exit', remove)
    if (process.listenerCount('SIGHUP') === 0)
      process.kill(process.pid, 'SIGHUP')
  }
  process.once('exit', remove)
  process.once('SIGHUP', onHangup)
  return () => {
    process.off('exit', remove)
    process.off('SIGHUP', onHangup)
  }
}
