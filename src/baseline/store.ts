import type { BaselineEnvironment } from './environment.js'
import type { BaselineFigures, BaselineSample } from './sample.js'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The version of the baseline file's shape. */
export const BASELINE_SCHEMA_VERSION = 1

/** The folder beside a test file that holds its baselines, like `__snapshots__`. */
export const BASELINE_DIR = '__baselines__'

/** One stored baseline: a run's figures, and the day they were recorded. */
export interface BaselineEntry extends BaselineSample {
  /** The day the baseline was recorded, `'2026-11-23'` (UTC): the one date in the file. */
  recorded: string
  /**
   * The whole-run figures of each run the baseline holds, the recorded one first: runs that passed
   * on the machine that records are added until there are `MAX_RUNS`, and their spread is what a
   * change is weighed against. Absent in a baseline of an earlier version: its one run.
   */
  runs?: BaselineFigures[]
}

/** A baseline file: every baseline of one test file, by name. */
export interface BaselineFile {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION
  generator: 'vitest-load'
  baselines: Record<string, BaselineEntry>
}

/** `test/users.load.test.ts` → `test/__baselines__/users.load.test.ts.json`. */
export function baselinePathFor(testPath: string): string {
  return join(dirname(testPath), BASELINE_DIR, `${basename(testPath)}.json`)
}

/** A baseline file that cannot be read as one: corrupt JSON, another tool's file, a newer schema. */
export class BaselineFileError extends Error {}

/** Reads a baseline file; `undefined` when it does not exist. */
export function readBaselineFile(path: string): BaselineFile | undefined {
  if (!existsSync(path))
    return undefined
  let value: unknown
  try {
    value = JSON.parse(readFileSync(path, 'utf8'))
  }
  catch (error) {
    throw new BaselineFileError(`${path} is not valid JSON (${(error as Error).message}); fix it, or delete it and run \`npx vitest -u\` to record the baselines again`)
  }
  const file = value as Partial<BaselineFile> | null
  if (typeof file !== 'object' || file === null || file.generator !== 'vitest-load' || typeof file.baselines !== 'object' || file.baselines === null)
    throw new BaselineFileError(`${path} is not a vitest-load baseline file (expected { "generator": "vitest-load", "baselines": {…} })`)
  if (file.schemaVersion !== BASELINE_SCHEMA_VERSION)
    throw new BaselineFileError(`${path} has baseline schema version ${String(file.schemaVersion)}; this version of vitest-load reads version ${BASELINE_SCHEMA_VERSION}. Run \`npx vitest -u\` to record the baselines again`)
  return file as BaselineFile
}

const FIGURES = [
  'p50Ms',
  'p95Ms',
  'p99Ms',
  'throughputPerSec',
  'errorRate',
] as const

/**
 * The baseline stored under `name`, checked field by field: `undefined` when there is none (an
 * inherited name such as `constructor` included); throws `BaselineFileError` for one whose shape is
 * not a baseline's (a hand edit gone wrong).
 */
export function baselineEntry(file: BaselineFile | undefined, name: string, path: string): BaselineEntry | undefined {
  if (!file || !Object.hasOwn(file.baselines, name))
    return undefined
  const entry = file.baselines[name] as Partial<BaselineEntry> | null
  const valid = typeof entry === 'object' && entry !== null
    && typeof entry.load === 'string' && typeof entry.recorded === 'string'
    && typeof entry.summary === 'object' && entry.summary !== null
    && typeof entry.intervals === 'object' && entry.intervals !== null
    && FIGURES.every(figure => typeof entry.summary![figure] === 'number'
      && Array.isArray(entry.intervals![figure])
      && entry.intervals![figure].every(value => value === null || typeof value === 'number'))
  if (!valid)
    throw new BaselineFileError(`${path} holds a baseline "${name}" that is not one (expected load, recorded, summary and intervals of ${FIGURES.join(', ')}); fix it, or run \`npx vitest -u\` to record it again`)
  if (entry.runs !== undefined && !(Array.isArray(entry.runs) && entry.runs.length > 0 && entry.runs.every(run => typeof run === 'object' && run !== null && FIGURES.every(figure => typeof run[figure] === 'number'))))
    throw new BaselineFileError(`${path} holds a baseline "${name}" whose runs are not a list of figures (${FIGURES.join(', ')}); fix it, or run \`npx vitest -u\` to record it again`)
  if (entry.environment !== undefined && !isEnvironment(entry.environment))
    throw new BaselineFileError(`${path} holds a baseline "${name}" whose environment is not one (expected cpu, cpus, os, node and othersBusy); fix it, or run \`npx vitest -u\` to record it again`)
  return entry as BaselineEntry
}

function isEnvironment(value: unknown): value is BaselineEnvironment {
  const environment = value as Partial<BaselineEnvironment> | null
  return typeof environment === 'object' && environment !== null
    && typeof environment.cpu === 'string' && typeof environment.cpus === 'number'
    && typeof environment.os === 'string' && typeof environment.node === 'string'
    && (environment.othersBusy === null || typeof environment.othersBusy === 'number')
}

/** Four significant digits: enough for a tolerance of a few per cent, few enough to read in a diff. */
function round(value: number): number {
  if (value === 0 || !Number.isFinite(value))
    return value
  return Number(value.toPrecision(4))
}

/** Rounds every number, sorts every object's keys: the same figures always make the same text. */
function normalize(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? value
      : round(value)
  }
  if (Array.isArray(value))
    return value.map(normalize)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map(key => [
      key,
      normalize((value as Record<string, unknown>)[key]),
    ]))
  }
  return value
}

/** An object of numbers only, such as one run's figures: one line of the file. */
function isFlatFigures(value: unknown): value is Record<string, number | null> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.values(value).every(item => typeof item === 'number' || item === null)
}

/**
 * JSON with two-space indentation, but a list of numbers on one line, and each run's figures in a
 * list of runs on one line: a baseline reads as a table in a diff, and an added run as one line.
 */
function stringify(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every(item => typeof item === 'number' || item === null))
      return `[${value.map(item => JSON.stringify(item)).join(', ')}]`
    const inner = `${indent}  `
    const line = (item: unknown): string => isFlatFigures(item)
      ? `{ ${Object.entries(item).map(([key, figure]) => `${JSON.stringify(key)}: ${JSON.stringify(figure)}`).join(', ')} }`
      : stringify(item, inner)
    return value.length === 0
      ? '[]'
      : `[\n${value.map(item => `${inner}${line(item)}`).join(',\n')}\n${indent}]`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    const inner = `${indent}  `
    return entries.length === 0
      ? '{}'
      : `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${stringify(item, inner)}`).join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}

/** The text of a baseline file: keys sorted, figures rounded, a final newline. */
export function formatBaselineFile(file: BaselineFile): string {
  return `${stringify(normalize(file))}\n`
}

/** `'2026-11-23'`: the day, in UTC. */
export function recordedDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

/**
 * Stores one baseline in the file at `path`, keeping the others: read, replace, write to a
 * temporary file and rename, so a crash never leaves half a file.
 */
export function writeBaseline(path: string, name: string, entry: BaselineEntry): void {
  const file: BaselineFile = readBaselineFile(path) ?? { schemaVersion: BASELINE_SCHEMA_VERSION, generator: 'vitest-load', baselines: {} }
  file.baselines = { ...file.baselines, [name]: entry }
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, formatBaselineFile(file))
  renameSync(temporary, path)
}
