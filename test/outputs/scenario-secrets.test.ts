import type { JsonReport } from '../../src/report/format-json.js'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SECRETS, VISIBLE_TAG } from '../fixtures/scenario-secrets/values.js'
import { installPackedPackage, repoRoot, runVitest } from '../helpers/run-vitest.js'

const reportsDir = join(repoRoot, 'test/fixtures/scenario-secrets/.vitest-load')

/** Each secret whole, and the parts a careless redaction would leave: a bearer token without its scheme. */
function leaksIn(text: string): string[] {
  return Object.values(SECRETS).filter(secret => text.includes(secret))
}

/**
 * A real Vitest run, with the plugin, of a project whose scenario sends secrets in a header, a
 * query parameter and a JSON field to a server that answers 401 echoing them all (and a session
 * cookie it sets), then throws `failed: <body>`; a second scenario kills its worker with the body.
 * Every output is the real one: the terminal, the JSON and HTML files, summary.md and
 * $GITHUB_STEP_SUMMARY.
 */
describe('a scenario whose errors hold the secrets it sent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-load-scenario-secrets-'))
  const stepSummary = join(dir, 'step-summary.md')
  let result: Awaited<ReturnType<typeof runVitest>>
  const files: Record<string, string> = {}

  beforeAll(async () => {
    installPackedPackage()
    rmSync(reportsDir, { recursive: true, force: true })
    result = await runVitest('scenario-secrets', [], { GITHUB_STEP_SUMMARY: stepSummary })
    for (const name of readdirSync(reportsDir))
      files[name] = readFileSync(join(reportsDir, name), 'utf8')
    files.$GITHUB_STEP_SUMMARY = readFileSync(stepSummary, 'utf8')
    rmSync(dir, { recursive: true, force: true })
  }, 180_000)

  it('ran both load tests and failed them for what they assert, with the figures the server counted', () => {
    expect(result.exitCode).toBe(1)
    expect(result.output).toMatch(/Tests\s+2 failed \(2\)/)
    // the assertions on the server's counts and on the run's figures passed: only the traps failed
    expect(result.output).toContain('expected error rate of "echoed secrets" to be below 1 %, but it was 100 %')
    expect(result.output).not.toMatch(/AssertionError: expected \{.*requests/)
    const report = JSON.parse(files['secrets-load--echoed-secrets.json']!) as JsonReport
    expect(report.totals).toMatchObject({
      requests: 20,
      errors: { total: 20, http: 10, network: 10 },
    })
    expect(report.endpoints.map(endpoint => [endpoint.name, endpoint.totals.requests])).toEqual([
      ['POST /me', 10],
      ['task fetch me', 10],
    ])
  })

  it('never shows a secret in the terminal: summary, failure messages, the worker crash', () => {
    expect(leaksIn(result.output)).toEqual([])
    // the control: the header nobody marked secret is in the same text, so the search would find one
    expect(result.output).toContain(`x-request-tag=${VISIBLE_TAG}`)
    // redacted in the error messages of the summary and of Vitest's diff, not merely left out
    expect(result.output).toContain(`failed: unauthorized: session=[redacted]; authorization=[redacted]; x-api-key=[redacted]; x-request-tag=${VISIBLE_TAG}; url=/me?api_key=[redacted]`)
    expect(result.output).toMatch(/WorkerCrashedError: Worker 0 of load test "crashed worker" failed: crashed: unauthorized: session=\[redacted\]; authorization=\[redacted\]; x-api-key=undefined; x-request-tag=visible-tag-4d1c; url=\/me; body=$/m)
  })

  it('never writes a secret into the JSON or HTML report, summary.md or $GITHUB_STEP_SUMMARY', () => {
    // the crashed worker's run too: what it measured until the crash, marked incomplete
    expect(Object.keys(files).sort()).toEqual([
      '$GITHUB_STEP_SUMMARY',
      'secrets-load--crashed-worker.html',
      'secrets-load--crashed-worker.json',
      'secrets-load--echoed-secrets.html',
      'secrets-load--echoed-secrets.json',
      'summary.md',
    ])
    for (const [name, text] of Object.entries(files)) {
      expect(leaksIn(text), name).toEqual([])
      expect(text, name).toContain(VISIBLE_TAG)
    }
    const report = JSON.parse(files['secrets-load--echoed-secrets.json']!) as JsonReport
    // check and metric names, scrubbed where they arrive
    expect(report.checks.map(check => check.name)).toEqual(['authorized as [redacted]'])
    expect(Object.keys(report.metrics)).toEqual(['calls with [redacted]'])
    // one message, however many users and workers sent it: its secrets were the same (cut to 200 characters)
    expect(Object.keys(report.totals.errorMessages)).toEqual([
      expect.stringMatching(/^failed: unauthorized: session=\[redacted\]; authorization=\[redacted\]; x-api-key=\[redacted\]; x-request-tag=visible-tag-4d1c; url=\/me\?api_key=\[redacted\]; body=/),
    ])
    expect(report.totals.errorMessages).toEqual({ [Object.keys(report.totals.errorMessages)[0]!]: 10 })
  })
})
