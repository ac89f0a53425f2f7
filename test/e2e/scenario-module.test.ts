import { beforeAll, describe, expect, it } from 'vitest'
import { installPackedPackage, runVitest } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

describe('a project whose load test runs a TypeScript scenario module', () => {
  it('loads it in the built worker, and fails the tests whose module is missing or broken before any load', async () => {
    const { exitCode, output } = await runVitest('scenario-module')

    expect(exitCode).toBe(1)
    expect(output).toMatch(/Tests\s+2 failed \| 1 passed \(3\)/)
    expect(output).toMatch(/ScenarioLoadError: Cannot load the scenario module \S+\/scenario-module\/missing\.scenario\.ts: the file does not exist\. No load was sent\./)
    // the cause names the place of the syntax error, from Node's type stripping or from tsx
    expect(output).toMatch(/ScenarioLoadError: Cannot load the scenario module \S+\/scenario-module\/broken\.scenario\.ts: \w*Error: .*broken\.scenario\.ts:4/)
    // the summary of the scenario run lists its endpoints
    expect(output).toMatch(/^shop scenario {2}2 users × 20 iterations · 2 workers · /m)
    expect(output).toMatch(/^ {2}GET \/users\/\[id\] +10 /m)
  })
})
