import type { TaskMeta } from 'vitest'
import type { RunReport } from '../../src/report/run-report.js'
import type { TestServer } from '../helpers/server.js'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadTest } from '../../src/index.js'
import { META_KEY } from '../../src/report/run-report.js'
import { ReportWriter } from '../../src/report/write-reports.js'
import { withPage } from '../helpers/chromium.js'
import { repoRoot } from '../helpers/run-vitest.js'
import { startServer } from '../helpers/server.js'

/** Kept after the run (git-ignored), for a person to look at: the report and its screenshot. */
const ARTIFACTS = join(repoRoot, '.vitest-load/artifacts')

/**
 * A server whose latency changes over the run, so the charts have a shape: 5 ms for the first
 * 1.5 s, 30 ms until 3 s, then 10 ms; and every 25th request answered 503.
 */
function changingServer() {
  let firstMs: number | undefined
  let seen = 0
  return startServer((req, res) => {
    req.resume()
    firstMs ??= performance.now()
    const elapsedMs = performance.now() - firstMs
    const delayMs = elapsedMs < 1500
      ? 5
      : elapsedMs < 3000
        ? 30
        : 10
    seen++
    res.statusCode = seen % 25 === 0
      ? 503
      : 200
    setTimeout(() => res.end('ok'), delayMs)
  }, { closeOnTestFinished: false })
}

/** What the browser drew of one chart: its width on screen and the length of each line, in pixels. */
interface DrawnChart {
  id: string
  width: number
  lines: number[]
  bars: number
}

// run in the page (as text: this project's TypeScript has no DOM types)
const DRAWN_CHARTS = `[...document.querySelectorAll('svg.chart')].map(svg => ({
  id: svg.id,
  width: Math.round(svg.getBoundingClientRect().width),
  lines: [...svg.querySelectorAll('path.line')].map(path => Math.round(path.getTotalLength())),
  bars: svg.querySelectorAll('rect.bar').length,
}))`

describe('the HTML report of a real 4-second run, in headless Chromium', () => {
  let server: TestServer
  let meta: TaskMeta | undefined

  beforeAll(async () => {
    server = await changingServer()
  })

  afterEach(({ task }) => {
    meta ??= task.name === 'GET /users'
      ? task.meta
      : undefined
  })

  afterAll(() => server?.close())

  loadTest('GET /users', () => ({
    target: server.url,
    request: {
      headers: { authorization: 'Bearer browser-test-token' },
    },
    load: { users: 4, duration: '4s' },
    workers: 2,
  }), (run) => {
    expect(run).toHaveErrorRateBelow(0.1)
    expect(run).toHaveP50Below('1s')
    expect(run).not.toHaveThroughputAbove(100_000)
  })

  it('shows 4 charts that drew, 3 matchers, no console error, fetches nothing, and keeps a screenshot', async () => {
    const [report] = (meta as Record<string, unknown>)[META_KEY] as RunReport[]
    expect(report!.timeline.length).toBeGreaterThanOrEqual(4)
    mkdirSync(ARTIFACTS, { recursive: true })
    const writer = new ReportWriter({
      outputDir: ARTIFACTS,
      formats: ['html'],
    })
    writer.writeRun({
      report: report!,
      test: { file: 'test/outputs/html-in-chromium.test.ts', name: 'GET /users', state: 'passed' },
    })
    const [file] = writer.finish().html

    await withPage(file!, { width: 1280, height: 900 }, async (page, log) => {
      // the script ran and set up a tooltip on each of the 4 charts
      expect(await page.evaluate('document.documentElement.dataset.charts')).toBe('4')
      // each chart's lines were laid out by the browser with a real length: one point per second
      const drawn = await page.evaluate(DRAWN_CHARTS) as DrawnChart[]
      expect(drawn.map(chart => chart.id)).toEqual([
        'chart-throughput',
        'chart-latency',
        'chart-errors',
        'chart-users',
      ])
      for (const chart of drawn)
        expect(chart.width, chart.id).toBeGreaterThan(400)
      expect(drawn[0]!.lines).toHaveLength(1)
      expect(drawn[1]!.lines).toHaveLength(3)
      expect([
        ...drawn[0]!.lines,
        ...drawn[1]!.lines,
        ...drawn[3]!.lines,
      ].every(length => length > 100)).toBe(true)
      // 1 in 25 answered 503: at least one second has an error bar
      expect(drawn[2]!.bars).toBeGreaterThanOrEqual(1)
      expect(await page.locator('.verdicts li.pass').count()).toBe(3)

      // the tooltip follows the pointer over the latency chart with p50, p95 and p99
      const latency = (await page.locator('#chart-latency').boundingBox())!
      await page.mouse.move(latency.x + latency.width * 0.6, latency.y + latency.height / 2)
      const tooltip = page.locator('#chart-latency ~ .tooltip')
      expect(await tooltip.isVisible()).toBe(true)
      expect(await tooltip.textContent()).toMatch(/^at [\d.]+ sp50[\d.]+ m?sp95[\d.]+ m?sp99[\d.]+ m?s$/)

      await page.screenshot({
        path: join(ARTIFACTS, 'report.png'),
        fullPage: true,
      })
      expect(log.errors).toEqual([])
      expect(log.requests).toEqual([`file://${file}`])
    })
    // the header value was sent, and the page shows it only as [redacted]
    expect(server.requests()).toBe(report!.totals.requests)
  })
})
