import type { EndpointResult } from '../metrics/summary.js'
import type { RunReport } from './run-report.js'
import { Chalk } from 'chalk'
import { formatBytes, formatCount, formatMs, formatPercent, formatRate } from '../metrics/units.js'

export interface SummaryOptions {
  /** Colour the output with ANSI codes. Without, it reads the same. */
  colors: boolean
}

const LABEL_WIDTH = 16

/**
 * The end-of-test summary, in the spirit of k6's: totals, throughput, latency percentiles, errors
 * by kind, status and message, and one row per endpoint. Pure: a run in, a string out.
 */
export function formatSummary(run: RunReport, options: SummaryOptions): string {
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
    '',
    `  ${label('requests')} ${formatCount(totals.requests)}  ${c.cyan(formatRate(run.throughputPerSec))}`,
    `  ${label('ok')} ${formatCount(totals.ok)}`,
    `  ${label('errors')} ${errorColor(`${formatCount(totals.errors.total)} (${formatPercent(run.errorRate)})`)}  ${c.dim(`http ${totals.errors.http} · network ${totals.errors.network} · timeout ${totals.errors.timeout}`)}`,
    `  ${label('status')} ${formatStatuses(totals.statusCodes) || c.dim('no responses')}`,
    `  ${label('latency')} ${latency.count === 0
      ? c.dim('no responses')
      : [
          ['min', latency.minMs],
          ['mean', latency.meanMs],
          ['p50', latency.p50Ms],
          ['p90', latency.p90Ms],
          ['p95', latency.p95Ms],
          ['p99', latency.p99Ms],
          ['p99.9', latency.p999Ms],
          ['max', latency.maxMs],
        ]
          .map(([name, ms]) => `${c.dim(name as string)} ${c.cyan(formatMs(ms as number))}`)
          .join('  ')}`,
    `  ${label('data')} sent ${formatBytes(totals.bytesSent)} · received ${formatBytes(totals.bytesReceived)}`,
  ]
  const messages = Object.entries(totals.errorMessages).sort(([, a], [, b]) => b - a).slice(0, 5)
  if (messages.length > 0) {
    lines.push(`  ${label('top errors')} ${messages.map(([message, count]) => `${c.red(message)} × ${formatCount(count)}`).join('\n'.padEnd(LABEL_WIDTH + 4))}`)
  }
  lines.push('', ...formatEndpointTable(run.endpoints, c))
  return lines.join('\n')
}

function formatStatuses(statusCodes: Record<string, number>): string {
  return Object.entries(statusCodes).sort(([a], [b]) => Number(a) - Number(b)).map(([status, count]) => `${status}: ${formatCount(count)}`).join(' · ')
}

function formatEndpointTable(endpoints: readonly EndpointResult[], c: InstanceType<typeof Chalk>): string[] {
  const header = [
    'endpoint',
    'requests',
    'req/s',
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
