import type { LoadRun } from '../metrics/summary.js'
import type { MatcherVerdict } from '../metrics/verdicts.js'
import type { RequestDescription } from '../spec/redact.js'
import { verdictsOf } from '../metrics/verdicts.js'
import { redactDeep } from '../spec/redact.js'

/**
 * A `LoadRun` as plain data, with what the reports add to it: what crosses from the test to the
 * Vitest main process in task meta, already redacted.
 */
export interface RunReport extends Omit<LoadRun, 'endpoint' | 'step'> {
  /** The request the load test sent, secret values `[redacted]`; absent when not known. */
  request?: RequestDescription
  /** The matchers that ran on the run or its endpoints, in the order they ran. */
  verdicts: MatcherVerdict[]
}

/** What a report knows beyond the run itself. */
export interface RunReportContext {
  /** The request, already described with its secrets redacted (`describeRequest`). */
  request?: RequestDescription
  /** @default the verdicts recorded so far on the run (`verdictsOf(run)`) */
  verdicts?: readonly MatcherVerdict[]
  /** Secret values (`secretValuesOf`) removed from every text of the report: names, error messages, verdicts. */
  secretValues?: readonly string[]
}

/** Copies a run into plain data (structured clone and JSON safe), with every secret value removed. */
export function toRunReport(run: LoadRun, context: RunReportContext = {}): RunReport {
  const { endpoint: _endpoint, step: _step, ...data } = { ...run, endpoint: undefined, step: undefined }
  const report: RunReport = structuredClone({
    ...data,
    ...(context.request && { request: context.request }),
    verdicts: [
      ...(context.verdicts ?? verdictsOf(run)),
    ],
  })
  return redactDeep(report, context.secretValues ?? [])
}

/** The key under which a test's run reports (an array: one test may run several loads) travel in Vitest task meta. */
export const META_KEY = 'vitestLoad'

export function isRunReport(value: unknown): value is RunReport {
  return typeof value === 'object' && value !== null && typeof (value as RunReport).name === 'string' && Array.isArray((value as RunReport).endpoints)
}
