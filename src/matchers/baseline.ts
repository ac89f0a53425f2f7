import type { MatcherResult, MatcherState } from 'vitest'
import type { BaselineComparison, BaselineRow, BaselineStatus } from '../baseline/compare.js'
import type { BaselineEnvironment } from '../baseline/environment.js'
import type { BaselineEntry } from '../baseline/store.js'
import type { EndpointResult, LoadRun } from '../metrics/summary.js'
import { relative } from 'node:path'
import { compareSamples, looksWorse, MAX_RUNS, measuredIntervals, MIN_RUNS } from '../baseline/compare.js'
import { currentEnvironment, describeMachine, incomparabilities } from '../baseline/environment.js'
import { resolveBaselineOptions } from '../baseline/options.js'
import { baselineWarmupSeconds, sampleOf } from '../baseline/sample.js'
import { MIN_INTERVALS } from '../baseline/statistics.js'
import { baselineEntry, BaselineFileError, baselinePathFor, readBaselineFile, recordedDate, writeBaseline } from '../baseline/store.js'
import { InvalidMatcherArgumentError } from '../errors.js'
import { recordVerdict, runOf } from '../metrics/verdicts.js'
import { oneLineSummary, requireResult } from './message.js'

/** When Vitest writes snapshots: `'all'` with `-u`, `'new'` locally, `'none'` in CI. Baselines follow the same rule. */
type UpdateMode = 'all' | 'new' | 'none'

function updateModeOf(state: MatcherState): UpdateMode {
  const mode = (state.snapshotState as { snapshotUpdateState?: unknown } | undefined)?.snapshotUpdateState
  if (mode === 'all' || mode === 'new' || mode === 'none')
    return mode
  // an older or newer Vitest without the getter: its rule for snapshots (std-env's isCI: any non-empty CI)
  return process.env.CI
    ? 'none'
    : 'new'
}

/** The last part of Vitest's full test name `'users API > POST /users'`. */
function ownName(testName: string): string {
  return testName.split(' > ').at(-1) ?? testName
}

/** The run of a `loadTest` is stored under the test's name; anything else (an endpoint, a `runLoad()` in a test) under the test's name and its own. */
function defaultName(testName: string, result: EndpointResult): string {
  const isRun = runOf(result) === result
  return isRun && result.name === ownName(testName)
    ? testName
    : `${testName} > ${result.name}`
}

export function describeRows(rows: readonly BaselineRow[]): string {
  return rows.map(row => `  ${row.verdict === 'regressed'
    ? '✗'
    : '·'} ${row.label} ${row.text.change}, ${row.text.baseline} → ${row.text.now}, tolerance ${row.text.tolerance}, detectable ${row.text.detectable}: ${row.verdict}`).join('\n')
}

interface Outcome {
  status: BaselineStatus
  pass: boolean
  recorded: string | null
  rows: BaselineRow[]
  message: string
  /** Why the run could not be compared, with status `'not comparable'`. */
  notComparable?: string[]
}

/**
 * Compares a run (or one endpoint) with the baseline stored beside the test file, or records it.
 * Fails when a latency percentile, the throughput or the error rate got worse by more than its
 * tolerance and the change is statistically significant; the message gives each change with its
 * 95 % interval. Baselines are written as snapshots are: when missing on a local run, always with
 * `vitest -u`, never in CI, where a missing one fails the test.
 */
export function toMatchBaseline(this: MatcherState, received: unknown, options?: unknown): MatcherResult {
  const result = requireResult(received, 'toMatchBaseline')
  const { name: givenName, tolerances, environment: strictness } = resolveBaselineOptions(options)
  if (this.isNot)
    throw new InvalidMatcherArgumentError('toMatchBaseline() has no .not form: a run either matches its baseline within the tolerances or regressed. To require a change, compare figures with the other matchers. Example: expect(run).toMatchBaseline()')
  const testPath = this.testPath
  const testName = this.currentTestName
  if (!testPath || !testName)
    throw new InvalidMatcherArgumentError('toMatchBaseline() stores its baseline beside the test file, so it runs only inside a Vitest test. Example: loadTest(\'GET /users\', options, run => { expect(run).toMatchBaseline() })')
  const run = runOf(result)
  const name = givenName ?? defaultName(testName, result)
  const path = baselinePathFor(testPath)
  const file = relative(process.cwd(), path).split('\\').join('/')
  // where this run was measured, and how much of the CPU other processes took meanwhile
  const machineCpu = run && 'generatorHealth' in run
    ? (run as LoadRun).generatorHealth.cpu
    : null
  const environment = currentEnvironment(machineCpu?.othersBusy ?? null)
  const sample = {
    ...sampleOf(result, run?.model ?? 'unknown load'),
    environment,
  }
  const mode = updateModeOf(this)
  let baselineEnvironment: BaselineEnvironment | null = null
  let baselineRuns: number | undefined
  const outcome = decide()
  const comparison: BaselineComparison = {
    name,
    file,
    status: outcome.status,
    recorded: outcome.recorded,
    rows: outcome.rows,
    notComparable: outcome.notComparable ?? [],
    ...(baselineRuns !== undefined && { runs: baselineRuns }),
    environment: { baseline: baselineEnvironment, now: environment },
  }
  recordVerdict(result, {
    matcher: 'toMatchBaseline',
    measured: 'change from the baseline',
    endpoint: run === result
      ? null
      : result.name,
    expected: 'no significant regression beyond tolerance',
    actual: actualOf(outcome),
    isNot: false,
    pass: outcome.pass,
    baseline: comparison,
  })
  return {
    pass: outcome.pass,
    message: () => `${outcome.message}\n  ${oneLineSummary(result)}`,
  }

  function decide(): Outcome {
    const intervals = measuredIntervals(sample)
    if (intervals < MIN_INTERVALS) {
      return {
        status: 'too short',
        pass: false,
        recorded: null,
        rows: [],
        message: `expected "${result.name}" to match its baseline, but the run has ${intervals} interval${intervals === 1
          ? ''
          : 's'} with responses after its warm-up (${baselineWarmupSeconds(result.timeline)} s, left out) and a baseline needs at least ${MIN_INTERVALS} to test a change for significance. Run the load for ${MIN_INTERVALS} s or more after the warm-up, e.g. load: { users: 10, duration: '10s' }`,
      }
    }
    const unreadable = (error: unknown): Outcome => {
      if (!(error instanceof BaselineFileError))
        throw error
      return {
        status: 'unreadable',
        pass: false,
        recorded: null,
        rows: [],
        message: `expected "${result.name}" to match its baseline, but ${error.message}`,
      }
    }
    const record = (status: 'recorded' | 'updated'): Outcome => {
      const recorded = recordedDate()
      writeBaseline(path, name, {
        ...sample,
        recorded,
        runs: [sample.summary],
      })
      return {
        status,
        pass: true,
        recorded,
        rows: [],
        message: `baseline "${name}" ${status} in ${file}`,
      }
    }
    let stored: BaselineEntry | undefined
    try {
      const baselines = readBaselineFile(path)
      // -u replaces the entry whatever it holds, a broken one too; the file itself must be readable
      if (mode === 'all') {
        return record(baselines && Object.hasOwn(baselines.baselines, name)
          ? 'updated'
          : 'recorded')
      }
      stored = baselineEntry(baselines, name, path)
    }
    catch (error) {
      return unreadable(error)
    }
    if (!stored) {
      if (mode === 'new')
        return record('recorded')
      return {
        status: 'missing',
        pass: false,
        recorded: null,
        rows: [],
        message: `expected "${result.name}" to match its baseline, but there is no baseline "${name}" in ${file}, and baselines are not written in CI (CI is set, as snapshots are not). `
          + `Record it by running this test once on your machine, or with \`npx vitest -u\`, and commit ${file}.`,
      }
    }
    if (stored.load !== sample.load) {
      return {
        status: 'different load',
        pass: false,
        recorded: stored.recorded,
        rows: [],
        message: `expected "${result.name}" to match its baseline, but the baseline "${name}" in ${file} was recorded for another load (${stored.load}; this run: ${sample.load}). `
          + `Figures of different loads do not compare: run \`npx vitest -u\` to record it again for the new load.`,
      }
    }
    baselineEnvironment = stored.environment ?? null
    const history = stored.runs ?? [stored.summary]
    baselineRuns = history.length
    const rows = compareSamples(stored, sample, tolerances, history)
    const reasons = incomparabilities(stored.environment, environment, strictness)
    if (reasons.length > 0) {
      return {
        status: 'not comparable',
        pass: true,
        recorded: stored.recorded,
        rows,
        notComparable: reasons,
        message: `"${result.name}" was not compared with its baseline (recorded ${stored.recorded} in ${file}): ${reasons.join('; ')}. `
          + `Its figures are shown, not judged. This run: ${describeMachine(environment)}; the baseline's: ${describeMachine(stored.environment!)}. `
          + `Record the baseline on the machine that runs the comparison (\`npx vitest -u\`), or set toMatchBaseline({ environment: 'lenient' }) or false.\n${describeRows(rows)}`,
      }
    }
    const regressed = rows.filter(row => row.verdict === 'regressed')
    // a run that passes where baselines are written joins a baseline that holds too few runs,
    // unless some figure looked worse beyond its tolerance: a slow run must not widen the spread
    const doubtful = rows.some(looksWorse)
    let added = ''
    if (!doubtful && mode === 'new' && history.length < MAX_RUNS) {
      writeBaseline(path, name, {
        ...stored,
        runs: [...history, sample.summary],
      })
      added = ` This run was added to the baseline: ${history.length + 1} of ${MAX_RUNS} runs.`
    }
    const young = history.length < MIN_RUNS
      ? ` The baseline holds ${history.length} run${history.length === 1
        ? ''
        : 's'}, fewer than the ${MIN_RUNS} needed to know the spread between runs, so no change is called a regression yet: `
        + `run this test ${MIN_RUNS - history.length} more time${MIN_RUNS - history.length === 1
          ? ''
          : 's'} on this machine (each run that passes is added, up to ${MAX_RUNS}) and commit ${file}.`
      : ''
    return {
      status: 'compared',
      pass: regressed.length === 0,
      recorded: stored.recorded,
      rows,
      message: regressed.length === 0
        ? `expected "${result.name}" to match its baseline, and it did (recorded ${stored.recorded} in ${file}):${young}${added}\n${describeRows(rows)}`
        : `expected "${result.name}" to match its baseline (recorded ${stored.recorded} in ${file}), but it regressed: ${listChanges(regressed)}\n${describeRows(rows)}\n`
          + `  If the change is intended, record the new figures with \`npx vitest -u\`.`,
    }
  }
}

/** `'p95'`, `'throughput'`, `'error rate'`: a row's metric as a list of changes names it. */
function shortLabel(row: BaselineRow): string {
  return row.label.replace(' latency', '')
}

/** `'p50 +95 % (95 % CI +91 % … +98 %), throughput −48 % (…)'` */
export function listChanges(rows: readonly BaselineRow[]): string {
  return rows.map(row => `${shortLabel(row)} ${row.text.change}`).join(', ')
}

/** The verdict's measured value: what regressed, or what happened to the baseline. */
function actualOf(outcome: Outcome): string {
  if (outcome.status === 'not comparable')
    return `not comparable: ${outcome.notComparable?.join('; ') ?? ''}`
  if (outcome.status !== 'compared')
    return `baseline ${outcome.status}`
  const regressed = outcome.rows.filter(row => row.verdict === 'regressed')
  if (regressed.length > 0)
    return listChanges(regressed)
  const runs = outcome.rows[0]?.runs
  if (runs !== undefined && runs < MIN_RUNS)
    return `not judged yet: the baseline holds ${runs} of ${MIN_RUNS} runs`
  const improved = outcome.rows.filter(row => row.verdict === 'improved')
  return improved.length > 0
    ? `within tolerance; improved: ${improved.map(shortLabel).join(', ')}`
    : 'within tolerance'
}
