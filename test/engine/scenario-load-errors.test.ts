import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LoadAbortedError, runLoad, ScenarioLoadError } from '../../src/index.js'
import { fixed, startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

/** Runs `file` against a counting server and returns the error it fails with, and what the server saw. */
async function failureOf(file: string): Promise<{ error: ScenarioLoadError, requests: number }> {
  const server = await startServer(fixed())
  const error: unknown = await runLoad({
    target: server.url,
    scenario: scenario(file),
    load: { users: 2, iterations: 5 },
    workers: 2,
  }).then(() => undefined, (rejection: unknown) => rejection)
  expect(error).toBeInstanceOf(ScenarioLoadError)
  return {
    error: error as ScenarioLoadError,
    requests: server.requests(),
  }
}

describe('a scenario module that does not load fails the test before any request', () => {
  it('names a missing file', async () => {
    const { error, requests } = await failureOf('missing.scenario.ts')

    expect(requests).toBe(0)
    expect(error.code).toBe('VL_ERR_SCENARIO_LOAD')
    expect(error.file).toBe(fileURLToPath(scenario('missing.scenario.ts')))
    expect(error.message).toBe(`Cannot load the scenario module ${error.file}: the file does not exist. No load was sent.`)
  })

  it('keeps a syntax error as the cause, with where it is', async () => {
    const { error, requests } = await failureOf('syntax-error.scenario.ts')

    expect(requests).toBe(0)
    expect(error.message).toContain(`Cannot load the scenario module ${fileURLToPath(scenario('syntax-error.scenario.ts'))}: `)
    expect(error.message).toMatch(/syntax-error\.scenario\.ts:\d+/)
    expect(error.cause).toBeInstanceOf(Error)
    expect((error.cause as Error).stack).toBeTypeOf('string')
  })

  it('keeps what the module threw while loading as the cause', async () => {
    const { error, requests } = await failureOf('throws-on-load.scenario.mjs')

    expect(requests).toBe(0)
    expect(error.message).toContain(': Error: users.csv not found. No load was sent.')
    expect((error.cause as Error).message).toBe('users.csv not found')
    expect((error.cause as Error).stack).toContain('throws-on-load.scenario.mjs')
  })

  it('says a module has no default export, and what it exports instead', async () => {
    const { error, requests } = await failureOf('no-default.scenario.ts')

    expect(requests).toBe(0)
    expect(error.problems).toEqual([
      `it has no default export (it exports scenario); a scenario module ends with export default defineScenario({ tasks: ctx => ctx.http.get('/') })`,
    ])
  })

  it('lists every problem of a default export that is not a scenario', async () => {
    const { error, requests } = await failureOf('wrong-shape.scenario.ts')

    expect(requests).toBe(0)
    expect(error.problems).toEqual([
      'onstart is not a scenario option; the options are onStart, tasks, thinkTime, onStop, data',
      expect.stringContaining('tasks[0].weight must be a whole number from 1 to 1,000,000, got `0.5` (number)'),
      expect.stringContaining('tasks[1].run must be a function (ctx) => …, got `"soon"` (string)'),
      `tasks[1].name 'browse' is used by an earlier task; names group results, so each must be unique`,
      expect.stringContaining(`thinkTime must be made by between(), constant() or pacing() from 'vitest-load/scenario', got \`"1s"\` (string)`),
    ])
    expect(error.message).toMatch(/^Cannot load the scenario module \S+wrong-shape\.scenario\.ts:\n {2}- onstart/)
  })
})

describe('a scenario stuck in its own code', () => {
  it('cannot keep a stopped run alive: the pool is destroyed 5 s after the stop', async () => {
    const server = await startServer(fixed())
    const started = performance.now()

    const run = runLoad({
      target: server.url,
      scenario: scenario('never-ends.scenario.mjs'),
      load: { users: 2, duration: '1s' },
      workers: 1,
    }, {
      signal: AbortSignal.timeout(500),
    })

    await expect(run).rejects.toBeInstanceOf(LoadAbortedError)
    expect(performance.now() - started).toBeLessThan(15_000)
  })
})
