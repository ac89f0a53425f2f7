import type { EndpointResult, TimelinePoint } from '../metrics/summary.js'
import type { MatcherVerdict } from '../metrics/verdicts.js'
import type { RequestDescription } from '../spec/redact.js'
import type { ReportTest } from './format-json.js'
import type { ChartSeries } from './html/charts.js'
import type { RunReport } from './run-report.js'
import type { StepsTable } from './steps-table.js'
import { decodeHistogram, percentileMs } from '../metrics/histogram.js'
import { describeRecovery } from '../metrics/recovery.js'
import { maxOf, timelineStep } from '../metrics/timeline.js'
import { formatBytes, formatCount, formatMs, formatObserved, formatPercent, formatRate, formatThroughput } from '../metrics/units.js'
import { REDACTED } from '../spec/redact.js'
import { agentsTable } from './agents-table.js'
import { capitalized, comparisonCells, comparisonColumns, comparisonHeading, comparisonNotes, comparisonsOf, comparisonTitle } from './baseline-table.js'
import { describeGeneratorHealth } from './generator-health.js'
import { escapeHtml, renderChart, renderLegend } from './html/charts.js'
import { REPORT_SCRIPT } from './html/script.js'
import { REPORT_STYLE } from './html/style.js'
import { runTitle } from './labels.js'
import { describeFailures, describeGrowth, formatGrowth, observedRows, observedSubject } from './observed.js'
import { overlapWarning } from './overlap-note.js'
import { stepsTable } from './steps-table.js'
import { describeMetric, verdictLabel } from './terminal.js'

/** What the HTML report shows besides the run. */
export interface HtmlReportInfo {
  /** The test the run belongs to, or `null` outside a test. */
  test: ReportTest | null
  /** `'vitest-load 0.1.0'` */
  generator: string
}

const COLORS = {
  throughput: '#4f46e5',
  p50: '#0ea5e9',
  p95: '#f59e0b',
  p99: '#e11d48',
  errors: '#dc2626',
  users: '#7c3aed',
  dropped: '#f97316',
  cpu: '#059669',
  memory: '#0891b2',
  heap: '#db2777',
  metric: '#65a30d',
}

/** Prometheus series drawn as charts of their own, at most; the table lists them all. */
const MAX_METRIC_CHARTS = 6

/** Intervals shorter than this (the last one of a run may be a few ms) would show a rate made of noise. */
const MIN_RATE_INTERVAL_MS = 100

const LOGO = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M3 17l5-6 4 4 8-10"/><path d="M14 5h6v6"/></svg>'

/** The middle of an interval, where its figures are drawn: they hold for the whole interval. */
function intervalMiddle(point: Pick<TimelinePoint, 'second' | 'durationMs'>): number {
  return point.second + point.durationMs / 2000
}

function perSecond(count: number, point: TimelinePoint): number | null {
  return point.durationMs >= MIN_RATE_INTERVAL_MS
    ? count / (point.durationMs / 1000)
    : null
}

/** A point without any response has no latency; a gap reads right where 0 would read as fast. */
function latencyOf(point: TimelinePoint, value: number): number | null {
  return point.p99Ms > 0
    ? value
    : null
}

function kpi(label: string, value: string, sub: string, tone = ''): string {
  // the unit after the last space is set smaller: '31.2 ms' → 31.2 <small>ms</small>
  const match = /^(.*\d)\s(\S+)$/.exec(value)
  const shown = match
    ? `${escapeHtml(match[1]!)}<small>${escapeHtml(match[2]!)}</small>`
    : escapeHtml(value)
  return `<div class="card kpi ${tone}"><div class="label">${escapeHtml(label)}</div><div class="value">${shown}</div><div class="sub">${sub}</div></div>`
}

function chartCard(title: string, now: string, chart: string, series: readonly ChartSeries[]): string {
  return `<div class="card chart-card"><header><h3>${escapeHtml(title)}</h3><span class="now">${escapeHtml(now)}</span></header>${renderLegend(series)}${chart}<div class="tooltip" hidden></div></div>`
}

function renderCharts(report: RunReport): string {
  const timeline = report.timeline
  if (timeline.length === 0)
    return '<div class="card empty">No interval was measured: the run ended before its first second.</div>'
  const x = timeline.map(intervalMiddle)
  // no spread: a timeline read from an old report may hold a point for each of 86,400 seconds
  const xMax = maxOf(timeline.map(point => point.second + point.durationMs / 1000), report.durationMs / 1000)
  const step = timelineStep(timeline)
  // a report written before warm-ups has none
  const warmupSeconds = (report.warmup?.durationMs ?? 0) / 1000
  // successes a second (the run's throughputPerSec), with failed attempts in the errors chart
  const throughput: ChartSeries[] = [
    {
      name: 'ok/s',
      color: COLORS.throughput,
      values: timeline.map(point => perSecond(point.requests - point.errors, point)),
    },
  ]
  const latency: ChartSeries[] = [
    {
      name: 'p50',
      color: COLORS.p50,
      values: timeline.map(point => latencyOf(point, point.p50Ms)),
    },
    {
      name: 'p95',
      color: COLORS.p95,
      values: timeline.map(point => latencyOf(point, point.p95Ms)),
    },
    {
      name: 'p99',
      color: COLORS.p99,
      values: timeline.map(point => latencyOf(point, point.p99Ms)),
    },
  ]
  const open = report.modelKind === 'open'
  const errors: ChartSeries[] = [
    {
      name: 'errors/s',
      color: COLORS.errors,
      values: timeline.map(point => perSecond(point.errors, point)),
    },
    // arrivals the open model could not send: the other way a run falls short of its plan
    ...(open || report.droppedArrivals > 0
      ? [
          {
            name: 'dropped arrivals/s',
            color: COLORS.dropped,
            values: timeline.map(point => perSecond(point.droppedArrivals, point)),
          },
        ]
      : []),
  ]
  // in the open model a user is a request in flight: arrivals start them, not a fixed pool
  const users: ChartSeries[] = [
    {
      name: open ? 'requests in flight' : 'active users',
      color: COLORS.users,
      values: timeline.map(point => point.activeUsers),
    },
  ]
  const peakUsers = maxOf(timeline.map(point => point.activeUsers))
  const errorSuffix = (value: number): string => `${formatRate(value).replace(' req/s', '')} /s`
  return [
    chartCard('Throughput', `${formatThroughput(report.throughputPerSec, report.attemptsPerSec)} overall`, renderChart({
      xMax,
      warmupSeconds,
      id: 'chart-throughput',
      label: 'Successful responses per second over time',
      x,
      series: throughput,
      kind: 'line',
      format: formatRate,
    }), throughput),
    chartCard('Latency', report.latency.count > 0
      ? `p95 ${formatMs(report.latency.p95Ms)} overall`
      : 'no responses', renderChart({
      xMax,
      warmupSeconds,
      id: 'chart-latency',
      label: 'Latency percentiles p50, p95 and p99 over time',
      x,
      series: latency,
      kind: 'line',
      format: formatMs,
    }), latency),
    chartCard('Errors', `${formatCount(report.totals.errors.total)} · ${formatPercent(report.errorRate)}`, renderChart({
      xMax,
      warmupSeconds,
      id: 'chart-errors',
      label: 'Errors per second over time',
      x,
      series: errors,
      kind: 'bars',
      step,
      format: errorSuffix,
    }), errors),
    ...renderTargetCharts(report, xMax, warmupSeconds),
    chartCard(open ? 'In flight' : 'Active users', `peak ${formatCount(peakUsers)}`, renderChart({
      xMax,
      warmupSeconds,
      id: 'chart-users',
      label: open ? 'Requests in flight over time' : 'Active virtual users over time',
      x,
      series: users,
      kind: 'line',
      format: value => formatCount(value),
    }), users),
  ].join('')
}

/**
 * What was observed on the target, on the same time axis as the load: its CPU, its memory, and
 * each Prometheus series (at most `MAX_METRIC_CHARTS`); nothing without `observe`.
 */
function renderTargetCharts(report: RunReport, xMax: number, warmupSeconds: number): string[] {
  // a report written before targets were observed has none
  const observed = report.observed
  if (!observed || observed.timeline.length === 0)
    return []
  const points = observed.timeline
  const x = points.map(intervalMiddle)
  const { figures } = observed
  const chart = (title: string, now: string, id: string, label: string, series: ChartSeries[], format: (value: number) => string): string =>
    chartCard(title, now, renderChart({
      xMax,
      warmupSeconds,
      id,
      label,
      x,
      series,
      kind: 'line',
      format,
    }), series)
  const charts: string[] = []
  if (figures.cpu) {
    charts.push(chart('Target CPU', `mean ${formatObserved(figures.cpu.mean, 'cores')}`, 'chart-target-cpu', 'The target\'s CPU over time, in cores', [
      {
        name: 'cores',
        color: COLORS.cpu,
        values: points.map(point => point.cpu ?? null),
      },
    ], value => formatObserved(value, 'cores')))
  }
  const memory: ChartSeries[] = [
    ...(figures.rss
      ? [
          {
            name: 'resident',
            color: COLORS.memory,
            values: points.map(point => point.rssBytes ?? null),
          },
        ]
      : []),
    ...(figures.heap
      ? [
          {
            name: 'V8 heap',
            color: COLORS.heap,
            values: points.map(point => point.heapUsedBytes ?? null),
          },
        ]
      : []),
  ]
  if (memory.length > 0) {
    const growth = observed.memoryGrowth
    charts.push(chart('Target memory', growth
      ? formatGrowth(growth.bytesPerSec)
      : `last ${formatBytes((figures.rss ?? figures.heap)!.last)}`, 'chart-target-memory', 'The target\'s memory over time', memory, formatBytes))
  }
  const series = observedRows(figures).filter(row => ![
    'cpu',
    'rss',
    'heap',
    'threads',
    'openFiles',
    'eventLoopDelayP99',
  ].includes(row.key))
  series.slice(0, MAX_METRIC_CHARTS).forEach((row, index) => {
    const unit = figures[row.key]!.unit
    charts.push(chart(row.name, `mean ${row.mean}`, `chart-target-metric-${index}`, `${row.name} over time`, [
      {
        name: unit === '/s'
          ? 'per second'
          : 'value',
        color: COLORS.metric,
        values: points.map(point => point.metrics?.[row.key] ?? null),
      },
    ], value => formatObserved(value, unit)))
  })
  return charts
}

/** What was observed on the target over the judged seconds: a row a figure; nothing without `observe`. */
function renderTarget(report: RunReport): string {
  const observed = report.observed
  if (!observed)
    return ''
  const rows = observedRows(observed.figures).map(row => `<tr><td class="name">${escapeHtml(row.name)}</td><td>${escapeHtml(row.mean)}</td><td>${escapeHtml(row.max)}</td><td>${escapeHtml(row.last)}</td></tr>`)
  const notes = [
    describeGrowth(observed),
    describeFailures(observed),
  ].filter(note => note !== undefined).map(note => `<p class="baseline-note">${escapeHtml(note)}</p>`).join('')
  return `<section><h2>Target <span class="aside">${escapeHtml(observedSubject(observed))}</span></h2>${notes}`
    + '<div class="card table-card"><table><thead><tr><th>figure</th><th>mean</th><th>max</th><th>last</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table></div></section>`
}

/** A warning box when other load tests ran at the same time; nothing otherwise. */
function renderOverlaps(report: Partial<Pick<RunReport, 'overlaps'>>): string {
  const warning = overlapWarning(report.overlaps)
  return warning === undefined
    ? ''
    : `<section class="overlaps" role="alert"><b>⚠ Overlapped:</b> ${escapeHtml(warning)}</section>`
}

/** What a point of the charts stands for: a second, or seconds merged into one point in a long run. */
function overTimeAside(report: RunReport): string {
  const step = timelineStep(report.timeline)
  return step === 1
    ? 'one point for each second of the run'
    : `one point for each ${step} s of the run: a long run merges its seconds, exactly, into at most 600 points`
}

function renderVerdicts(verdicts: readonly MatcherVerdict[]): string {
  if (verdicts.length === 0)
    return '<section><h2>Matchers</h2><div class="card empty">No matcher ran on this run.</div></section>'
  const passed = verdicts.filter(verdict => verdict.pass).length
  const rows = verdicts.map(verdict => `<li class="${verdict.pass ? 'pass' : 'fail'}"><span class="mark" aria-label="${verdict.pass ? 'passed' : 'failed'}">${verdict.pass ? '✓' : '✗'}</span>`
    + `<code>${escapeHtml(verdictLabel(verdict))}</code><span class="what">${escapeHtml(verdict.measured)}</span>`
    + `<span class="limit">${escapeHtml(verdict.expected)}</span><span class="actual">${escapeHtml(verdict.actual)}</span></li>`)
  return `<section><h2>Matchers <span class="aside">${passed} of ${verdicts.length} passed</span></h2><ul class="card verdicts">`
    + '<li class="head"><span></span><span>matcher</span><span>measured</span><span>limit</span><span class="actual">value</span></li>'
    + `${rows.join('')}</ul></section>`
}

/** Each baseline comparison as a table: baseline, now, change with its interval, tolerance, verdict. */
function renderComparisons(verdicts: readonly MatcherVerdict[]): string {
  return comparisonsOf(verdicts).map(({ comparison }) => {
    const rows = comparisonCells(comparison).map(row => `<tr class="${row.verdict === 'regressed'
      ? 'fail'
      : 'pass'}">`
      + `<td class="name"><span class="mark">${row.verdict === 'regressed'
        ? '✗'
        : '✓'}</span> ${escapeHtml(row.cells[0]!)}</td>`
        + `${row.cells.slice(1).map(cell => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    const notes = comparisonNotes(comparison).map(note => `<p class="${note.startsWith('Not comparable')
      ? 'baseline-note not-comparable'
      : 'baseline-note'}">${escapeHtml(note)}</p>`).join('')
    return `<section class="baseline"><h2>${capitalized(comparisonHeading(comparison))} <span class="aside">${escapeHtml(comparisonTitle(comparison))}</span></h2>${notes}`
      + `<div class="card table-card"><table><thead><tr>${comparisonColumns(comparison).map(column => `<th>${column}</th>`).join('')}</tr></thead>`
      + `<tbody>${rows.join('')}</tbody></table></div></section>`
  }).join('\n')
}

function sparkline(values: ReadonlyArray<number | null>, color: string): string {
  const shown = values.map(value => value ?? 0)
  if (shown.length < 2)
    return ''
  const max = maxOf(shown, 1e-9)
  const points = shown.map((value, index) => `${(index / (shown.length - 1) * 96).toFixed(1)},${(22 - value / max * 20).toFixed(1)}`)
  return `<svg class="spark" viewBox="0 0 96 24" aria-hidden="true"><polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/></svg>`
}

function endpointRow(result: EndpointResult, name: string, className = ''): string {
  const latency = (ms: number): string => result.latency.count === 0
    ? '–'
    : formatMs(ms)
  const errors = formatPercent(result.errorRate)
  return `<tr class="${className}"><td class="name">${escapeHtml(name)}</td><td>${formatCount(result.totals.requests)}</td><td>${escapeHtml(formatRate(result.throughputPerSec))}</td>`
    + `<td>${result.totals.errors.total > 0
      ? `<span class="err">${errors}</span>`
      : errors}</td>`
      + `<td>${latency(result.latency.p50Ms)}</td><td>${latency(result.latency.p95Ms)}</td><td>${latency(result.latency.p99Ms)}</td><td>${latency(result.latency.maxMs)}</td>`
      + `<td>${sparkline(result.timeline.map(point => perSecond(point.requests - point.errors, point)), COLORS.throughput)}</td></tr>`
}

function renderEndpoints(report: RunReport): string {
  const rows = report.endpoints.map(endpoint => endpointRow(endpoint, endpoint.name))
  if (report.endpoints.length !== 1)
    rows.push(endpointRow(report, 'all endpoints', 'total'))
  return `<section><h2>Endpoints <span class="aside">${report.endpoints.length} ${report.endpoints.length === 1
    ? 'endpoint'
    : 'endpoints'}</span></h2>`
    + '<div class="card table-card"><table><thead><tr><th>endpoint</th><th>requests</th><th>ok req/s</th><th>errors</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>ok req/s over time</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table></div></section>`
}

/** The steps of a step test or a breaking-point search, a row a step, with what broke a step in numbers; nothing without steps. */
function renderSteps(report: RunReport): string {
  const table = stepsTable(report)
  if (!table)
    return ''
  const recovery = report.recovery
    ? `<p class="baseline-note${report.recovery.recoveredAfterMs === null
      ? ' not-comparable'
      : ''}">Recovery: ${escapeHtml(describeRecovery(report.recovery))}</p>`
    : ''
  return renderTable(table, `${table.rows.length} ${table.rows.length === 1
    ? 'step'
    : 'steps'}`, recovery)
}

/** A distributed run's agents: each one's share, requests, busy workers, clock, and whether it finished; nothing for a local run. */
function renderAgents(report: RunReport): string {
  const table = agentsTable(report)
  return table
    ? renderTable(table, '', '')
    : ''
}

/** A table of steps or agents in a section: the last column marked ✓ or ✗ when the note says what it judges. */
function renderTable(table: StepsTable, count: string, before: string): string {
  const judged = table.note !== undefined
  const rows = table.rows.map(row => `<tr class="${row.state === 'broke'
    ? 'fail'
    : row.state === 'held'
      ? 'pass'
      : ''}">${row.cells.map((cell, column) => judged && column === row.cells.length - 1
    ? `<td class="name"><span class="mark">${row.state === 'broke'
      ? '✗'
      : '✓'}</span> ${escapeHtml(cell)}</td>`
    : `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
  return `<section><h2>${table.title} <span class="aside">${escapeHtml(table.note ?? count)}</span></h2>${before}`
    + `<div class="card table-card"><table><thead><tr>${table.columns.map(column => `<th>${escapeHtml(column)}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table></div></section>`
}

/** The checks of a scenario (`ctx.check()`) and its custom metrics, each a table; nothing without them. */
function renderChecksAndMetrics(report: RunReport): string {
  // a report written before checks and custom metrics existed has neither
  const checks = report.checks ?? []
  const metrics = Object.entries(report.metrics ?? {})
  const sections: string[] = []
  if (checks.length > 0) {
    const passes = checks.reduce((sum, check) => sum + check.passes, 0)
    const total = checks.reduce((sum, check) => sum + check.passes + check.fails, 0)
    const rows = checks.map(check => `<tr class="${check.fails === 0
      ? 'pass'
      : 'fail'}"><td class="name"><span class="mark" aria-label="${check.fails === 0
      ? 'all passed'
      : 'some failed'}">${check.fails === 0
      ? '✓'
      : '✗'}</span> ${escapeHtml(check.name)}</td>`
      + `<td>${check.fails === 0
        ? formatPercent(check.passRate)
        : `<span class="err">${formatPercent(check.passRate)}</span>`}</td><td>${formatCount(check.passes)}</td><td>${formatCount(check.fails)}</td></tr>`)
    sections.push(`<section id="checks"><h2>Checks <span class="aside">${formatPercent(total === 0
      ? 0
      : passes / total)} passed · ${formatCount(passes)} of ${formatCount(total)}</span></h2>`
      + '<div class="card table-card"><table><thead><tr><th>check</th><th>pass rate</th><th>passed</th><th>failed</th></tr></thead>'
      + `<tbody>${rows.join('')}</tbody></table></div></section>`)
  }
  if (metrics.length > 0) {
    const rows = metrics.map(([name, metric]) => `<tr><td class="name">${escapeHtml(name)}</td><td>${metric.type}</td><td class="value">${escapeHtml(describeMetric(metric))}</td></tr>`)
    sections.push(`<section id="metrics"><h2>Custom metrics <span class="aside">${metrics.length} ${metrics.length === 1
      ? 'metric'
      : 'metrics'}</span></h2>`
      + '<div class="card table-card"><table><thead><tr><th>metric</th><th>type</th><th>value</th></tr></thead>'
      + `<tbody>${rows.join('')}</tbody></table></div></section>`)
  }
  return sections.join('\n')
}

function bars(rows: ReadonlyArray<{ label: string, value: number, shown: string, className?: string }>): string {
  const max = maxOf(rows.map(row => row.value), 1e-9)
  return `<div class="bars">${rows.map(row => `<span class="mono">${escapeHtml(row.label)}</span>`
    + `<span class="track"><span class="fill ${row.className ?? ''}" style="width:${Math.max(row.value > 0
      ? 1.5
      : 0, row.value / max * 100).toFixed(1)}%; display:block"></span></span>`
      + `<span class="count">${escapeHtml(row.shown)}</span>`).join('')}</div>`
}

function renderDistribution(report: RunReport): string {
  if (report.latency.count === 0)
    return '<div class="card pad"><h2>Latency percentiles</h2><p class="muted">No request received a response.</p></div>'
  const histogram = decodeHistogram(report.histogram)
  const percentiles: Array<[string, number]> = [
    ['min', 0],
    ['p50', 50],
    ['p75', 75],
    ['p90', 90],
    ['p95', 95],
    ['p99', 99],
    ['p99.9', 99.9],
    ['max', 100],
  ]
  const rows = percentiles.map(([label, percentile]) => {
    const ms = percentileMs(histogram, percentile)
    return {
      label,
      value: ms,
      shown: formatMs(ms),
      className: percentile >= 99
        ? 'p99'
        : percentile >= 95
          ? 'p95'
          : 'p50',
    }
  })
  return `<div class="card pad"><h2>Latency percentiles <span class="aside">${formatCount(report.latency.count)} responses · mean ${formatMs(report.latency.meanMs)} · σ ${formatMs(report.latency.stddevMs)}</span></h2>${bars(rows)}</div>`
}

function renderResponses(report: RunReport): string {
  const { totals } = report
  const statuses = Object.entries(totals.statusCodes).sort(([a], [b]) => Number(a) - Number(b))
  const statusRows = statuses.map(([status, count]) => ({
    label: status,
    value: count,
    shown: formatCount(count),
    className: Number(status) >= 400
      ? 'bad'
      : '',
  }))
  for (const [kind, count] of [
    ['network', totals.errors.network],
    ['timeout', totals.errors.timeout],
  ] as const) {
    if (count > 0) {
      statusRows.push({
        label: kind,
        value: count,
        shown: formatCount(count),
        className: 'bad',
      })
    }
  }
  const messages = Object.entries(totals.errorMessages).sort(([, a], [, b]) => b - a).slice(0, 8)
  return `<div class="card pad"><h2>Responses <span class="aside">sent ${formatBytes(totals.bytesSent)} · received ${formatBytes(totals.bytesReceived)}</span></h2>`
    + `${statusRows.length > 0
      ? bars(statusRows)
      : '<p class="muted">No responses.</p>'}`
      + `${messages.length > 0
        ? `<ul class="messages">${messages.map(([message, count]) => `<li><code>${escapeHtml(message)}</code><b>× ${formatCount(count)}</b></li>`).join('')}</ul>`
        : ''}</div>`
}

function renderValue(value: string): string {
  return value === REDACTED
    ? `<span class="redacted">${REDACTED}</span>`
    : escapeHtml(value)
}

function renderRequest(request: RequestDescription | undefined): string {
  if (!request)
    return ''
  const headers = Object.entries(request.headers)
  const json = request.json === undefined
    ? ''
    : `<pre>${escapeHtml(JSON.stringify(request.json, null, 2))}</pre>`
  return `<section><h2>Request <span class="aside">secret values are shown as ${REDACTED}</span></h2><div class="card pad">`
    + `<div class="request-line"><span class="method">${escapeHtml(request.method)}</span><span>${escapeHtml(request.url).replaceAll(REDACTED, `<span class="redacted">${REDACTED}</span>`)}</span></div>`
    + `<dl class="kv">${headers.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${renderValue(value)}</dd>`).join('')}`
    + `<dt>body</dt><dd>${request.bodyBytes === 0
      ? 'none'
      : formatBytes(request.bodyBytes)}</dd></dl>${json}</div></section>`
}

/** The load generator's figures, and its warning (its own saturation, or CPU contention) when there is one. */
function renderGeneratorHealth(report: RunReport): string {
  const text = describeGeneratorHealth(report.generatorHealth)
  if (!text)
    return ''
  const warning = text.warning === null
    ? ''
    : `<p class="generator-warning">⚠ ${escapeHtml(text.warning)}</p>`
  return `<section id="generator"><h2>Load generator <span class="aside">${escapeHtml(text.figures)}</span></h2>`
    + `<div class="card pad">${warning || '<p class="muted">The generator kept its pace, and the machine\'s CPU was not contended.</p>'}</div></section>`
}

function passed(report: RunReport, test: ReportTest | null): boolean | null {
  if (test) {
    return test.state === 'failed'
      ? false
      : test.state === 'passed'
        ? true
        : null
  }
  return report.verdicts.length === 0
    ? null
    : report.verdicts.every(verdict => verdict.pass)
}

/**
 * The HTML report of one run: one self-contained page (inline CSS, inline SVG charts, a small
 * inline script for tooltips; a Content-Security-Policy that forbids every fetch), to look at
 * rather than read. Pure: a run in, a string out.
 */
export function formatHtmlReport(report: RunReport, info: HtmlReportInfo): string {
  const { test } = info
  const verdict = passed(report, test)
  const status = verdict === null
    ? '<span class="status neutral">No verdict</span>'
    : verdict
      ? '<span class="status passed">✓ Passed</span>'
      : '<span class="status failed">✗ Failed</span>'
  const title = runTitle(report.name, test)
  const started = report.startedAt.replace('T', ' ').replace(/(?:\.\d+)?Z$/, ' UTC')
  const chips = [
    ['load', report.model],
    [
      'workers',
      String(report.workers),
    ],
    [
      'duration',
      formatMs(report.durationMs),
    ],
    ['target', report.target],
    ['started', started],
  ].map(([name, value]) => `<span class="chip">${escapeHtml(name!)} <b>${escapeHtml(value!)}</b></span>`).join('')
  const { totals, latency } = report
  const kpis = [
    kpi('Requests', formatCount(totals.requests), `${formatCount(totals.ok)} ok · ${formatCount(totals.errors.total)} errors`),
    kpi('Throughput', formatRate(report.throughputPerSec), report.attemptsPerSec === undefined || report.attemptsPerSec === report.throughputPerSec
      ? 'successful responses a second'
      : `successful responses a second · ${formatRate(report.attemptsPerSec).replace(' req/s', ' attempts/s')}`),
    kpi('Error rate', formatPercent(report.errorRate), `http ${formatCount(totals.errors.http)} · network ${formatCount(totals.errors.network)} · timeout ${formatCount(totals.errors.timeout)}`, totals.errors.total > 0
      ? 'bad'
      : 'good'),
    ...(['p50', 'p95', 'p99'] as const).map(name => kpi(`${name} latency`, latency.count === 0
      ? '–'
      : formatMs(latency[`${name}Ms`]), name === 'p50'
      ? `mean ${latency.count === 0
        ? '–'
        : formatMs(latency.meanMs)}`
      : `max ${latency.count === 0
        ? '–'
        : formatMs(latency.maxMs)}`)),
    ...(report.droppedArrivals > 0 || report.modelKind === 'open'
      ? [
          kpi('Dropped', formatCount(report.droppedArrivals), 'arrivals that found every user busy', report.droppedArrivals > 0
            ? 'bad'
            : 'good'),
        ]
      : []),
  ].join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(info.generator)}">
<title>${escapeHtml(title)} · vitest-load</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header class="hero${verdict === false
  ? ' failed'
  : ''}"><div class="page">
<div class="brand">${LOGO}<span>vitest-load report</span></div>
<div class="title-row"><h1>${escapeHtml(title)}</h1>${report.incomplete
  ? '<span class="status failed">Incomplete</span>'
  : ''}${status}</div>
${report.incomplete
  ? `<p class="incomplete"><b>Incomplete:</b> ${escapeHtml(report.incomplete)} — the figures cover only what was measured until the run stopped.</p>`
  : ''}
${report.warmup
  ? `<p class="warmup-note"><b>Warm-up:</b> the first ${escapeHtml(formatMs(report.warmup.durationMs))} (${escapeHtml(formatCount(report.warmup.totals.requests))} requests) are shaded in the charts and left out of every figure.</p>`
  : ''}
${test
  ? `<div class="subtitle mono">${escapeHtml(test.file)}</div>`
  : ''}
<div class="chips">${chips}</div>
</div></header>
<main class="page">
<div class="kpis">${kpis}</div>
${renderOverlaps(report)}
${renderVerdicts(report.verdicts)}
${renderComparisons(report.verdicts)}
<section><h2>Over time <span class="aside">${overTimeAside(report)}</span></h2><div class="charts">${renderCharts(report)}</div></section>
${renderEndpoints(report)}
${renderSteps(report)}
${renderTarget(report)}
${renderChecksAndMetrics(report)}
<section class="split">${renderDistribution(report)}${renderResponses(report)}</section>
${renderGeneratorHealth(report)}
${renderAgents(report)}
${renderRequest(report.request)}
<footer>Written by ${escapeHtml(info.generator)} · JSON report schema 1 · a self-contained page: nothing is fetched to show it.</footer>
</main>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`
}
