import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import * as api from '../../src/index.js'
import { LoadTestError } from '../../src/index.js'

const errorsDoc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')

type AnyErrorClass = new (first: string, second: string[]) => LoadTestError

function isErrorClass(value: unknown): value is AnyErrorClass {
  return typeof value === 'function' && value.prototype instanceof LoadTestError
}

/** [class name, code] of every error class the package exports. */
const exportedCodes = Object.entries(api as Record<string, unknown>)
  .flatMap(([name, ErrorClass]) => isErrorClass(ErrorClass)
    ? [
        [name, new ErrorClass('x', ['y']).code] as const,
      ]
    : [])

it('every exported error class has its own VL_ERR_ code and a row in docs/errors.md', () => {
  expect(exportedCodes.length).toBeGreaterThanOrEqual(7)
  expect(new Set(exportedCodes.map(([, code]) => code)).size).toBe(exportedCodes.length)
  for (const [name, code] of exportedCodes) {
    expect(code, name).toMatch(/^VL_ERR_[A-Z_]+$/)
    expect(errorsDoc, `docs/errors.md has no row for ${code}`).toContain(`| \`${code}\` | \`${name}\` |`)
  }
})

it('docs/errors.md lists no code that the package does not have', () => {
  const documented = [
    ...errorsDoc.matchAll(/^\| `(VL_ERR_[A-Z_]+)` \|/gm),
  ].map(match => match[1])
  expect(documented.sort()).toEqual(exportedCodes.map(([, code]) => code).sort())
})
