import { createRequire } from 'node:module'
import { stripVTControlCharacters } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { installPackedPackage, runVitest, runVitestInTerminal, TERMINAL } from '../helpers/run-vitest.js'

// a CommonJS module whose typings declare named exports only: Node gives ESM just a default
const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof import('@xterm/headless')

beforeAll(() => installPackedPackage())

/** Vitest's WindowRenderer opens each redraw of its window with this (synchronized output). */
const SYNC_START = '\u001B[?2026h'
/** A progress line with every field, as the window shows it (tenths of a second) or CI prints it. */
const FULL_LINE = /vitest-load {2}GET \/progress {2}(\d+(?:\.\d)?) s \/ (\d+) s {2}\d+ users? {2}[\d.,]+ req\/s {2}p95 [\d.,]+ (?:µs|ms|s) {2}errors \d+ \([\d.]+ %\)/
/** Any progress line of the fixture's load test, before or after its first second closed. */
const ANY_LINE = /vitest-load {2}GET \/progress {2}(\d+(?:\.\d)?) s \/ \d+ s/

/** What a terminal of TERMINAL's size shows after `raw`, scrollback included, line by line. */
async function screenAfter(raw: string): Promise<string[]> {
  const terminal = new Terminal({
    cols: TERMINAL.columns,
    rows: TERMINAL.rows,
    scrollback: 10_000,
    allowProposedApi: true,
  })
  // xterm wants \r\n; the pseudo-terminal already turned each \n into one
  await new Promise<void>(resolve => terminal.write(raw, resolve))
  const buffer = terminal.buffer.active
  const lines = Array.from({ length: buffer.length }, (_, index) => buffer.getLine(index)?.translateToString(true) ?? '')
  terminal.dispose()
  while (lines.at(-1) === '')
    lines.pop()
  return lines
}

describe('live progress in a terminal (a real pseudo-terminal, Vitest\'s default reporter)', () => {
  it('draws the line in Vitest\'s window at least twice a second and leaves no trace of it', async () => {
    const { exitCode, rawOutput } = await runVitestInTerminal('progress', [], { PROGRESS_SECONDS: '3' })
    expect(exitCode, rawOutput).toBe(0)

    // each redraw of Vitest's window is one frame; the elapsed time each frame showed
    const frames = rawOutput.split(SYNC_START).slice(1).map(frame => stripVTControlCharacters(frame))
    const elapsed = frames.map(frame => ANY_LINE.exec(frame)?.[1]).filter(value => value !== undefined).map(Number)
    expect(frames.some(frame => FULL_LINE.test(frame)), rawOutput).toBe(true)
    expect(frames.find(frame => FULL_LINE.test(frame))!.match(FULL_LINE)![2]).toBe('3')
    // a 3 s load test: 2 frames or more in each whole second it ran
    expect(elapsed.at(-1)! - elapsed[0]!).toBeGreaterThanOrEqual(2.5)
    for (let second = Math.ceil(elapsed[0]!); second + 1 <= elapsed.at(-1)!; second++)
      expect(elapsed.filter(value => value >= second && value < second + 1).length, `frames in second ${second}: ${elapsed.join(', ')}`).toBeGreaterThanOrEqual(2)

    // the screen once Vitest is done: its own output, whole, and no progress line left
    const screen = await screenAfter(rawOutput)
    expect(screen.filter(line => ANY_LINE.test(line))).toEqual([])
    expect(screen.filter(line => /^ Test Files {2}1 passed \(1\)$/.test(line))).toHaveLength(1)
    expect(screen.filter(line => /^ {6}Tests {2}1 passed \(1\)$/.test(line))).toHaveLength(1)
    expect(screen).toContainEqual(expect.stringMatching(/^ ✓ progress\.load\.test\.ts \(1 test\) \d+ms$/))
    // the load reporter's summary, printed above Vitest's window as the test ended
    expect(screen).toContainEqual(expect.stringMatching(/^GET \/progress {2}2 users for 3 s · 2 workers? · http:\/\/127\.0\.0\.1:\d+ · /))
  })
})

describe('live progress without a terminal (CI=true, piped output)', () => {
  it('prints a plain line per load test at most every 10 s: one for an 11 s test', async () => {
    const { exitCode, output, rawOutput } = await runVitest('progress', [], { PROGRESS_SECONDS: '11' })
    expect(exitCode, output).toBe(0)

    const lines = output.split('\n').filter(line => line.includes('vitest-load  GET /progress'))
    expect(lines, output).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^${FULL_LINE.source}$`))
    const [, elapsed, planned] = FULL_LINE.exec(lines[0]!)!
    expect(Number(elapsed)).toBeGreaterThanOrEqual(10)
    expect(planned).toBe('11')
    // a line of its own: nothing redrawn, nothing erased
    expect(rawOutput).not.toContain('\u001B[1A')
    expect(rawOutput).not.toContain('\u001B[K')
  })
})
