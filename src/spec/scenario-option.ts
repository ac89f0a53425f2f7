import type { ScenarioSpec } from './spec.js'
import { basename, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describeValue } from './describe-value.js'

const EXAMPLE = `scenario: new URL('./users.scenario.ts', import.meta.url)`
/** What a worker can import: JavaScript, or TypeScript (types stripped by Node, or compiled by tsx). */
const MODULE_EXTENSION = /\.(?:[cm]?js|[cm]?ts)$/i

/**
 * Checks `options.scenario` and what goes with it: a module path instead of `request`, and a
 * `target` for the scenario's `ctx.http`. Pushes every problem; returns the module's location when
 * the path itself is usable. The file is not read here: workers load it, and a missing or broken
 * module fails the test with `ScenarioLoadError` before any load.
 */
export function validateScenarioOption(options: { scenario?: unknown, request?: unknown, target?: unknown }, problems: string[]): ScenarioSpec | undefined {
  if (options.request !== undefined) {
    problems.push(`request and scenario cannot both be set: a scenario module sends its own requests with ctx.http. `
      + `Remove request to run the scenario, or remove scenario to send one declarative request`)
  }
  if (options.target === undefined)
    problems.push(`target is required with scenario: the base URL that ctx.http sends requests to, got \`undefined\`. Example: target: 'http://127.0.0.1:3000'`)
  const url = toFileUrl(options.scenario)
  if (!url) {
    problems.push(`scenario must be a file: URL or a path to a scenario module, got ${describeValue(options.scenario)}. Example: ${EXAMPLE}`)
    return undefined
  }
  const file = fileURLToPath(url)
  if (!MODULE_EXTENSION.test(file)) {
    problems.push(`scenario must be a JavaScript or TypeScript module (.js, .mjs, .cjs, .ts, .mts or .cts), got ${describeValue(file)}. Example: ${EXAMPLE}`)
    return undefined
  }
  return { url: url.href, file }
}

/** The name a run of `scenario` gets when nothing else names it: the module's file name. */
export function scenarioRunName(scenario: ScenarioSpec): string {
  return basename(scenario.file)
}

function toFileUrl(raw: unknown): URL | undefined {
  try {
    // a URL object (also one from another realm), a 'file:' URL as text, or a path
    const href = typeof raw === 'object' && raw !== null && typeof (raw as URL).href === 'string'
      ? (raw as URL).href
      : typeof raw === 'string' && raw.trim() !== '' && /^file:/i.test(raw)
        ? raw
        : undefined
    const url = href !== undefined
      ? new URL(href)
      : typeof raw === 'string' && raw.trim() !== ''
        ? pathToFileURL(resolve(raw))
        : undefined
    // fileURLToPath throws for a file URL with a host, which no worker could import either
    return url?.protocol === 'file:' && fileURLToPath(url) !== ''
      ? url
      : undefined
  }
  catch {
    return undefined
  }
}
