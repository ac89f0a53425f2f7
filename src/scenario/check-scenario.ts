import type { FeederReader } from './feeder.js'
import type { ThinkTime } from './think-time.js'
import type { ScenarioFunction } from './types.js'
import { describeValue } from '../spec/describe-value.js'
import { createFeederReader, isFeeder } from './feeder.js'
import { isThinkTime } from './think-time.js'

/** A scenario as workers run it: every task with its endpoint name and weight. */
export interface CheckedScenario {
  onStart: ScenarioFunction | null
  onStop: ScenarioFunction | null
  tasks: ReadonlyArray<{ endpoint: string, weight: number, run: ScenarioFunction }>
  thinkTime: ThinkTime | null
  /** The feeders of `data`, each read by the global iteration index. */
  data: readonly FeederReader[]
}

const KEYS = [
  'onStart',
  'tasks',
  'thinkTime',
  'onStop',
  'data',
]
const EXAMPLE = `export default defineScenario({ tasks: ctx => ctx.http.get('/') })`
/** A weight is a whole number of iterations per round; this keeps rounds (and their draws) sane. */
const MAX_WEIGHT = 1_000_000

/** The endpoint name under which a task's own errors are counted; `'task'` alone for a `tasks` function. */
export function taskEndpoint(name: string): string {
  return `task ${name}`
}

/**
 * Checks what a scenario module exported and returns the scenario, or the problems, each saying
 * what was expected and what was found. Checked by shape: the module may have imported its own copy
 * of `vitest-load/scenario`.
 */
export function checkScenarioModule(module: Record<string, unknown>): { scenario: CheckedScenario } | { problems: string[] } {
  if (!('default' in module) || module.default === undefined) {
    const named = Object.keys(module).filter(key => key !== 'default')
    return {
      problems: [`it has no default export${named.length > 0
        ? ` (it exports ${named.join(', ')})`
        : ''}; a scenario module ends with ${EXAMPLE}`],
    }
  }
  const value = module.default
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problems: [`its default export must be a scenario made by defineScenario({ … }), got ${describeValue(value)}. Example: ${EXAMPLE}`],
    }
  }
  const raw = value as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key) && raw[key] !== undefined)
      problems.push(`${key} is not a scenario option; the options are ${KEYS.join(', ')}`)
  }
  const hook = (key: 'onStart' | 'onStop'): ScenarioFunction | null => {
    if (raw[key] === undefined)
      return null
    if (typeof raw[key] === 'function')
      return raw[key] as ScenarioFunction
    problems.push(`${key} must be a function (ctx) => …, got ${describeValue(raw[key])}`)
    return null
  }
  const onStart = hook('onStart')
  const onStop = hook('onStop')
  const tasks = checkTasks(raw.tasks, problems)
  let thinkTime: ThinkTime | null = null
  if (raw.thinkTime !== undefined) {
    if (isThinkTime(raw.thinkTime))
      thinkTime = raw.thinkTime
    else
      problems.push(`thinkTime must be made by between(), constant() or pacing() from 'vitest-load/scenario', got ${describeValue(raw.thinkTime)}. Example: thinkTime: between('1s', '5s')`)
  }
  const data = checkData(raw.data, problems)
  return problems.length > 0 || !tasks
    ? { problems }
    : {
        scenario: {
          onStart,
          onStop,
          tasks,
          thinkTime,
          data,
        },
      }
}

function checkTasks(raw: unknown, problems: string[]): CheckedScenario['tasks'] | undefined {
  const example = `tasks: [{ name: 'browse', weight: 3, run: ctx => ctx.http.get('/items') }, { name: 'buy', weight: 1, run: buy }]`
  if (typeof raw === 'function') {
    return [
      { endpoint: 'task', weight: 1, run: raw as ScenarioFunction },
    ]
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`tasks must be a function (ctx) => … or a non-empty array of { name?, weight?, run }, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  const tasks: Array<{ endpoint: string, weight: number, run: ScenarioFunction }> = []
  const names = new Set<string>()
  raw.forEach((task: unknown, index) => {
    const path = `tasks[${index}]`
    if (typeof task !== 'object' || task === null) {
      problems.push(`${path} must be { name?, weight?, run }, got ${describeValue(task)}. Example: ${example}`)
      return
    }
    const { name, weight = 1, run, ...rest } = task as Record<string, unknown>
    for (const key of Object.keys(rest))
      problems.push(`${path}.${key} is not a task option; the options are name, weight, run`)
    if (typeof run !== 'function')
      problems.push(`${path}.run must be a function (ctx) => …, got ${describeValue(run)}. Example: ${example}`)
    if (name !== undefined && (typeof name !== 'string' || name.trim() === ''))
      problems.push(`${path}.name must be a non-empty string, got ${describeValue(name)}`)
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT)
      problems.push(`${path}.weight must be a whole number from 1 to ${MAX_WEIGHT.toLocaleString('en-US')}, got ${describeValue(weight)}. Example: ${example}`)
    const label = typeof name === 'string' && name.trim() !== ''
      ? name
      : `#${index + 1}`
    if (names.has(label))
      problems.push(`${path}.name '${label}' is used by an earlier task; names group results, so each must be unique`)
    names.add(label)
    tasks.push({
      endpoint: taskEndpoint(label),
      weight: weight as number,
      run: run as ScenarioFunction,
    })
  })
  return tasks
}

function checkData(raw: unknown, problems: string[]): FeederReader[] {
  if (raw === undefined)
    return []
  const example = `data: { users: csvFeeder(new URL('./users.csv', import.meta.url)) }`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`data must be an object of feeders made by feeder() or csvFeeder() from 'vitest-load/scenario', got ${describeValue(raw)}. Example: ${example}`)
    return []
  }
  const readers: FeederReader[] = []
  for (const [name, value] of Object.entries(raw)) {
    if (isFeeder(value))
      readers.push(createFeederReader(name, value))
    else
      problems.push(`data.${name} must be made by feeder() or csvFeeder() from 'vitest-load/scenario', got ${describeValue(value)}. Example: ${example}`)
  }
  return readers
}
