import { testNamesRun } from './labels.js'

const MAX_STEM_LENGTH = 120

/** `'GET /users/[id]'` → `'get-users-id'`: lower-case letters and digits, words joined by `-`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** FNV-1a, 32 bits, as 8 hex digits: a short name for a long text that is the same on every run. */
function shortHash(text: string): string {
  let hash = 0x811C9DC5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}

/**
 * The file name, without extension, of one run's reports: the test file (without `.test.ts`), the
 * test's full name and, when that does not end with it, the run's name. The same on every run, so a
 * report replaces its previous version:
 * `('test/users.load.test.ts', 'GET /users')` → `'test-users-load--get-users'`.
 * A stem longer than 120 characters is cut, and a hash of the whole keeps it unique.
 */
export function reportFileStem(file: string | null, testName: string | null, runName: string): string {
  const fileStem = file === null
    ? ''
    : slugify(file.replace(/\.[cm]?[jt]sx?$/, '').replace(/[.-](?:test|spec)$/, ''))
  const parts = [
    fileStem,
    slugify(testName ?? ''),
    testName !== null && testNamesRun(testName, runName)
      ? ''
      : slugify(runName),
  ].filter(part => part !== '')
  const stem = parts.join('--') || 'load-test'
  if (stem.length <= MAX_STEM_LENGTH)
    return stem
  return `${stem.slice(0, MAX_STEM_LENGTH - 9).replace(/-+$/, '')}-${shortHash(`${file}\0${testName}\0${runName}`)}`
}

/**
 * The file stems given out in one Vitest run (or one test process): two runs that would share a
 * stem get `-2`, `-3`, in the order they ask.
 */
export class ReportStems {
  readonly #given = new Set<string>()

  /** A stem no run has had from this registry: `stem`, else `stem-2`, `stem-3`… */
  unique(stem: string): string {
    let unique = stem
    for (let n = 2; this.#given.has(unique); n++)
      unique = `${stem}-${n}`
    this.#given.add(unique)
    return unique
  }

  /** Gives `stem` back: the next run that asks for it may have it. */
  release(stem: string): void {
    this.#given.delete(stem)
  }
}
