import { describe, expect, it } from 'vitest'
import { reportFileStem, slugify } from '../../src/report/file-names.js'

describe('slugify', () => {
  it('turns \'GET /users/[id]\' into \'get-users-id\'', () => {
    expect(slugify('GET /users/[id]')).toBe('get-users-id')
  })

  it('drops accents and punctuation: \'Crème brûlée > 100 %!\' → \'creme-brulee-100\'', () => {
    expect(slugify('Crème brûlée > 100 %!')).toBe('creme-brulee-100')
  })
})

describe('reportFileStem', () => {
  it('names a loadTest\'s run from its file and name: \'test-users-load--get-users\'', () => {
    expect(reportFileStem('test/users.load.test.ts', 'GET /users', 'GET /users')).toBe('test-users-load--get-users')
  })

  it('adds the run\'s name when it differs from the test\'s (runLoad in a test)', () => {
    expect(reportFileStem('users.load.test.ts', 'runs two loads', 'GET /first')).toBe('users-load--runs-two-loads--get-first')
  })

  it('strips .spec.mts and .test.js as well', () => {
    expect(reportFileStem('a/b.spec.mts', 'x', 'x')).toBe('a-b--x')
    expect(reportFileStem('c.test.js', 'y', 'y')).toBe('c--y')
  })

  it('gives the same stem on every call, and different stems to names that differ only past 120 characters', () => {
    const long = 'GET /reports '.repeat(20)
    const first = reportFileStem('test/x.test.ts', `${long}a`, 'r')
    const second = reportFileStem('test/x.test.ts', `${long}b`, 'r')
    expect(first).toBe(reportFileStem('test/x.test.ts', `${long}a`, 'r'))
    expect(first).toHaveLength(120)
    expect(first).not.toBe(second)
    expect(first).toMatch(/-[0-9a-f]{8}$/)
  })

  it('falls back to \'load-test\' when nothing is left to name a run outside a test', () => {
    expect(reportFileStem(null, null, '???')).toBe('load-test')
    expect(reportFileStem(null, null, 'GET /x')).toBe('get-x')
  })
})

describe('reportFileStem inside describe blocks', () => {
  it('does not repeat the run\'s name that ends the test\'s full name: \'users API > GET /users\'', () => {
    expect(reportFileStem('a.test.ts', 'users API > GET /users', 'GET /users')).toBe('a--users-api-get-users')
  })
})
