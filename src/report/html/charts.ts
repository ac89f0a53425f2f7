import { maxOf } from '../../metrics/timeline.js'

/** One line (or set of bars) of a chart. `null` is a gap: an interval with nothing to show. */
export interface ChartSeries {
  name: string
  /** A CSS colour. */
  color: string
  values: ReadonlyArray<number | null>
}

export interface ChartOptions {
  /** Becomes the id of the `<svg>`: `chart-throughput`. */
  id: string
  /** Read by screen readers: `'Throughput over time'`. */
  label: string
  /** Seconds since the start, one for each value of every series. */
  x: readonly number[]
  /** The end of the time axis, in seconds: the run's duration. @default the last x */
  xMax?: number
  series: readonly ChartSeries[]
  /** `line`: lines, with a light fill under the first; `bars`: one bar per interval. */
  kind: 'line' | 'bars'
  /** Seconds each interval spans, for the width of a bar: 1, or more when a long run merged its seconds. @default 1 */
  step?: number
  /** Formats a value for the axis and the tooltip, with its unit: `v => '12 ms'`. */
  format: (value: number) => string
  /** Scale every chart from zero; a latency chart may start higher, but reads better from zero too. */
  minY?: number
  /** Seconds of warm-up at the start, shaded and labelled: shown, not judged. @default 0 */
  warmupSeconds?: number
}

const WIDTH = 640
const HEIGHT = 240
const MARGIN = {
  top: 14,
  right: 16,
  bottom: 28,
  left: 64,
}
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom

/** A round step that gives about `count` ticks between 0 and `max`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(max: number, count: number): number {
  if (!(max > 0))
    return 1
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map(factor => factor * power).find(candidate => candidate >= raw)
  return step ?? 10 * power
}

/** `75` → `'1:15'`, `12` → `'12 s'`: time since the start for an axis. */
export function formatElapsed(seconds: number): string {
  if (seconds < 120)
    return `${Number(seconds.toFixed(1))} s`
  const minutes = Math.floor(seconds / 60)
  return `${minutes}:${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}`
}

function round(value: number): string {
  return Number(value.toFixed(1)).toString()
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

type Point = [number, number]

/** Runs of consecutive points; a null (nothing measured) ends a run, so the line shows a gap. */
function segmentsOf(points: ReadonlyArray<Point | null>): Point[][] {
  const segments: Point[][] = [[]]
  for (const point of points) {
    if (point)
      segments.at(-1)!.push(point)
    else if (segments.at(-1)!.length > 0)
      segments.push([])
  }
  return segments.filter(segment => segment.length > 0)
}

function segmentPath(segment: readonly Point[]): string {
  return segment.map(([x, y], index) => `${index === 0
    ? 'M'
    : 'L'}${round(x)} ${round(y)}`).join('')
}

/**
 * A chart over time as inline SVG, drawn when the report is built: nothing to load, nothing that
 * can fail to draw in the browser. The values travel in `data-chart` too, for the tooltip script.
 */
export function renderChart(options: ChartOptions): string {
  const { x, series, kind, format } = options
  // no spread of the values onto the stack: a long timeline would overflow it
  const xMax = Math.max(options.xMax ?? 0, maxOf(x), 1e-3)
  const highest = maxOf(series.flatMap(line => line.values.filter((value): value is number => value !== null)), 0)
  const step = niceStep(highest * 1.08, 4)
  const yMax = Math.max(step, Math.ceil(highest * 1.08 / step) * step)
  const scaleX = (seconds: number): number => MARGIN.left + seconds / xMax * PLOT_WIDTH
  const scaleY = (value: number): number => MARGIN.top + PLOT_HEIGHT - value / yMax * PLOT_HEIGHT

  const grid: string[] = []
  for (let value = 0; value <= yMax + step / 2; value += step) {
    const y = round(scaleY(value))
    grid.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/>`)
    grid.push(`<text class="tick" x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${value === 0
      ? '0'
      : escapeHtml(format(value))}</text>`)
  }
  const xStep = niceStep(xMax, 6)
  for (let seconds = 0; seconds <= xMax + xStep / 100; seconds += xStep) {
    grid.push(`<text class="tick" x="${round(scaleX(seconds))}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(formatElapsed(seconds))}</text>`)
  }

  const marks: string[] = []
  const warmup = Math.min(options.warmupSeconds ?? 0, xMax)
  if (warmup > 0) {
    const right = round(scaleX(warmup))
    marks.push(`<rect class="warmup" x="${MARGIN.left}" y="${MARGIN.top}" width="${round(scaleX(warmup) - MARGIN.left)}" height="${PLOT_HEIGHT}"><title>warm-up: not judged</title></rect>`
      + `<line class="warmup-end" x1="${right}" x2="${right}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_HEIGHT}"/>`
      + `<text class="warmup-label" x="${MARGIN.left + 4}" y="${MARGIN.top + 10}">warm-up</text>`)
  }
  if (kind === 'bars') {
    // one group of bars per interval, centred on its x, side by side
    const groupWidth = Math.max(1, PLOT_WIDTH / Math.max(xMax, 1) * (options.step ?? 1) * 0.7)
    const barWidth = groupWidth / series.length
    series.forEach((line, seriesIndex) => {
      line.values.forEach((value, index) => {
        if (value === null || value === 0)
          return
        const top = scaleY(value)
        marks.push(`<rect class="bar" data-series="${escapeHtml(line.name)}" x="${round(scaleX(x[index]!) - groupWidth / 2 + seriesIndex * barWidth)}" y="${round(top)}" width="${round(barWidth)}" height="${round(MARGIN.top + PLOT_HEIGHT - top)}" fill="${line.color}"/>`)
      })
    })
  }
  else {
    const base = round(MARGIN.top + PLOT_HEIGHT)
    series.forEach((line, seriesIndex) => {
      const points = line.values.map((value, index): Point | null => value === null
        ? null
        : [
            scaleX(x[index]!),
            scaleY(value),
          ])
      const segments = segmentsOf(points)
      if (segments.length === 0)
        return
      // the first series gets a soft fill down to the axis
      if (seriesIndex === 0)
        marks.push(`<path class="area" d="${segments.map(segment => `${segmentPath(segment)}V${base}H${round(segment[0]![0])}Z`).join('')}" fill="${line.color}"/>`)
      marks.push(`<path class="line" data-series="${escapeHtml(line.name)}" d="${segments.map(segmentPath).join('')}" stroke="${line.color}"/>`)
      // short runs have few points: dots make a single interval visible at all
      if (x.length <= 40) {
        for (const [cx, cy] of segments.flat())
          marks.push(`<circle class="dot" cx="${round(cx)}" cy="${round(cy)}" r="2.5" fill="${line.color}"/>`)
      }
    })
  }

  // what the tooltip script needs, already formatted: the page holds no formatting code of its own
  const data = JSON.stringify({
    x,
    xLabels: x.map(seconds => formatElapsed(seconds)),
    series: series.map(line => ({
      name: line.name,
      color: line.color,
      labels: line.values.map(value => value === null
        ? '–'
        : format(value)),
    })),
    left: MARGIN.left,
    plotWidth: PLOT_WIDTH,
    width: WIDTH,
    xMax,
  })
  return `<svg id="${options.id}" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}" data-chart="${escapeHtml(data)}">`
    + `<g class="axes">${grid.join('')}<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + PLOT_HEIGHT}" y2="${MARGIN.top + PLOT_HEIGHT}"/></g>`
    + `<g class="marks">${marks.join('')}</g>`
    + `<line class="guide" x1="0" x2="0" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_HEIGHT}" visibility="hidden"/>`
    + `</svg>`
}

/** The coloured keys above a chart. */
export function renderLegend(series: readonly ChartSeries[]): string {
  return `<div class="legend">${series.map(line => `<span><i style="background:${line.color}"></i>${escapeHtml(line.name)}</span>`).join('')}</div>`
}
