import type { BaselineComparison } from '../baseline/compare.js'
import type { CheckResult, CustomMetricResult } from '../metrics/custom.js'
import type { LatencySummary } from '../metrics/histogram.js'
import type { BreakingPointResult, EndpointResult, GeneratorHealth, ObservedTarget } from '../metrics/summary.js'
import type { MatcherVerdict } from '../metrics/verdicts.js'
import type { RunReport } from './run-report.js'
import type { StepsTable } from './steps-table.js'
import { Chalk } from 'chalk'
import { describeRecovery } from '../metrics/recovery.js'
import { formatBytes, formatCount, formatLevel, formatMs, formatNumber, formatPercent, formatRate, formatThroughput, stepFigures } from '../metrics/units.js'
import { agentsTable } from './agents-table.js'
import { comparisonCells, comparisonColumns, comparisonHeading, comparisonNotes, comparisonsOf, comparisonTitle } from './baseline-table.js'
import { describeGeneratorHealth } from './generator-health.js'
import { describeFailures, describeGrowth, observedRows, observedSubject } from './observed.js'
import { overlapWarning } from './overlap-note.js'
import { stepsTable } from './steps-table.js'

export interface SummaryOptions {
  /** Colour the output with ANSI codes. Without, it reads the same. */
  colors: boolean
}

const LABEL_WIDTH = 16

/** A run report, or a `LoadRun` itself (which has no verdicts and no request description). */
export type SummaryInput = Omit<RunReport, 'verdicts' | 'request'> & Partial<Pick<RunReport, 'verdicts'>>

/**
 * `expect(run.endpoint('GET /a')).not.toHaveP95Below(…)` reads `endpoint('GET /a').not.toHaveP95Below`;
 * a matcher on one check names it: `toHaveCheckPassRateAbove(…, 'status is 200')`.
 */
export function verdictLabel(verdict: MatcherVerdict): string {
  const on = verdict.step !== undefined
    ? `step(${verdict.step}).`
    : verdict.endpoint === null
      ? ''
      : `endpoint('${verdict.endpoint}').`
  return `${on}${verdict.isNot
    ? 'not.'
    : ''}${verdict.matcher}${verdict.check === undefined
    ? ''
    : `(…, '${verdict.check}')`}`
}

/**
 * The end-of-test summary, in the spirit of k6's: totals, throughput, latency percentiles, errors
 * by kind, status and message, and one row per endpoint. Pure: a run in, a string out.
 */
export function formatSummary(run: SummaryInput, options: SummaryOptions): string {
  const c = new Chalk({
    level: options.colors ? 1 : 0,
  })
  const { totals, latency } = run
  const label = (text: string): string => c.dim(`${text} `.padEnd(LABEL_WIDTH, '.'))
  const errorColor = totals.errors.total > 0
    ? c.red
    : c.green
  const lines = [
    `${c.bold(run.name)}  ${c.dim(`${run.model} · ${run.workers} ${run.workers === 1
      ? 'worker'
      : 'workers'} · ${run.target} · ${formatMs(run.durationMs)}`)}`,
    // a run that stopped early: the figures below are what was measured until then
    ...(run.incomplete
      ? [`  ${c.red.bold('INCOMPLETE')} ${c.red(run.incomplete)}`, `  ${c.dim('the figures below cover only what was measured until the run stopped')}`]
      : []),
    '',
    // a report written before warm-ups has none
    ...(run.warmup
      ? [`  ${label('warm-up')} ${formatMs(run.warmup.durationMs)}, ${formatCount(run.warmup.totals.requests)} requests  ${c.dim('shown in the timeline, left out of every figure below')}`]
      : []),
    `  ${label('requests')} ${formatCount(totals.requests)}  ${c.cyan(formatThroughput(run.throughputPerSec, run.attemptsPerSec))}`,
    `  ${label('ok')} ${formatCount(totals.ok)}`,
    `  ${label('errors')} ${errorColor(`${formatCount(totals.errors.total)} (${formatPercent(run.errorRate)})`)}  ${c.dim(`http ${totals.errors.http} · network ${totals.errors.network} · timeout ${totals.errors.timeout}`)}`,
    // only the open model drops arrivals; a line of zeros would be noise in every closed run
    ...(run.droppedArrivals > 0 || run.modelKind === 'open'
      ? [`  ${label('dropped')} ${(run.droppedArrivals > 0
          ? c.red
          : c.green)(formatCount(run.droppedArrivals))}  ${c.dim('arrivals that found every user busy and were not sent')}`]
      : []),
    `  ${label('status')} ${formatStatuses(totals.statusCodes) || c.dim('no responses')}`,
    `  ${label('latency')} ${formatLatency(latency, c)}`,
    // the open model measures latency from each arrival's intended start; service time is from
    // the actual send, and the gap between them is time spent waiting on the generator or a connection
    ...(run.modelKind === 'open'
      ? [`  ${label('service time')} ${formatLatency(run.serviceTime, c)}`]
      : []),
    `  ${label('data')} sent ${formatBytes(totals.bytesSent)} · received ${formatBytes(totals.bytesReceived)}`,
    // a report written before targets were observed has none
    ...(run.observed
      ? formatObserved(run.observed, label, c)
      : []),
    ...(run.breakingPoint
      ? [`  ${label('breaking point')} ${formatBreakingPoint(run.breakingPoint, c)}`]
      : []),
    // a report written before spikes has none
    ...(run.recovery
      ? [`  ${label('recovery')} ${(run.recovery.recoveredAfterMs === null
          ? c.red
          : c.green)(describeRecovery(run.recovery))}`]
      : []),
    ...formatGeneratorHealth(run.generatorHealth, label, c),
    ...formatOverlaps(run, c),
  ]
  const messages = Object.entries(totals.errorMessages).sort(([, a], [, b]) => b - a).slice(0, 5)
  if (messages.length > 0) {
    lines.push(`  ${label('top errors')} ${messages.map(([message, count]) => `${c.red(message)} × ${formatCount(count)}`).join('\n'.padEnd(LABEL_WIDTH + 4))}`)
  }
  lines.push('', ...formatEndpointTable(run.endpoints, c))
  const steps = stepsTable(run)
  if (steps)
    lines.push('', ...formatStepsTable(steps, c))
  const agents = agentsTable(run)
  if (agents)
    lines.push('', ...formatStepsTable(agents, c))
  // a report written before checks and custom metrics existed has neither
  if (run.checks !== undefined && run.checks.length > 0)
    lines.push('', ...formatChecks(run.checks, label, c))
  if (run.metrics !== undefined && Object.keys(run.metrics).length > 0)
    lines.push('', ...formatMetrics(run.metrics, c))
  if (run.verdicts && run.verdicts.length > 0)
    lines.push('', ...formatVerdicts(run.verdicts, c))
  for (const { comparison } of comparisonsOf(run.verdicts))
    lines.push('', ...formatComparison(comparison, c))
  return lines.join('\n')
}

/** A warning when other load tests ran at the same time (a report from before overlaps were tracked has none). */
function formatOverlaps(run: Partial<Pick<SummaryInput, 'overlaps'>>, c: InstanceType<typeof Chalk>): string[] {
  const warning = overlapWarning(run.overlaps)
  return warning === undefined
    ? []
    : [`  ${c.yellow(`⚠ overlapped: ${warning}`)}`]
}

/**
 * One line on how busy the workers and the machine's CPU were, and a warning when the generator was
 * saturated (saying whether by its own work or by CPU contention) or other processes took the cores.
 */
function formatGeneratorHealth(health: GeneratorHealth | undefined, label: (text: string) => string, c: InstanceType<typeof Chalk>): string[] {
  const text = describeGeneratorHealth(health)
  if (!text)
    return []
  const line = `  ${label('generator')} ${c.dim(text.figures)}`
  return text.warning === null
    ? [line]
    : [line, `  ${c.yellow(`⚠ ${text.warning}`)}`]
}

function formatBreakingPoint(search: BreakingPointResult, c: InstanceType<typeof Chalk>): string {
  const broke = search.brokeAt
    ? `${c.red(`broke at ${formatLevel(search.by, search.brokeAt.level)}`)} (${search.brokeAt.tripped.join(', ')})`
    : c.green(`held at every step, up to ${search.steps.at(-1)
        ? formatLevel(search.by, search.steps.at(-1)!.level)
        : 'none'}`)
  const lastGood = search.lastGood
    ? ` · last good ${formatLevel(search.by, search.lastGood.level)} (${stepFigures(search.lastGood)})`
    : ''
  return `${broke}${lastGood} ${c.dim(`· until ${search.condition}`)}`
}

function formatLatency(latency: LatencySummary, c: InstanceType<typeof Chalk>): string {
  if (latency.count === 0)
    return c.dim('no responses')
  const figures: Array<[string, number]> = [
    ['min', latency.minMs],
    ['mean', latency.meanMs],
    ['p50', latency.p50Ms],
    ['p90', latency.p90Ms],
    ['p95', latency.p95Ms],
    ['p99', latency.p99Ms],
    ['p99.9', latency.p999Ms],
    ['max', latency.maxMs],
  ]
  return figures
    .map(([name, ms]) => `${c.dim(name)} ${c.cyan(formatMs(ms))}`)
    .join('  ')
}

function formatStatuses(statusCodes: Record<string, number>): string {
  return Object.entries(statusCodes).sort(([a], [b]) => Number(a) - Number(b)).map(([status, count]) => `${status}: ${formatCount(count)}`).join(' · ')
}

function formatEndpointTable(endpoints: readonly EndpointResult[], c: InstanceType<typeof Chalk>): string[] {
  const header = [
    'endpoint',
    'requests',
    'ok req/s',
    'errors',
    'p50',
    'p95',
    'p99',
    'max',
  ]
  const rows = endpoints.map((endpoint) => {
    // an endpoint without responses has no latency; '0 µs' would read as a measurement
    const latency = (ms: number): string => endpoint.latency.count === 0
      ? '-'
      : formatMs(ms)
    return [
      endpoint.name,
      formatCount(endpoint.totals.requests),
      formatRate(endpoint.throughputPerSec).replace(' req/s', ''),
      formatPercent(endpoint.errorRate),
      latency(endpoint.latency.p50Ms),
      latency(endpoint.latency.p95Ms),
      latency(endpoint.latency.p99Ms),
      latency(endpoint.latency.maxMs),
    ]
  })
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)))
  const render = (cells: string[]): string => `  ${cells.map((cell, column) => column === 0
    ? cell.padEnd(widths[column]!)
    : cell.padStart(widths[column]!)).join('  ')}`
  return [
    c.dim(render(header)),
    ...rows.map(render),
  ]
}

/** What was seen on the target: who, then one line a figure (mean, max, last), memory's growth and failed readings. */
function formatObserved(observed: ObservedTarget, label: (text: string) => string, c: InstanceType<typeof Chalk>): string[] {
  const rows = observedRows(observed.figures)
  const width = Math.max(0, ...rows.map(row => row.name.length))
  const indent = ' '.repeat(LABEL_WIDTH + 2)
  const lines = rows.map(row => `${row.name.padEnd(width)}  mean ${row.mean}  max ${row.max}  last ${row.last}`)
  const growth = describeGrowth(observed)
  const failures = describeFailures(observed)
  return [
    `  ${label('target')} ${observedSubject(observed)}`,
    ...lines.map(line => `${indent} ${line}`),
    ...(growth === undefined
      ? []
      : [`${indent} ${c.dim(`growth: ${growth}`)}`]),
    ...(failures === undefined
      ? []
      : [`${indent} ${c.yellow(failures)}`]),
  ]
}

/** The steps under their title (and a search's condition and outcome), one padded row a step; what broke a step in red. */
function formatStepsTable(table: StepsTable, c: InstanceType<typeof Chalk>): string[] {
  const widths = table.columns.map((title, column) => Math.max(title.length, ...table.rows.map(row => row.cells[column]!.length)))
  const last = table.columns.length - 1
  const render = (cells: string[]): string => `  ${cells.map((cell, column) => column === last && table.note !== undefined
    ? cell
    : cell.padStart(widths[column]!)).join('  ')}`
  const colour = {
    broke: c.red,
    held: c.green,
    measured: (text: string) => text,
  }
  return [
    `  ${c.bold(table.title)}${table.note === undefined
      ? ''
      : `  ${c.dim(table.note)}`}`,
    c.dim(render(table.columns)),
    ...table.rows.map(row => colour[row.state](render(row.cells))),
  ]
}

/** The pass rate of all checks, then one line per check: ✓ when every call passed, else ✗, its pass rate, passes and fails. */
function formatChecks(checks: readonly CheckResult[], label: (text: string) => string, c: InstanceType<typeof Chalk>): string[] {
  const passes = checks.reduce((sum, check) => sum + check.passes, 0)
  const total = checks.reduce((sum, check) => sum + check.passes + check.fails, 0)
  const rate = total === 0
    ? 0
    : passes / total
  const nameWidth = Math.max(...checks.map(check => check.name.length))
  const rates = checks.map(check => formatPercent(check.passRate))
  const rateWidth = Math.max(...rates.map(text => text.length))
  return [
    `  ${label('checks')} ${(passes === total
      ? c.green
      : c.red)(`${formatPercent(rate)} passed`)}  ${c.dim(`${formatCount(passes)} of ${formatCount(total)}`)}`,
    ...checks.map((check, index) => {
      const color = check.fails === 0
        ? c.green
        : c.red
      return `    ${color(check.fails === 0
        ? '✓'
        : '✗')} ${check.name.padEnd(nameWidth)}  ${color(rates[index]!.padStart(rateWidth))}  ${c.dim(`${formatCount(check.passes)} passed · ${formatCount(check.fails)} failed`)}`
    }),
  ]
}

/** A custom metric's figures in one line: `40`, `50 % (200 of 400)`, `count 400 · min 0 · … · max 399`. */
export function describeMetric(metric: CustomMetricResult): string {
  switch (metric.type) {
    case 'counter':
      return formatNumber(metric.count)
    case 'rate':
      return `${formatPercent(metric.rate)} (${formatCount(metric.trues)} of ${formatCount(metric.total)})`
    case 'trend':
      return [
        `count ${formatCount(metric.count)}`,
        `min ${formatNumber(metric.min)}`,
        `mean ${formatNumber(metric.mean)}`,
        // percentiles hold 3 significant digits (HDR); count, min, mean and max are exact
        `p50 ${formatNumber(metric.p50, 3)}`,
        `p90 ${formatNumber(metric.p90, 3)}`,
        `p95 ${formatNumber(metric.p95, 3)}`,
        `p99 ${formatNumber(metric.p99, 3)}`,
        `max ${formatNumber(metric.max)}`,
      ].join(' · ')
  }
}

/** One row per custom metric: its name, its type and its figures. */
function formatMetrics(metrics: Readonly<Record<string, CustomMetricResult>>, c: InstanceType<typeof Chalk>): string[] {
  const rows = Object.entries(metrics).map(([name, metric]) => [
    name,
    metric.type,
    describeMetric(metric),
  ])
  const header = ['metric', 'type', 'value']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)))
  const render = (cells: string[]): string => `  ${cells.map((cell, column) => column === cells.length - 1
    ? cell
    : cell.padEnd(widths[column]!)).join('  ')}`
  return [
    c.dim(render(header)),
    ...rows.map(render),
  ]
}

/** A baseline comparison as a table: each metric's baseline, value now, change with its interval, tolerance and verdict. */
function formatComparison(comparison: BaselineComparison, c: InstanceType<typeof Chalk>): string[] {
  const rows = comparisonCells(comparison)
  const header = comparisonColumns(comparison)
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row.cells[column]!.length)))
  // the columns before the verdict, padded; the verdict follows, coloured by what it says
  const render = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')
  const paint = {
    'regressed': c.red,
    'improved': c.green,
    'inconclusive': c.yellow,
    'within tolerance': c.dim,
    'unchanged': c.dim,
  }
  return [
    `  ${c.bold(comparisonHeading(comparison))} ${c.dim(comparisonTitle(comparison))}`,
    ...comparisonNotes(comparison).map(note => `  ${note.startsWith('Not comparable')
      ? c.yellow(note)
      : c.dim(note)}`),
    c.dim(`    ${render(header.slice(0, -1))}  ${header.at(-1)}`),
    ...rows.map(row => `  ${row.verdict === 'regressed'
      ? c.red('✗')
      : c.green('✓')} ${render(row.cells.slice(0, -1))}  ${paint[row.verdict](row.cells.at(-1)!)}`),
  ]
}

/** One line per matcher that ran: ✓ or ✗, the matcher as it was called, the limit and the measured value. */
function formatVerdicts(verdicts: readonly MatcherVerdict[], c: InstanceType<typeof Chalk>): string[] {
  const rows = verdicts.map(verdict => [
    verdictLabel(verdict),
    verdict.expected,
    verdict.actual,
  ])
  const header = ['matcher', 'limit', 'measured']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)))
  const render = (cells: string[]): string => cells.map((cell, column) => column === cells.length - 1
    ? cell
    : cell.padEnd(widths[column]!)).join('  ')
  return [
    c.dim(`    ${render(header)}`),
    ...verdicts.map((verdict, index) => `  ${verdict.pass
      ? c.green('✓')
      : c.red('✗')} ${render(rows[index]!)}`),
  ]
}
