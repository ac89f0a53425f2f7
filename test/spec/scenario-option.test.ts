import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { validateOptions } from '../../src/spec/validate.js'

const target = 'http://127.0.0.1:3000'
const load = { users: 2, iterations: 3 }

function problemsOf(options: unknown): readonly string[] {
  try {
    validateOptions('scenario test', options, 4)
  }
  catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError)
    return (error as InvalidOptionsError).problems
  }
  throw new Error('expected the options to be invalid')
}

describe('the scenario option', () => {
  it('takes a file URL, keeps it for the workers and the target for ctx.http', () => {
    const url = new URL('./users.scenario.ts', import.meta.url)

    const spec = validateOptions('GET /users', { target: `${target}/api`, scenario: url, load }, 4)

    expect(spec.scenario).toEqual({ url: url.href, file: url.pathname })
    expect(spec.request.origin).toBe(target)
    expect(spec.request.path).toBe('/api/')
    // a name that looks like a request does not make one: the scenario sends its own
    expect(spec.request.name).toBe('users.scenario.ts')
  })

  it('resolves a relative path against the current directory, and takes an absolute path or file: URL text', () => {
    const file = resolve('test/fixtures/scenarios/weighted.scenario.ts')

    for (const scenario of ['test/fixtures/scenarios/weighted.scenario.ts', file, pathToFileURL(file).href])
      expect(validateOptions('x', { target, scenario, load }, 4).scenario).toEqual({ url: pathToFileURL(file).href, file })
  })

  it('rejects request beside scenario, and says which to remove', () => {
    expect(problemsOf({
      target,
      scenario: '/x.scenario.ts',
      request: { path: '/users' },
      load,
    })).toEqual([
      'request and scenario cannot both be set: a scenario module sends its own requests with ctx.http. Remove request to run the scenario, or remove scenario to send one declarative request',
    ])
  })

  it('needs a target for ctx.http', () => {
    expect(problemsOf({ scenario: '/x.scenario.ts', load })).toEqual([
      `target is required with scenario: the base URL that ctx.http sends requests to, got \`undefined\`. Example: target: 'http://127.0.0.1:3000'`,
    ])
  })

  it('rejects what is not a module path, with an example', () => {
    expect(problemsOf({ target, scenario: 42, load })).toEqual([
      `scenario must be a file: URL or a path to a scenario module, got \`42\` (number). Example: scenario: new URL('./users.scenario.ts', import.meta.url)`,
    ])
    expect(problemsOf({
      target,
      scenario: new URL('https://example.com/x.ts'),
      load,
    })).toEqual([
      expect.stringContaining('scenario must be a file: URL or a path to a scenario module, got `"https://example.com/x.ts"` (object)'),
    ])
    expect(problemsOf({ target, scenario: '/data/users.csv', load })).toEqual([
      expect.stringContaining('scenario must be a JavaScript or TypeScript module (.js, .mjs, .cjs, .ts, .mts or .cts), got `"/data/users.csv"` (string)'),
    ])
  })

  it('suggests scenario for a near miss', () => {
    expect(problemsOf({ target, scenaro: '/x.ts', load })).toContainEqual(expect.stringContaining('Did you mean scenario?'))
  })
})
