import { beforeAll, describe, expect, it } from 'vitest'
import { installPackedPackage, runVitest } from '../helpers/run-vitest.js'

beforeAll(() => installPackedPackage())

describe('a project with the vitest-load/config plugin', () => {
  it('fails on a matcher with its text, passes the rest and prints each summary', async () => {
    const { exitCode, output, rawOutput } = await runVitest('with-plugin')

    expect(exitCode).toBe(1)
    expect(output).toMatch(/expected p95 latency of "GET \/slow" to be below 1 ms, but it was [\d.]+ ms\n\s+GET \/slow: 10 requests, 0 errors \(0 %\), p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, [\d.]+ req\/s/)
    expect(output).toContain('expected throughput of "POST /soft" to be above 1,000,000 req/s')
    expect(output).toContain('expected error rate of "POST /soft" not to be below 50 %')
    expect(output).toContain('Invalid options for load test "GET /invalid":')
    expect(output).toContain('load.users must be a whole number of virtual users above 0, got `0` (number)')
    expect(output).toMatch(/Tests\s+3 failed \| 2 passed \| 1 skipped \(6\)/)
    // the reporter prints a summary for each test that ran load: plain text with CI=true and no terminal
    const summaries = rawOutput.split('\n').filter(line => /^(?:GET|POST) \/\w+ {2}\d+ users? × \d+ iterations · \d workers? · http:\/\/127\.0\.0\.1:\d+ · /.test(line))
    expect(summaries.map(line => line.split('  ')[0])).toEqual([
      'GET /users',
      'GET /slow',
      'POST /soft',
      'GET /first',
      'GET /second',
    ])
    expect(rawOutput).toMatch(/^ {2}requests \.+ 20 {2}[\d.]+ req\/s$/m)
    expect(rawOutput).toMatch(/^ {2}latency \.+ min [\d.]+ ms {2}mean [\d.]+ ms {2}p50 /m)
  })

  it('-t filters load tests by name, and --reporter keeps the load summary', async () => {
    const { exitCode, output } = await runVitest('with-plugin', ['-t', 'GET /users', '--reporter=verbose'])

    expect(exitCode).toBe(0)
    expect(output).toMatch(/Tests\s+1 passed \| 5 skipped \(6\)/)
    // a reporter on the command line replaces the config's list; the plugin adds its own back
    expect(output).toMatch(/^GET \/users {2}2 users × 10 iterations · /m)
    expect(output).not.toMatch(/^GET \/slow {2}/m)
  })
})

describe('a project whose Vitest config has nothing for vitest-load', () => {
  it('runs load tests, honours .only and prints the summary from the test', async () => {
    // CI forbids .only unless allowed, as Vitest does for test.only
    const { exitCode, output } = await runVitest('without-plugin', ['--allowOnly'])

    expect(exitCode).toBe(0)
    expect(output).toMatch(/Tests\s+2 passed \| 1 skipped \(3\)/)
    // printed by the test itself, since no reporter of ours is there
    expect(output).toMatch(/^GET \/only {2}2 users × 5 iterations · /m)
    expect(output).toMatch(/^ {2}requests \.+ 10 /m)
  })
})

describe('a load test that Vitest times out', () => {
  it('stops the load, fails that test alone and leaves nothing to keep Vitest alive', async () => {
    const started = performance.now()
    const { exitCode, output } = await runVitest('test-timeout')

    expect(exitCode).toBe(1)
    expect(output).toContain('Test timed out in 1000ms')
    expect(output).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/)
    // the 1-minute load was stopped with the test, and Vitest closed without waiting on a handle
    expect(performance.now() - started).toBeLessThan(30_000)
    expect(output).not.toMatch(/close timed out|prevents Vite server from exiting|hanging/i)
  })
})
