import type { CheckResult, CustomMetricResult } from '../metrics/custom.js'
import type { LatencySummary } from '../metrics/histogram.js'
import type { EndpointResult, TimelinePoint } from '../metrics/summary.js'
import type { RunReport } from './run-report.js'
import type { SummaryOptions } from './terminal.js'
import { trendPercentiles } from '../metrics/custom.js'
import { decodeHistogram, percentileMs, summarizeLatency } from '../metrics/histogram.js'
import { formatSummary } from './terminal.js'

/** The version of the JSON report's shape. It changes only when a field changes meaning or goes away. */
export const JSON_REPORT_SCHEMA_VERSION = 1

/** The Vitest test a run belongs to. */
export interface ReportTest {
  /** The test file, relative to the Vitest root, with `/` separators: `'test/users.load.test.ts'`. */
  file: string
  /** The test's full name, with its `describe` blocks: `'users API > GET /users'`. */
  name: string
  /** How the test ended: a failed matcher, a thrown error or a timeout make it `'failed'`. */
  state: 'passed' | 'failed' | 'skipped' | 'pending'
}

/**
 * The JSON report of one run (`<outputDir>/<name>.json`): the run report with everything needed
 * to rebuild its summary, merge it with other runs or compare it with them later, including the
 * HDR histograms of every endpoint and every interval. See docs/reports.md.
 */
export interface JsonReport extends RunReport {
  /** `1`. Readers check it before anything else. */
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION
  /** What wrote the report: `{ name: 'vitest-load', version: '0.1.0' }`. */
  generator: { name: 'vitest-load', version: string }
  /** The test the run belongs to, or `null` when it ran outside a Vitest test. */
  test: ReportTest | null
}

/** A run report in its JSON form: the envelope first, then the run. */
export function toJsonReport(report: RunReport, test: ReportTest | null, version: string): JsonReport {
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    generator: { name: 'vitest-load', version },
    test,
    ...report,
  }
}

/** The text of a JSON report file: two-space indented, with a final newline. */
export function formatJsonReport(report: JsonReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** Reads the text of a JSON report file; throws when it is not one, or of another schema version. */
export function parseJsonReport(text: string): JsonReport {
  const value = JSON.parse(text) as Partial<JsonReport> | null
  if (typeof value !== 'object' || value === null || !Array.isArray(value.endpoints) || typeof value.histogram !== 'string')
    throw new TypeError('Not a vitest-load JSON report: expected an object with schemaVersion, endpoints and histogram')
  if (value.schemaVersion !== JSON_REPORT_SCHEMA_VERSION)
    throw new TypeError(`vitest-load JSON report of schema version ${String(value.schemaVersion)}; this version reads schema version ${JSON_REPORT_SCHEMA_VERSION}`)
  return value as JsonReport
}

function rebuildTimeline(timeline: readonly TimelinePoint[]): TimelinePoint[] {
  return timeline.map((point) => {
    if (point.histogram === undefined)
      return { ...point }
    const histogram = decodeHistogram(point.histogram)
    return {
      ...point,
      p50Ms: percentileMs(histogram, 50),
      p95Ms: percentileMs(histogram, 95),
      p99Ms: percentileMs(histogram, 99),
    }
  })
}

function rebuildResult<T extends EndpointResult>(result: T, durationMs: number): T {
  const { requests, errors } = result.totals
  const latency: LatencySummary = summarizeLatency(decodeHistogram(result.histogram))
  return {
    ...result,
    errorRate: requests === 0
      ? 0
      : errors.total / requests,
    throughputPerSec: durationMs > 0
      ? result.totals.ok / (durationMs / 1000)
      : 0,
    attemptsPerSec: durationMs > 0
      ? requests / (durationMs / 1000)
      : 0,
    latency,
    timeline: rebuildTimeline(result.timeline),
  }
}

/** Pass rates from the counts; a report written before checks existed has none. */
function rebuildChecks(checks: readonly CheckResult[] | undefined): CheckResult[] {
  return (checks ?? []).map(check => ({
    ...check,
    passRate: check.passes + check.fails === 0
      ? 0
      : check.passes / (check.passes + check.fails),
  }))
}

/** Rates from their counts, trend percentiles from their histograms; none in a report written before custom metrics. */
function rebuildMetrics(metrics: Readonly<Record<string, CustomMetricResult>> | undefined): Record<string, CustomMetricResult> {
  return Object.fromEntries(Object.entries(metrics ?? {}).map(([name, metric]) => [
    name,
    rebuildMetric(metric),
  ]))
}

function rebuildMetric(metric: CustomMetricResult): CustomMetricResult {
  if (metric.type === 'rate') {
    return {
      ...metric,
      rate: metric.total === 0
        ? 0
        : metric.trues / metric.total,
    }
  }
  if (metric.type === 'trend') {
    return {
      ...metric,
      ...trendPercentiles(decodeHistogram(metric.histogram), metric.min, metric.max),
    }
  }
  return { ...metric }
}

/**
 * A run report whose derived figures are computed again from the JSON report's raw data: every
 * latency figure from the encoded histograms (the run's, each endpoint's and each interval's),
 * error rates and throughput from the counters and the duration. Equal to the original when the
 * JSON report holds everything it should.
 */
export function rebuildRunReport(report: JsonReport): RunReport {
  const { schemaVersion: _version, generator: _generator, test: _test, ...run } = report
  // a report written before warm-ups has none; rates are over the time after it
  const warmup = run.warmup ?? null
  const judgedMs = run.durationMs - (warmup?.durationMs ?? 0)
  return {
    ...rebuildResult(run, judgedMs),
    warmup,
    endpoints: run.endpoints.map(endpoint => rebuildResult(endpoint, judgedMs)),
    // a report written before step tests has none
    steps: (run.steps ?? []).map(step => rebuildResult(step, step.durationMs)),
    recovery: run.recovery ?? null,
    checks: rebuildChecks(run.checks),
    metrics: rebuildMetrics(run.metrics),
    // a report written before incomplete runs were kept has no mark: it went to its end
    incomplete: run.incomplete ?? null,
    // a report written before distributed runs was local
    agents: run.agents ?? [],
  }
}

/** The terminal summary of a run, rebuilt from the text of its JSON report. */
export function summaryFromJsonReport(text: string, options: SummaryOptions): string {
  return formatSummary(rebuildRunReport(parseJsonReport(text)), options)
}
