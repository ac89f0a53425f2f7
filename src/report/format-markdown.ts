import type { BaselineRowVerdict } from '../baseline/compare.js'
import type { EndpointResult } from '../metrics/summary.js'
import type { ReportTest } from './format-json.js'
import type { RunReport } from './run-report.js'
import type { StepsTable } from './steps-table.js'
import { describeRecovery } from '../metrics/recovery.js'
import { formatBytes, formatCount, formatMs, formatPercent, formatRate, formatThroughput } from '../metrics/units.js'
import { agentsTable } from './agents-table.js'
import { capitalized, comparisonCells, comparisonColumns, comparisonHeading, comparisonNotes, comparisonsOf, comparisonTitle } from './baseline-table.js'
import { describeGeneratorHealth } from './generator-health.js'
import { runTitle } from './labels.js'
import { describeFailures, describeGrowth, observedRows, observedSubject } from './observed.js'
import { overlapWarning } from './overlap-note.js'
import { stepsTable } from './steps-table.js'
import { describeMetric, verdictLabel } from './terminal.js'

/** How a baseline row's verdict shows in a table: a regression fails, the rest pass. */
const VERDICT_MARKS: Record<BaselineRowVerdict, string> = {
  'regressed': '❌',
  'inconclusive': '⚠️',
  'improved': '🚀',
  'within tolerance': '✅',
  'unchanged': '✅',
}

/** One run, with the test it belongs to. */
export interface ReportEntry {
  report: RunReport
  test: ReportTest | null
}

/** Text from outside (names, messages) that Markdown or GitHub's HTML would otherwise interpret. */
function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    // only a '<' that could open an HTML tag: '< 100 ms' stays readable in the raw file
    .replace(/<(?=[a-z/!?])/gi, '&lt;')
    .replace(/([*_`[\]])/g, '\\$1')
    .replace(/\r?\n/g, ' ')
}

/** A code span; in a table, `|` is escaped even there (GitHub's rule). */
function code(text: string): string {
  const inner = text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
  // a span that contains a backtick needs a double fence, with spaces inside it
  return inner.includes('`')
    ? `\`\` ${inner} \`\``
    : `\`${inner}\``
}

/** Passed, failed or, without a test, what the matchers say. */
export function runPassed(entry: ReportEntry): boolean {
  return entry.test
    ? entry.test.state !== 'failed'
    : entry.report.verdicts.every(verdict => verdict.pass)
}

function latency(result: EndpointResult, ms: number): string {
  // without a response there is no latency, and '0 µs' would read as a measurement
  return result.latency.count === 0
    ? '–'
    : formatMs(ms)
}

function endpointRow(result: EndpointResult, name: string): string {
  return `| ${name} | ${formatCount(result.totals.requests)} | ${formatRate(result.throughputPerSec).replace(' req/s', '')} | ${formatPercent(result.errorRate)} | ${latency(result, result.latency.p50Ms)} | ${latency(result, result.latency.p95Ms)} | ${latency(result, result.latency.p99Ms)} | ${latency(result, result.latency.maxMs)} |`
}

/** A quoted warning under the context line when other load tests ran at the same time. */
function overlapLines(report: Partial<Pick<ReportEntry['report'], 'overlaps'>>): string[] {
  const warning = overlapWarning(report.overlaps)
  return warning === undefined
    ? []
    : ['', `> ⚠ **Overlapped:** ${escapeCell(warning)}`]
}

/** The section of one run: a heading, one line of context, the endpoint table and the matchers. */
export function formatMarkdownRun(entry: ReportEntry): string {
  const { report, test } = entry
  const title = runTitle(report.name, test)
  const context = [
    test
      ? code(test.file)
      : undefined,
    escapeCell(report.model),
    `${report.workers} ${report.workers === 1
      ? 'worker'
      : 'workers'}`,
    formatMs(report.durationMs),
    // a report written before warm-ups has none
    report.warmup
      ? `warm-up ${formatMs(report.warmup.durationMs)} (${formatCount(report.warmup.totals.requests)} requests, not judged)`
      : undefined,
    `${formatCount(report.totals.requests)} requests`,
    formatThroughput(report.throughputPerSec, report.attemptsPerSec),
    `${formatPercent(report.errorRate)} errors`,
    report.droppedArrivals > 0
      ? `**${formatCount(report.droppedArrivals)} arrivals dropped**`
      : undefined,
    `received ${formatBytes(report.totals.bytesReceived)}`,
  ].filter(part => part !== undefined)
  const lines = [
    `### ${runPassed(entry)
      ? '✅'
      : '❌'} ${escapeCell(title)}${report.incomplete
      ? ' (incomplete)'
      : ''}`,
    '',
    ...(report.incomplete
      ? [`**Incomplete:** ${escapeCell(report.incomplete)} — the figures cover only what was measured until the run stopped.`, '']
      : []),
    context.join(' · '),
    ...overlapLines(report),
    '',
    '| endpoint | requests | ok req/s | errors | p50 | p95 | p99 | max |',
    '| :-- | --: | --: | --: | --: | --: | --: | --: |',
    ...report.endpoints.map(endpoint => endpointRow(endpoint, escapeCell(endpoint.name))),
  ]
  if (report.endpoints.length !== 1)
    lines.push(endpointRow(report, '**all**'))
  // a report written before targets were observed has none
  if (report.observed) {
    const observed = report.observed
    const notes = [
      describeGrowth(observed),
      describeFailures(observed),
    ].filter(note => note !== undefined)
    lines.push(
      '',
      `**Target** ${escapeCell(observedSubject(observed))}`,
      '',
      '| figure | mean | max | last |',
      '| :-- | --: | --: | --: |',
      ...observedRows(observed.figures).map(row => `| ${escapeCell(row.name)} | ${row.mean} | ${row.max} | ${row.last} |`),
      ...notes.flatMap(note => [
        '',
        escapeCell(note),
      ]),
    )
  }
  const steps = stepsTable(report)
  if (report.recovery) {
    lines.push('', `**Recovery:** ${report.recovery.recoveredAfterMs === null
      ? '❌'
      : '✅'} ${escapeCell(describeRecovery(report.recovery))}`)
  }
  for (const table of [
    steps,
    agentsTable(report),
  ]) {
    if (table)
      lines.push('', ...markdownTable(table))
  }
  // a report written before checks and custom metrics existed has neither
  if (report.checks !== undefined && report.checks.length > 0) {
    lines.push(
      '',
      '| | check | pass rate | passed | failed |',
      '| :-: | :-- | --: | --: | --: |',
      ...report.checks.map(check => `| ${check.fails === 0
        ? '✅'
        : '❌'} | ${escapeCell(check.name)} | ${formatPercent(check.passRate)} | ${formatCount(check.passes)} | ${formatCount(check.fails)} |`),
    )
  }
  const metrics = Object.entries(report.metrics ?? {})
  if (metrics.length > 0) {
    lines.push(
      '',
      '| metric | type | value |',
      '| :-- | :-- | :-- |',
      ...metrics.map(([name, metric]) => `| ${escapeCell(name)} | ${metric.type} | ${escapeCell(describeMetric(metric))} |`),
    )
  }
  if (report.verdicts.length > 0) {
    lines.push(
      '',
      '| | matcher | limit | measured |',
      '| :-: | :-- | :-- | :-- |',
      ...report.verdicts.map(verdict => `| ${verdict.pass ? '✅' : '❌'} | ${code(verdictLabel(verdict))} | ${escapeCell(verdict.expected)} | ${escapeCell(verdict.actual)} |`),
    )
  }
  for (const { comparison } of comparisonsOf(report.verdicts)) {
    lines.push(
      '',
      `${capitalized(comparisonHeading(comparison))}: ${escapeCell(comparisonTitle(comparison))}`,
      ...comparisonNotes(comparison).flatMap(note => [
        '',
        note.startsWith('Not comparable')
          ? `**${escapeCell(note)}**`
          : escapeCell(note),
      ]),
      '',
      `| | ${comparisonColumns(comparison).join(' | ')} |`,
      '| :-: | :-- | --: | --: | :-- | --: | --: | :-- |',
      ...comparisonCells(comparison).map(row => `| ${VERDICT_MARKS[row.verdict]} | ${row.cells.map(escapeCell).join(' | ')} |`),
    )
  }
  const messages = Object.entries(report.totals.errorMessages).sort(([, a], [, b]) => b - a).slice(0, 3)
  if (messages.length > 0)
    lines.push('', `Top errors: ${messages.map(([message, count]) => `${code(message)} × ${formatCount(count)}`).join(' · ')}`)
  // the generator's figures once the machine's CPU is known (every run on Linux) or there is a warning
  const generator = describeGeneratorHealth(report.generatorHealth)
  if (generator && (report.generatorHealth.cpu || generator.warning !== null)) {
    lines.push('', `Generator: ${generator.figures}`)
    if (generator.warning !== null)
      lines.push('', `> ⚠️ ${escapeCell(generator.warning)}`)
  }
  return lines.join('\n')
}

/**
 * The Markdown summary of a test run, for GitHub's job summary or a pull-request comment: a
 * heading with the count of load tests and failures, then one section, with one table, per run.
 */
export function formatMarkdownSummary(entries: readonly ReportEntry[]): string {
  const failed = entries.filter(entry => !runPassed(entry)).length
  const heading = `## vitest-load: ${entries.length} load ${entries.length === 1
    ? 'run'
    : 'runs'}, ${failed === 0
    ? 'all passed'
    : `${failed} failed`}`
  return `${[
    heading,
    ...entries.map(formatMarkdownRun),
  ].join('\n\n')}\n`
}

/** A table of steps or agents: its title and note, then a row each, the last column marked when the note says what it judges. */
function markdownTable(table: StepsTable): string[] {
  const marks = { broke: '❌ ', held: '✅ ', measured: '' }
  const judged = (column: number): boolean => column === table.columns.length - 1 && table.note !== undefined
  return [
    `**${table.title}**${table.note === undefined
      ? ''
      : ` ${escapeCell(table.note)}`}`,
    '',
    `| ${table.columns.join(' | ')} |`,
    `| ${table.columns.map((_, column) => judged(column)
      ? ':--'
      : '--:').join(' | ')} |`,
    ...table.rows.map(row => `| ${row.cells.map((cell, column) => judged(column)
      ? `${marks[row.state]}${escapeCell(cell)}`
      : escapeCell(cell)).join(' | ')} |`),
  ]
}
