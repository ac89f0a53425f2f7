import type { ScenarioSpec } from '../spec/spec.js'
import type { CheckedScenario } from './check-scenario.js'
import { existsSync } from 'node:fs'
import { ScenarioLoadError } from '../errors.js'
import { checkScenarioModule } from './check-scenario.js'

const TYPESCRIPT = /\.[cm]?ts$/i

/**
 * Whether this Node strips TypeScript types by itself: 22.18 and later, 23.6 and later, 24. Node 20
 * (and 22 before 22.18, without a flag) does not, and `process.features.typescript` is then absent
 * or false.
 */
export function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false }
  return typeof features.typescript === 'string' && features.typescript !== ''
}

/**
 * Imports a module: TypeScript through tsx when this Node cannot strip types itself. `tsImport`
 * compiles this module and what it imports only, without a loader for the whole thread, and tsx is
 * imported only then, so on a Node with type stripping (or for JavaScript) it is never loaded.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.test(new URL(url).pathname) && !nodeStripsTypes()) {
    const { tsImport } = await import('tsx/esm/api')
    return await tsImport(url, import.meta.url) as Record<string, unknown>
  }
  return await import(url) as Record<string, unknown>
}

/** `SyntaxError: Unexpected token '}'`, with where Node or tsx says it is when the message does not. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error))
    return `it threw ${String(error)}`
  // esbuild (through tsx) says 'Transform failed with 1 error:' and puts the error on the next line
  const lines = error.message.split('\n').filter(line => line.trim() !== '')
  const first = `${error.name}: ${lines[0]?.endsWith(':') && lines[1] !== undefined
    ? `${lines[0]} ${lines[1]}`
    : lines[0] ?? ''}`
  // Node puts the place of an ESM syntax error on the first line of the stack, not in the message
  const place = error.name === 'SyntaxError'
    ? /^(file:\/\/\S+:\d+)$/m.exec(error.stack ?? '')?.[1]
    : undefined
  return place
    ? `${first} (at ${place})`
    : first
}

/**
 * Imports and checks the scenario module of a run, once per worker before it reports ready.
 * Throws `ScenarioLoadError` naming the file, with the original error as `cause`, when the file is
 * missing, does not compile, throws while it loads, or does not export a scenario by default.
 */
export async function loadScenario(spec: ScenarioSpec): Promise<CheckedScenario> {
  if (!existsSync(spec.file))
    throw new ScenarioLoadError(spec.file, ['the file does not exist'])
  let module: Record<string, unknown>
  try {
    module = await importModule(spec.url)
  }
  catch (error) {
    throw new ScenarioLoadError(spec.file, [
      describeCause(error),
    ], { cause: error })
  }
  const checked = checkScenarioModule(module)
  if ('problems' in checked)
    throw new ScenarioLoadError(spec.file, checked.problems)
  return checked.scenario
}
