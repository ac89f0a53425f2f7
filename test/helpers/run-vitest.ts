import type { ChildProcess } from 'node:child_process'
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const fixturesDir = join(repoRoot, 'test/fixtures')

/**
 * Installs the package as a user gets it: `npm pack` of the built package, unpacked into
 * test/fixtures/node_modules/vitest-load. Only the files the package publishes are there, and
 * dependencies resolve upwards to this repository's node_modules, as hoisting would have them.
 */
export function installPackedPackage(): void {
  if (!existsSync(join(repoRoot, 'dist/index.js')))
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' })
  const packDir = mkdtempSync(join(tmpdir(), 'vitest-load-pack-'))
  try {
    const output = execFileSync('npm', [
      'pack',
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      packDir,
    ], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const [{ filename }] = JSON.parse(output) as [{ filename: string }]
    const target = join(fixturesDir, 'node_modules/vitest-load')
    rmSync(target, { recursive: true, force: true })
    mkdirSync(target, { recursive: true })
    execFileSync('tar', [
      '-xzf',
      join(packDir, filename),
      '-C',
      target,
      '--strip-components=1',
    ])
  }
  finally {
    rmSync(packDir, { recursive: true, force: true })
  }
}

export interface VitestResult {
  exitCode: number | null
  /** stdout and stderr without colour codes (Vitest colours its own output in CI too). */
  output: string
  /** stdout and stderr as printed. */
  rawOutput: string
}

/** Runs `vitest run` in fixture project `name`, as CI would: CI=true, no terminal. */
export async function runVitest(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<VitestResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    ...env,
  }
  // colour follows the environment, as in a user's CI: nothing forced either way
  delete childEnv.FORCE_COLOR
  delete childEnv.NO_COLOR
  // a fixture's Markdown must never land in the job summary of the CI that runs these tests
  if (env.GITHUB_STEP_SUMMARY === undefined)
    delete childEnv.GITHUB_STEP_SUMMARY
  const child = spawn(process.execPath, [
    join(repoRoot, 'node_modules/vitest/vitest.mjs'),
    'run',
    ...args,
  ], {
    cwd: join(fixturesDir, name),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => output += chunk)
  child.stderr.on('data', (chunk: Buffer) => output += chunk)
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const [exitCode] = await once(child, 'exit') as [number | null]
  clearTimeout(killer)
  return {
    exitCode,
    output: stripVTControlCharacters(output),
    rawOutput: output,
  }
}

/** The size of the pseudo-terminal `runVitestInTerminal` gives Vitest. */
export const TERMINAL = { columns: 120, rows: 40 }

/** Variables by which Vitest (std-env) decides it runs in CI, where it draws no live window. */
const CI_VARIABLES = [
  'CI',
  'CONTINUOUS_INTEGRATION',
  'BUILD_NUMBER',
  'RUN_ID',
  'GITHUB_ACTIONS',
  'GITLAB_CI',
  'BUILDKITE',
  'CIRCLECI',
  'TRAVIS',
  'JENKINS_URL',
  'TF_BUILD',
]

function shellQuote(text: string): string {
  return `'${text.replaceAll('\'', `'\\''`)}'`
}

/** A developer's terminal: `TERM` set, no CI variable, no colour override, no step summary. */
function terminalEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TERM: 'xterm-256color',
    ...env,
  }
  for (const variable of [
    ...CI_VARIABLES,
    'FORCE_COLOR',
    'NO_COLOR',
    'GITHUB_STEP_SUMMARY',
  ])
    delete childEnv[variable]
  return childEnv
}

/** `node vitest.mjs <command> …args`, quoted for a shell. */
function vitestCommand(command: 'run' | 'watch', args: string[]): string {
  return [
    process.execPath,
    join(repoRoot, 'node_modules/vitest/vitest.mjs'),
    command,
    ...args,
  ].map(shellQuote).join(' ')
}

/**
 * Runs `shellCommand` in fixture project `name` under a real pseudo-terminal (util-linux `script`)
 * and keeps every byte the terminal receives (as bytes: a character such as ❯ may be split between
 * two chunks). `stdin: 'pipe'` lets a test type into the terminal. A guard kills it after 120 s.
 */
function spawnInTerminal(name: string, shellCommand: string, env: Record<string, string>, stdin: 'ignore' | 'pipe'): StartedVitest & { rawOutput: () => string } {
  // -q: no "Script started" lines, -f: flush as it comes, -e: the command's exit code, -c: the command
  const child = spawn('script', ['-qfec', shellCommand, '/dev/null'], {
    cwd: join(fixturesDir, name),
    env: terminalEnv(env),
    stdio: [stdin, 'pipe', 'pipe'],
  })
  const chunks: Buffer[] = []
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  // 'close', not 'exit': every byte of the terminal's output has arrived by then
  const exited = once(child, 'close').then(([exitCode, signal]) => {
    clearTimeout(killer)
    return { exitCode: exitCode as number | null, signal: signal as NodeJS.Signals | null }
  })
  const rawOutput = (): string => Buffer.concat(chunks).toString('utf8')
  return {
    child,
    rawOutput,
    output: () => stripVTControlCharacters(rawOutput()),
    exited,
  }
}

/**
 * Runs `vitest run` in fixture project `name` under a real pseudo-terminal, as a developer would:
 * `script` gives it a terminal of TERMINAL's size, and no CI variable is set, so Vitest draws its
 * live window. Returns every byte the terminal received.
 */
export async function runVitestInTerminal(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<VitestResult> {
  const started = spawnInTerminal(name, `stty cols ${TERMINAL.columns} rows ${TERMINAL.rows} && exec ${vitestCommand('run', args)}`, env, 'ignore')
  const { exitCode } = await started.exited
  return {
    exitCode,
    output: started.output(),
    rawOutput: started.rawOutput(),
  }
}

/** A `vitest run` still going: its process, the output so far, and its end. */
export interface StartedVitest {
  child: ChildProcess
  output: () => string
  /** Its exit code, or the signal that ended it. */
  exited: Promise<{ exitCode: number | null, signal: NodeJS.Signals | null }>
}

/**
 * Starts `vitest run` in fixture project `name` as `runVitest` does (CI=true, piped output), but
 * returns at once, for tests that act on the process while it runs. A guard kills it after 120 s.
 */
export function startVitest(name: string, args: string[] = [], env: Record<string, string> = {}): StartedVitest {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    ...env,
  }
  delete childEnv.FORCE_COLOR
  delete childEnv.NO_COLOR
  delete childEnv.GITHUB_STEP_SUMMARY
  const child = spawn(process.execPath, [
    join(repoRoot, 'node_modules/vitest/vitest.mjs'),
    'run',
    ...args,
  ], {
    cwd: join(fixturesDir, name),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => output += chunk)
  child.stderr.on('data', (chunk: Buffer) => output += chunk)
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const exited = once(child, 'exit').then(([exitCode, signal]) => {
    clearTimeout(killer)
    return { exitCode: exitCode as number | null, signal: signal as NodeJS.Signals | null }
  })
  return {
    child,
    output: () => stripVTControlCharacters(output),
    exited,
  }
}

/**
 * Starts Vitest in watch mode (or `command`) in fixture project `name` under a real
 * pseudo-terminal, as a developer would (see `runVitestInTerminal`), and returns at once: `type`
 * sends keys to it (Vitest watch reads them raw, so Ctrl-C arrives as a key, not a signal; in
 * `vitest run` the terminal turns Ctrl-C into SIGINT to the whole process group). A guard kills it
 * after 120 s.
 */
export function startVitestInTerminal(name: string, args: string[] = [], command: 'watch' | 'run' = 'watch', env: Record<string, string> = {}): StartedVitest & { type: (keys: string) => void } {
  const vitest = vitestCommand(command, args)
  // `vitest run`: the shell stays, as a developer's does, so the terminal outlives Vitest and shows
  // what its test processes print after it; bash, not stopped by a SIGINT its child handled, waits
  // a moment before it ends the session (script ends 10 ms after its child ends)
  const shellCommand = command === 'run'
    ? `exec bash -c ${shellQuote(`stty cols ${TERMINAL.columns} rows ${TERMINAL.rows} && ${vitest}; sleep 3`)}`
    : `stty cols ${TERMINAL.columns} rows ${TERMINAL.rows} && exec ${vitest}`
  const started = spawnInTerminal(name, shellCommand, env, 'pipe')
  return {
    child: started.child,
    output: started.output,
    exited: started.exited,
    type: keys => started.child.stdin!.write(keys),
  }
}
