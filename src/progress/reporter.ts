import type { Reporter, Vitest } from 'vitest/node'
import { relative, sep } from 'node:path'
import chalk from 'chalk'
import { ProgressServer } from './channel.js'
import { findWindowRenderer, ProgressDisplay } from './display.js'

/**
 * Shows the live progress of load tests in Vitest's main process: listens on the socket whose path
 * the plugin gives the tests (`VITEST_LOAD_PROGRESS_SOCKET`) and draws each running load test in
 * Vitest's own window on a terminal, or prints a plain line at most every 10 s without one. It sees
 * every run of every test file start and end, so it also tells each run which load tests of other
 * test files ran at the same time (`LoadRun.overlaps`).
 * Added by `vitestLoad()` unless `progress: false`.
 */
export class ProgressReporter implements Reporter {
  readonly socketPath: string
  #vitest: Vitest | undefined
  #display: ProgressDisplay | undefined
  #server: ProgressServer | undefined
  #warned = false

  constructor(socketPath: string) {
    this.socketPath = socketPath
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    const display = new ProgressDisplay({
      log: line => vitest.logger.log(line),
      colors: chalk.level > 0,
    })
    this.#display = display
    // runs that overlap name each other's test file as the reports do: relative to the root, with `/`
    this.#server = new ProgressServer(this.socketPath, display, {
      fileName: file => relative(vitest.config.root, file).split(sep).join('/'),
    })
    vitest.onClose(async () => {
      display.clear()
      await this.#server?.close()
    })
  }

  async onTestRunStart(): Promise<void> {
    // `reporters` is internal to Vitest (4.1 and 5.x); found by shape, or plain lines
    const reporters = (this.#vitest as unknown as { reporters?: unknown }).reporters
    this.#display?.useWindow(Array.isArray(reporters)
      ? findWindowRenderer(reporters)
      : undefined)
    const error = await this.#server?.listening
    if (error && !this.#warned) {
      this.#warned = true
      this.#vitest?.logger.warn(`vitest-load: no live progress, could not listen on ${this.socketPath}: ${error.message}`)
    }
  }

  onTestRunEnd(): void {
    this.#display?.clear()
  }
}
