import type { Labels, ValueSample } from 'parse-prometheus-text-format'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'

/** What to scrape: the endpoint and the metric names to keep (each name selects every series of that family). */
export interface PrometheusSource {
  /** The exposition endpoint, e.g. `'http://127.0.0.1:9100/metrics'`. */
  url: string
  /** Family names as in the `# TYPE` lines; a summary or histogram goes by its base name, without `_count` or `_sum`. */
  metrics: readonly string[]
}

/** One scrape turned into figures: series name → value. */
export type ObservedFigures = Record<string, number>

const DEFAULT_TIMEOUT_MS = 900
const MAX_NAMES_LISTED = 20
const REQUEST_HEADERS = { accept: 'text/plain;version=0.0.4' }
const METRIC_NAME = /^[a-z_:][\w:]*$/i
const LABEL_VALUE_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' }
const SPECIAL_VALUES = new Map([
  ['+inf', Infinity],
  ['inf', Infinity],
  ['-inf', -Infinity],
  ['nan', Number.NaN],
])

/**
 * `# TYPE x summary` and `# TYPE x histogram` lines, matched as the parser reads them (trimmed,
 * TYPE in capitals, the type in any case). The parser folds every labelled series of such a family
 * into one object (quantiles and buckets overwrite each other, labelled `_count` and `_sum` are
 * dropped), so these lines are made untyped before parsing and the family is put back together here.
 */
const SUMMARY_OR_HISTOGRAM_TYPE = /^[^\S\n]*# (TYPE) (\S+) (summary|histogram)[^\S\n]*$/gim

type Kind = 'counter' | 'gauge' | 'summary' | 'histogram'

/** One family of a scrape, by the name in its `# TYPE` line. */
interface Family {
  kind: Kind
  /** Counter and gauge values; a summary's quantiles. A histogram's buckets are not kept. */
  samples: ValueSample[]
  /** A summary's or histogram's `_count` and `_sum` series. */
  count: ValueSample[]
  sum: ValueSample[]
}

/** A checked source: where to fetch, and how to name it in messages. */
interface Target {
  /** The source's URL without user and password, which travel as basic auth in `headers`. */
  url: string
  headers: Record<string, string>
  /** `Prometheus endpoint <url>`, without any user or password in the URL. */
  where: string
  timeoutMs: number
}

/** Counter values of one scrape by series name, and when they were read. */
interface CounterReading {
  values: Map<string, number>
  atMs: number
}

/**
 * Scrapes a Prometheus text endpoint once per `sample()` and turns the chosen metrics into figures.
 * Counters become rates per second between successful scrapes; gauges are their value.
 * Call `sample()` once at a time: each call rates against the one before.
 *
 * @example
 * const sampler = new PrometheusSampler({ url: 'http://127.0.0.1:9100/metrics', metrics: ['process_cpu_seconds_total'] })
 * await sampler.sample() // {} : a counter needs two scrapes
 * await sampler.sample() // { process_cpu_seconds_total: 0.42 } : CPU seconds per second
 */
export class PrometheusSampler {
  readonly #target: Target
  readonly #metrics: ReadonlySet<string>
  #previous: CounterReading | undefined

  /**
   * @param source the endpoint and the metric families to keep; checked here, before any scrape.
   * @param options what else to set.
   * @param options.timeoutMs how long one scrape may take, the answer's body included. @default 900
   */
  constructor(source: PrometheusSource, options: { timeoutMs?: number } = {}) {
    this.#target = resolveTarget(source, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    this.#metrics = new Set(source.metrics)
  }

  /**
   * Scrapes once. Counters (TYPE counter, and the `_count` and `_sum` of summaries and histograms)
   * become rates per second since the previous successful scrape: nothing for a series on its first
   * scrape, nor for one that went down (a restarted target), whose new value is the base for the
   * next rate. Gauges and untyped metrics are their value; a summary's quantiles are values named
   * `name{quantile="0.99"}`. Values that are not finite (`NaN`, `+Inf`) are left out. A chosen
   * metric the endpoint does not show (yet) is left out too.
   * Rejects with an Error naming the URL and the status or system error when the scrape fails;
   * a failed scrape leaves the previous one as the base for the next rates.
   *
   * @param nowMs when this scrape happens, on any clock that only moves forward. @default performance.now()
   */
  async sample(nowMs: number = performance.now()): Promise<ObservedFigures> {
    const families = await scrape(this.#target)
    const values = new Map<string, number>()
    const counters = new Map<string, number>()
    for (const name of this.#metrics) {
      const family = families.get(name)
      if (family === undefined)
        continue // many clients show a labelled series only once it has been used
      if (family.kind === 'counter') {
        readSeries(counters, name, family.samples, this.#target)
        continue
      }
      if (family.kind !== 'histogram')
        readSeries(values, name, family.samples, this.#target)
      readSeries(counters, `${name}_count`, family.count, this.#target)
      readSeries(counters, `${name}_sum`, family.sum, this.#target)
    }
    const figures: ObservedFigures = Object.fromEntries(values)
    const previous = this.#previous
    // an injected clock that did not move gives no rates rather than Infinity
    if (previous !== undefined && nowMs > previous.atMs) {
      const elapsedSec = (nowMs - previous.atMs) / 1000
      for (const [series, value] of counters) {
        const before = previous.values.get(series)
        if (before !== undefined && value >= before)
          figures[series] = (value - before) / elapsedSec
      }
    }
    this.#previous = { values: counters, atMs: nowMs }
    return figures
  }

  /**
   * The unit of a series in the figures of the last successful scrape: `'/s'` for a rate (a counter,
   * or a summary's or histogram's `_count` or `_sum`), `''` for a value shown as read.
   */
  unitOf(series: string): '/s' | '' {
    return this.#previous?.values.has(series)
      ? '/s'
      : ''
  }
}

/**
 * Scrapes once before any load: resolves with the metric names found, or rejects saying what is
 * wrong (not reachable, not the text format, a chosen metric missing: with the names that were
 * there, at most 20).
 *
 * @param source the endpoint and the metric families that must be there.
 * @param timeoutMs how long the scrape may take. @default 900
 * @example
 * await checkPrometheus({ url: 'http://127.0.0.1:9100/metrics', metrics: ['process_cpu_seconds_total'] })
 */
export async function checkPrometheus(source: PrometheusSource, timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<string[]> {
  const target = resolveTarget(source, timeoutMs)
  const families = await scrape(target)
  // every value, not only the chosen ones: text that merely looks like samples is not the format
  const scratch = new Map<string, number>()
  for (const [name, family] of families) {
    readSeries(scratch, name, family.samples, target)
    readSeries(scratch, `${name}_count`, family.count, target)
    readSeries(scratch, `${name}_sum`, family.sum, target)
  }
  const found = Array.from(families.keys())
  const missing = source.metrics.filter(name => !families.has(name))
  if (missing.length > 0)
    throw new Error(describeMissing(target, missing, found))
  return found
}

/** Checks a source before any scrape, collecting every problem into one Error. */
function resolveTarget(source: PrometheusSource, timeoutMs: number): Target {
  const problems: string[] = []
  const url = URL.canParse(source.url)
    ? new URL(source.url)
    : undefined
  const headers: Record<string, string> = { ...REQUEST_HEADERS }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    problems.push(`url must be an http(s) URL such as 'http://127.0.0.1:9100/metrics', got ${JSON.stringify(source.url)}`)
  }
  else if (url.username !== '' || url.password !== '') {
    // fetch refuses a URL with credentials, and its error would show the password
    const credentials = `${decodeUserInfo(url.username)}:${decodeUserInfo(url.password)}`
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
    url.username = ''
    url.password = ''
  }
  if (source.metrics.length === 0)
    problems.push(`metrics must name at least one metric, such as ['process_cpu_seconds_total'], got []`)
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    problems.push(`timeoutMs must be a number of milliseconds above 0, got ${String(timeoutMs)}`)
  if (problems.length > 0)
    throw new Error(`Invalid Prometheus source:\n${problems.map(problem => `  - ${problem}`).join('\n')}`)
  const href = url?.href ?? source.url
  return {
    url: href,
    headers,
    where: `Prometheus endpoint ${href}`,
    timeoutMs,
  }
}

/** `p%40ss` → `p@ss`; a stray `%` that decodes to nothing stays as written. */
function decodeUserInfo(text: string): string {
  try {
    return decodeURIComponent(text)
  }
  catch {
    return text
  }
}

/** Fetches and parses one scrape; every failure becomes an Error that names the endpoint. */
async function scrape(target: Target): Promise<Map<string, Family>> {
  const signal = AbortSignal.timeout(target.timeoutMs) // covers the body too
  let response: Response
  try {
    response = await fetch(target.url, { headers: target.headers, signal })
  }
  catch (error) {
    throw unreachable(target, error)
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw new Error(`${target.where} answered ${response.status} ${response.statusText}, expected 200 with metrics `
      + `in the Prometheus text format. Is the path right? Most targets serve them at /metrics.`)
  }
  const contentType = response.headers.get('content-type')
  if (contentType !== null && contentType.split(';')[0]?.trim().toLowerCase() !== 'text/plain') {
    await response.body?.cancel()
    throw new Error(`${target.where} answered with Content-Type ${contentType}, expected text/plain; version=0.0.4 `
      + `(the Prometheus text format). Is this the metrics endpoint?`)
  }
  let text: string
  try {
    text = await response.text()
  }
  catch (error) {
    throw unreachable(target, error)
  }
  try {
    return readFamilies(text)
  }
  catch (error) {
    const reason = error instanceof Error
      ? error.message
      : String(error)
    throw new Error(`${target.where} did not answer in the Prometheus text format: ${shorten(reason)}`, { cause: error })
  }
}

function unreachable(target: Target, error: unknown): Error {
  return new Error(`Cannot scrape ${target.where} (${describeFailure(error, target.timeoutMs)}). `
    + `Is the target started and serving its metrics at this address?`, { cause: error })
}

/** The system error behind a failed fetch (`connect ECONNREFUSED 127.0.0.1:9100`), or the timeout. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error))
    return String(error)
  if (error.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`
  // undici rejects with TypeError('fetch failed') and puts the system error in `cause`
  const cause: unknown = error.cause
  if (cause instanceof Error) {
    if (cause.message !== '')
      return cause.message
    const code = (cause as { code?: unknown }).code // an AggregateError of several addresses has no message
    return typeof code === 'string'
      ? code
      : cause.name
  }
  return error.message
}

/** Parses exposition text into families by name. Throws with a short reason when it is not the format. */
function readFamilies(text: string): Map<string, Family> {
  const split = new Map<string, 'summary' | 'histogram'>()
  const untyped = text.replace(SUMMARY_OR_HISTOGRAM_TYPE, (line, keyword: string, name: string, type: string) => {
    if (keyword !== 'TYPE')
      return line // `# type …` is a comment to the parser
    split.set(name, type.toLowerCase() as 'summary' | 'histogram')
    return `# TYPE ${name} untyped`
  })
  // the parser drops the last line when the text does not end with a newline; an empty one is harmless
  const parsed = parsePrometheusTextFormat(`${untyped}\n`)

  const families = new Map<string, Family>()
  for (const family of parsed) {
    if (!METRIC_NAME.test(family.name))
      throw new Error(`${JSON.stringify(family.name)} is not a metric name`)
    if (family.type === 'SUMMARY' || family.type === 'HISTOGRAM')
      // only a TYPE line that the rewrite above did not match gets here, and the parser reads that one as malformed
      throw new Error(`unexpected TYPE line for ${family.name}`)
    const known = families.get(family.name)
    if (known === undefined) {
      families.set(family.name, {
        kind: family.type === 'COUNTER'
          ? 'counter'
          : 'gauge',
        samples: family.metrics,
        count: [],
        sum: [],
      })
    }
    else {
      known.samples.push(...family.metrics) // the same family again, after another's interleaved lines
    }
  }

  for (const [name, kind] of split) {
    const family = families.get(name)
    if (family === undefined)
      continue // its TYPE line opens the family, so this does not happen
    family.kind = kind
    family.count = families.get(`${name}_count`)?.samples ?? []
    family.sum = families.get(`${name}_sum`)?.samples ?? []
    for (const suffix of ['_count', '_sum', '_bucket'])
      families.delete(`${name}${suffix}`)
  }
  return families
}

/** Puts each finite sample value into `into` under its series name; throws on a value that is not a number. */
function readSeries(into: Map<string, number>, name: string, samples: readonly ValueSample[], target: Target): void {
  for (const sample of samples) {
    const value = parseSampleValue(sample.value)
    if (value === undefined) {
      throw new Error(`${target.where} did not answer in the Prometheus text format: `
        + `${JSON.stringify(shorten(sample.value))} is not a sample value of ${name}`)
    }
    if (Number.isFinite(value))
      into.set(nameSeries(name, sample.labels), value)
  }
}

/** A sample value as the exposition format writes it (`1`, `-2.5e3`, `+Inf`, `NaN`), or undefined. */
function parseSampleValue(text: string): number | undefined {
  if (text === '')
    return undefined // Number('') is 0
  const value = Number(text)
  return Number.isNaN(value)
    ? SPECIAL_VALUES.get(text.toLowerCase())
    : value
}

/** `name`, or `name{a="x",b="y"}` with the labels sorted by name and values escaped as in the exposition format. */
function nameSeries(name: string, labels: Labels | undefined): string {
  if (labels === undefined)
    return name
  const keys = Object.keys(labels).sort() // by code unit, as Prometheus sorts label names
  if (keys.length === 0)
    return name
  return `${name}{${keys.map(key => `${key}="${escapeLabelValue(labels[key] ?? '')}"`).join(',')}}`
}

function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, char => LABEL_VALUE_ESCAPES[char] ?? char)
}

function describeMissing(target: Target, missing: readonly string[], found: readonly string[]): string {
  const names = missing.map((name) => {
    const base = name.replace(/_(?:count|sum|bucket)$/, '')
    return base !== name && found.includes(base)
      ? `${name} (did you mean ${base}?)`
      : name
  })
  const listed = found.slice(0, MAX_NAMES_LISTED).join(', ')
  const more = found.length > MAX_NAMES_LISTED
    ? ` and ${found.length - MAX_NAMES_LISTED} more`
    : ''
  const there = found.length === 0
    ? 'It shows no metrics at all.'
    : `It shows: ${listed}${more}.`
  return `${target.where} has no metric named ${names.join(', ')}. ${there} `
    + `Name families as in their # TYPE lines; a summary or histogram goes by its base name.`
}

function shorten(text: string): string {
  return text.length > 120
    ? `${text.slice(0, 117)}...`
    : text
}
