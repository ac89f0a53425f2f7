import type { ReportTest } from './format-json.js'

/** Whether a test's full name already says the run's name: `'users API > GET /users'` for `'GET /users'`. */
export function testNamesRun(testName: string, runName: string): boolean {
  return testName === runName || testName.endsWith(` > ${runName}`)
}

/**
 * How a report heads a run: the test's full name, with the run's name after `›` when the test
 * does not already say it (several `runLoad()` calls in one test): `'runs two loads › GET /first'`.
 */
export function runTitle(runName: string, test: ReportTest | null): string {
  if (!test)
    return runName
  return testNamesRun(test.name, runName)
    ? test.name
    : `${test.name} › ${runName}`
}
