import type { LoadRun } from '../metrics/summary.js'

/** A `LoadRun` as plain data: what crosses from the test to the Vitest main process in task meta. */
export type RunReport = Omit<LoadRun, 'endpoint'>

/** Copies a run into plain data (structured clone and JSON safe). */
export function toRunReport(run: LoadRun): RunReport {
  const { endpoint: _endpoint, ...data } = { ...run, endpoint: undefined }
  return structuredClone(data)
}

/** The key under which a test's run reports (an array: one test may run several loads) travel in Vitest task meta. */
export const META_KEY = 'vitestLoad'

export function isRunReport(value: unknown): value is RunReport {
  return typeof value === 'object' && value !== null && typeof (value as RunReport).name === 'string' && Array.isArray((value as RunReport).endpoints)
}
