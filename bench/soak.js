// A 24-hour soak without waiting 24 hours: SOAK_HOURS × 3600 seconds of snapshots from
// SOAK_ENDPOINTS endpoints go through the real RunAggregator, then the run through the real
// formatters (JSON, HTML, Markdown, terminal). Prints the sizes of the reports, the time taken and
// the process's peak resident memory. Run with `npm run bench:soak`.
//
// The snapshots' histograms are built and encoded once (SOAK_SHAPES per endpoint, 300 latencies
// each, log-normal around a median that differs by endpoint) and reused, so the time goes into the
// aggregator and the formatters, as in a real run, and not into making up data. It is still one
// decode a second per endpoint: about 3 to 5 minutes of one core for 24 h × 10 endpoints.
//
// Settings (environment): SOAK_HOURS 24, SOAK_ENDPOINTS 10, SOAK_SHAPES 16, SOAK_DIST (the build
// to measure, default ../dist: point it at another build to compare versions).
import process from 'node:process'
import { pathToFileURL } from 'node:url'

function number(name, fallback) {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a number above 0, got '${process.env[name]}'. Example: ${name}=${fallback}`)
  return value
}
const hours = number('SOAK_HOURS', 24)
const endpoints = Math.round(number('SOAK_ENDPOINTS', 10))
const shapes = Math.round(number('SOAK_SHAPES', 16))
const dist = process.env.SOAK_DIST
  ? pathToFileURL(`${process.env.SOAK_DIST.replace(/\/$/, '')}/`)
  : new URL('../dist/', import.meta.url)

const load = path => import(new URL(path, dist).href)
const MiB = 1024 * 1024
const log = line => process.stdout.write(`${line}\n`)
const peakRssMiB = () => process.resourceUsage().maxRSS * 1024 / MiB

async function main() {
  const { RunAggregator } = await load('metrics/merge.js')
  const { createLatencyHistogram, encodeHistogram } = await load('metrics/histogram.js')
  const { toRunReport } = await load('report/run-report.js')
  const { formatJsonReport, toJsonReport } = await load('report/format-json.js')
  const { formatHtmlReport } = await load('report/format-html.js')
  const { formatMarkdownSummary } = await load('report/format-markdown.js')
  const { formatSummary } = await load('report/terminal.js')

  const { createRandom } = await load('scenario/random.js')
  const random = createRandom(24)
  const names = Array.from({ length: endpoints }, (_, index) => `GET /soak/${index}`)
  // per endpoint, `shapes` one-second histograms of 300 latencies around 2, 4, 6… ms
  const encoded = names.map((_, endpoint) => Array.from({ length: shapes }, () => {
    const histogram = createLatencyHistogram()
    for (let sample = 0; sample < 300; sample++) {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
      histogram.recordValue(Math.max(1, Math.round(2000 * (endpoint + 1) * Math.exp(0.8 * normal))))
    }
    return encodeHistogram(histogram)
  }))

  function counters(second, endpoint) {
    const errors = (second + endpoint) % 50 === 0
      ? 3
      : 0
    return {
      requests: 300 + errors,
      ok: 300,
      httpErrors: errors,
      networkErrors: 0,
      timeouts: 0,
      statusCodes: errors > 0
        ? { 200: 300, 503: errors }
        : { 200: 300 },
      bytesSent: 120 * (300 + errors),
      bytesReceived: 900 * (300 + errors),
      errorMessages: {},
    }
  }

  const seconds = Math.round(hours * 3600)
  log(`soak: ${hours} h (${seconds.toLocaleString('en-US')} s) × ${endpoints} endpoints through ${new URL('.', dist).pathname}`)
  const started = performance.now()
  const aggregator = new RunAggregator(1)
  let requests = 0
  let mostPoints = 0
  for (let second = 0; second < seconds; second++) {
    aggregator.add({
      workerIndex: 0,
      interval: second,
      activeUsers: 50,
      droppedArrivals: 0,
      loop: { utilization: 0.2, delayP99Ms: 1, delayMaxMs: 2 },
      endpoints: names.map((name, endpoint) => {
        const figures = counters(second, endpoint)
        requests += figures.requests
        return { name, counters: figures, histogram: encoded[endpoint][(second * 7 + endpoint) % shapes] }
      }),
    })
    mostPoints = Math.max(mostPoints, aggregator.timelinePoints ?? 0)
    if (second % 3600 === 3599)
      log(`  ${(second + 1) / 3600} h: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB().toFixed(0)} MiB`)
  }
  const description = {
    name: 'soak',
    target: 'http://127.0.0.1:3000',
    model: `50 users for ${hours} h`,
    modelKind: 'closed',
    users: 50,
    workers: 1,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: seconds * 1000,
  }
  // a checkpoint at the end of the run, as the test process writes it (src/report/interrupt.ts):
  // the run so far, its report, JSON and HTML; the next checkpoint waits 50 times as long
  const checkpointFrom = performance.now()
  const soFar = toRunReport(aggregator.runSoFar({ ...description, incomplete: 'checkpoint' }))
  const checkpointBytes = Buffer.byteLength(formatJsonReport(toJsonReport(soFar, null, 'soak')))
    + Buffer.byteLength(formatHtmlReport(soFar, { test: null, generator: 'vitest-load soak' }))
  const checkpointMs = performance.now() - checkpointFrom
  log(`checkpoint: ${(checkpointBytes / MiB).toFixed(2)} MiB of JSON and HTML in ${(checkpointMs / 1000).toFixed(2)} s, so one every ${Math.max(1, checkpointMs / 0.02 / 1000).toFixed(0)} s`)
  aggregator.finishWorker(0)
  const run = aggregator.finish(description)
  const aggregated = performance.now()
  log(`aggregated in ${((aggregated - started) / 1000).toFixed(1)} s: ${run.timeline.length} points of ${run.timeline[1]?.second ?? 1} s, at most ${mostPoints || '?'} at once`)
  if (run.totals.requests !== requests)
    throw new Error(`totals lost requests: ${run.totals.requests} of ${requests}`)

  const report = toRunReport(run)
  const sizes = {}
  function time(name, format) {
    const from = performance.now()
    try {
      sizes[name] = Buffer.byteLength(format())
      log(`${name}: ${(sizes[name] / MiB).toFixed(2)} MiB in ${((performance.now() - from) / 1000).toFixed(1)} s`)
    }
    catch (error) {
      log(`${name}: failed after ${((performance.now() - from) / 1000).toFixed(1)} s: ${error.message}`)
    }
  }
  time('json', () => formatJsonReport(toJsonReport(report, null, 'soak')))
  time('html', () => formatHtmlReport(report, { test: null, generator: 'vitest-load soak' }))
  time('markdown', () => formatMarkdownSummary([
    { report, test: null },
  ]))
  time('terminal', () => formatSummary(report, { colors: false }))
  log(`total ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${peakRssMiB().toFixed(0)} MiB, requests ${requests.toLocaleString('en-US')} (all counted)`)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
