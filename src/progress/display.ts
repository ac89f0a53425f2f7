import type { ProgressListener, ProgressRun } from './channel.js'
import type { ProgressState } from './format.js'
import type { ProgressStart } from './messages.js'
import { formatProgressLine } from './format.js'
import { LineThrottle, PLAIN_LINE_INTERVAL_MS } from './throttle.js'

/** In a terminal, the display is redrawn this often: at least twice a second, as the issue asks. */
export const REDRAW_INTERVAL_MS = 250

/**
 * The part of Vitest's `WindowRenderer` the display joins. That class is private to Vitest (4.1 and
 * 5.x, `src/node/reporters/renderers/windowedRenderer.ts`): it owns the bottom of the terminal,
 * redraws the lines `options.getWindow()` returns, and prints everything else written to stdout
 * and stderr above them. So the display adds its lines to that window instead of writing its own.
 */
export interface VitestWindowRenderer {
  options: { getWindow: () => string[] }
  schedule: () => void
}

function isWindowRenderer(value: unknown): value is VitestWindowRenderer {
  const renderer = value as Partial<VitestWindowRenderer> | null | undefined
  return typeof renderer?.schedule === 'function' && typeof renderer.options?.getWindow === 'function'
}

/**
 * The window of Vitest's own live output among `reporters`, found by shape: the summary of the
 * default reporter (and those built on it: verbose, tree) or the dot reporter's. `undefined`
 * without a terminal, where Vitest draws no window, or when Vitest's internals changed.
 */
export function findWindowRenderer(reporters: readonly unknown[]): VitestWindowRenderer | undefined {
  for (const reporter of reporters) {
    const candidate = reporter as { summary?: { renderer?: unknown }, renderer?: unknown } | null
    for (const renderer of [candidate?.summary?.renderer, candidate?.renderer]) {
      if (isWindowRenderer(renderer))
        return renderer
    }
  }
  return undefined
}

/**
 * Puts progress lines into Vitest's window: under the test files running, before the blank line
 * that opens Vitest's totals (`Test Files`, `Tests`, …); at the end when there is no such line.
 */
export function withProgressLines(window: readonly string[], lines: readonly string[]): string[] {
  if (lines.length === 0)
    return [...window]
  const blank = window.indexOf('', 1)
  const at = blank === -1
    ? window.length
    : blank
  return [
    ...window.slice(0, at),
    ...lines,
    ...window.slice(at),
  ]
}

export interface ProgressDisplayOptions {
  /** Prints a plain line, without a window (Vitest's logger in the reporter). */
  log: (line: string) => void
  /** Colours in the window's lines; plain lines never have any. */
  colors: boolean
  /** @default Date.now */
  now?: () => number
  /** @default globalThis.setInterval and clearInterval */
  timers?: {
    setInterval: (callback: () => void, ms: number) => { unref?: () => unknown }
    clearInterval: (timer: any) => void
  }
  /** @default PLAIN_LINE_INTERVAL_MS (10 s) */
  plainIntervalMs?: number
}

interface DisplayedRun {
  state: ProgressState
  throttle: LineThrottle
}

/**
 * Shows the runs the reporter hears of, in Vitest's main process. With a window of Vitest's
 * (a terminal): one line per run in that window, redrawn every 250 ms while a run is on (the
 * figures change once a second, when a second closes; the elapsed time on every redraw), and
 * gone when the run ends. Without: a plain line per run at most every 10 s, on the logger.
 */
export class ProgressDisplay implements ProgressListener {
  readonly #options: ProgressDisplayOptions
  readonly #now: () => number
  readonly #timers: NonNullable<ProgressDisplayOptions['timers']>
  readonly #runs = new Set<DisplayedRun>()
  #window: VitestWindowRenderer | undefined
  /** Vitest's own `getWindow`, while ours wraps it. */
  #vitestGetWindow: (() => string[]) | undefined
  #redraw: unknown

  constructor(options: ProgressDisplayOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
    this.#timers = options.timers ?? {
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: timer => clearInterval(timer as ReturnType<typeof setInterval>),
    }
  }

  /** Draws into `window` from now on, or prints plain lines when `undefined`. Set at each test run's start. */
  useWindow(window: VitestWindowRenderer | undefined): void {
    if (window === this.#window)
      return
    this.#detach()
    this.#window = window
    if (this.#runs.size > 0)
      this.#attach()
  }

  start(start: ProgressStart): ProgressRun {
    const run: DisplayedRun = {
      state: { start, figures: undefined },
      throttle: new LineThrottle(start.startAtEpochMs, this.#options.plainIntervalMs ?? PLAIN_LINE_INTERVAL_MS),
    }
    this.#runs.add(run)
    this.#attach()
    this.#window?.schedule()
    return {
      update: (figures) => {
        if (!this.#runs.has(run))
          return
        run.state.figures = figures
        const now = this.#now()
        if (!this.#window && run.throttle.due(now))
          this.#options.log(formatProgressLine(run.state, now))
      },
      end: () => {
        if (!this.#runs.delete(run))
          return
        // redrawn without the run's line at once, before Vitest prints the test's result
        this.#window?.schedule()
        if (this.#runs.size === 0)
          this.#detach()
      },
    }
  }

  /** The lines of the runs on, as the window shows them now. */
  lines(): string[] {
    const now = this.#now()
    return [...this.#runs].map(run => `   ${formatProgressLine(run.state, now, { precise: true, colors: this.#options.colors })}`)
  }

  /** Forgets every run and leaves Vitest's window as it was: at the end of a test run, or on close. */
  clear(): void {
    const hadRuns = this.#runs.size > 0
    this.#runs.clear()
    if (hadRuns)
      this.#window?.schedule()
    this.#detach()
  }

  #attach(): void {
    const window = this.#window
    if (!window || this.#vitestGetWindow)
      return
    const vitestGetWindow = window.options.getWindow
    this.#vitestGetWindow = vitestGetWindow
    window.options.getWindow = () => withProgressLines(vitestGetWindow(), this.lines())
    const timer = this.#timers.setInterval(() => window.schedule(), REDRAW_INTERVAL_MS)
    timer.unref?.()
    this.#redraw = timer
  }

  #detach(): void {
    if (this.#redraw !== undefined)
      this.#timers.clearInterval(this.#redraw)
    this.#redraw = undefined
    const window = this.#window
    if (window && this.#vitestGetWindow) {
      window.options.getWindow = this.#vitestGetWindow
      this.#vitestGetWindow = undefined
    }
  }
}
