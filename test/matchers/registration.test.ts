import { expect, it } from 'vitest'
import { loadMatchers } from '../../src/index.js'
import { fastRun } from './runs.js'

// no expect.extend() here: importing the package's entry registers the matchers

it('importing vitest-load adds all 18 matchers to expect', () => {
  const assertion = expect(fastRun()) as unknown as Record<string, unknown>
  expect(Object.keys(loadMatchers)).toHaveLength(18)
  for (const name of Object.keys(loadMatchers))
    expect(typeof assertion[name], name).toBe('function')
})

it('after importing vitest-load, expect(run).toHaveP95Below(\'96ms\') passes on a 95 ms p95', () => {
  expect(fastRun()).toHaveP95Below('96ms')
  expect(() => expect(fastRun()).toHaveP95Below('90ms')).toThrow('but it was 95 ms')
})
