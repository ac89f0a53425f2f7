import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describeValue } from '../spec/describe-value.js'
import { CsvSyntaxError, parseCsv } from './csv.js'
import { createRandom } from './random.js'

/** What marks a feeder; checked by shape, since a scenario module may import its own copy of this file. */
const FEEDER_KIND = 'vitest-load/feeder'

/** Options of `feeder()` and `csvFeeder()`. */
export interface FeederOptions {
  /**
   * `'sequential'`: global iteration `i` gets row `i`. `'random'`: the rows in one shuffled order,
   * seeded by `seed`, the same in every worker and every run, so rows stay unique across workers.
   * @default 'sequential'
   */
  order?: 'sequential' | 'random'
  /**
   * What an iteration past the last row gets. `'wrap'`: row `i % rows.length`, starting over.
   * `'stop'`: none; the user runs no further iteration (in the open model, such an arrival sends
   * nothing). `'error'`: none; the iteration is counted as an error under the endpoint
   * `'data <name>'` and its task does not run.
   * @default 'wrap'
   */
  onEnd?: 'wrap' | 'stop' | 'error'
  /**
   * The seed of the `'random'` order.
   * @default 0
   */
  seed?: number
}

/** Options of `csvFeeder()`. */
export interface CsvFeederOptions extends FeederOptions {
  /**
   * The character between fields.
   * @default ','
   */
  delimiter?: string
}

/**
 * Rows handed out one per iteration by the iteration's global index, declared in a scenario's
 * `data` and read as `ctx.data.<name>`. Made by `feeder()` or `csvFeeder()`.
 */
export interface Feeder<Row = unknown> {
  readonly kind: typeof FEEDER_KIND
  /** Every row, in the order given. Read it for a row per user: `rows[ctx.user.index % rows.length]`. */
  readonly rows: readonly Row[]
  readonly order: 'sequential' | 'random'
  readonly onEnd: 'wrap' | 'stop' | 'error'
  readonly seed: number
  /** Where the rows come from, for messages: `'an array'` or the CSV file's path. */
  readonly source: string
}

/** The row type of a feeder. */
export type FeederRow<F> = F extends Feeder<infer Row> ? Row : never

const ORDERS = ['sequential', 'random']
const ENDS = ['wrap', 'stop', 'error']

/** Checks the options of `feeder()` and `csvFeeder()`; throws a `TypeError` naming the function and the option. */
function checkOptions(fn: string, options: CsvFeederOptions | undefined, csv: boolean): Required<FeederOptions> {
  if (options === undefined)
    return { order: 'sequential', onEnd: 'wrap', seed: 0 }
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${fn}: options must be an object such as { order: 'random', onEnd: 'stop' }, got ${describeValue(options)}`)
  const known = csv
    ? ['order', 'onEnd', 'seed', 'delimiter']
    : ['order', 'onEnd', 'seed']
  for (const key of Object.keys(options)) {
    if (!known.includes(key))
      throw new TypeError(`${fn}: ${key} is not an option; the options are ${known.join(', ')}`)
  }
  const { order = 'sequential', onEnd = 'wrap', seed = 0 } = options
  if (!ORDERS.includes(order))
    throw new TypeError(`${fn}: order must be 'sequential' or 'random', got ${describeValue(order)}`)
  if (!ENDS.includes(onEnd))
    throw new TypeError(`${fn}: onEnd must be 'wrap', 'stop' or 'error', got ${describeValue(onEnd)}`)
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new TypeError(`${fn}: seed must be a whole number, got ${describeValue(seed)}`)
  return { order, onEnd, seed }
}

/**
 * Rows from an array, handed out one per iteration: global iteration `i` gets row `i` (with
 * `onEnd: 'wrap'`, row `i % rows.length`), so rows are unique across workers while they last.
 * @example
 * export default defineScenario({
 *   data: { product: feeder([{ id: 1 }, { id: 2 }, { id: 3 }], { order: 'random' }) },
 *   tasks: ctx => ctx.http.get(`/products/${ctx.data.product.id}`, { name: 'GET /products/[id]' }),
 * })
 */
export function feeder<Row>(rows: readonly Row[], options?: FeederOptions): Feeder<Row> {
  if (!Array.isArray(rows) || rows.length === 0)
    throw new TypeError(`feeder(rows): rows must be a non-empty array, got ${describeValue(rows)}. Example: feeder([{ id: 1 }, { id: 2 }])`)
  return Object.freeze({
    kind: FEEDER_KIND,
    rows: Object.freeze([...rows]),
    ...checkOptions('feeder(rows, options)', options, false),
    source: 'an array',
  })
}

/** A CSV file that cannot be used: missing, unreadable, malformed, or without rows. */
export class CsvFeederError extends Error {
  override name = 'CsvFeederError'

  constructor(readonly file: string, problem: string, options?: ErrorOptions) {
    super(`cannot read the CSV file ${file}: ${problem}`, options)
  }
}

/**
 * Rows from a CSV file: its header row names the columns, each further record becomes an object of
 * strings, `{ name: 'ada', password: 's3cret' }`. Fields in double quotes may hold commas, line
 * breaks and doubled quotes (RFC 4180); lines end in LF or CRLF. The file is read when the scenario
 * module loads, once per worker, before any load; a missing or malformed file fails the load test
 * then, naming the file and the line. Rows are handed out as `feeder()` does.
 * @param file a `file:` URL (`new URL('./users.csv', import.meta.url)`), an absolute path, or a
 * path relative to the current directory
 * @example
 * export default defineScenario({
 *   data: { account: csvFeeder(new URL('./accounts.csv', import.meta.url), { onEnd: 'stop' }) },
 *   tasks: ctx => ctx.http.post('/login', { json: ctx.data.account }),
 * })
 */
export function csvFeeder(file: URL | string, options?: CsvFeederOptions): Feeder<Record<string, string>> {
  const fn = 'csvFeeder(file, options)'
  let path: string
  if (file instanceof URL || (typeof file === 'string' && file.startsWith('file:')))
    path = fileURLToPath(file)
  else if (typeof file === 'string' && file !== '')
    path = file
  else
    throw new TypeError(`${fn}: file must be a file: URL or a path, got ${describeValue(file)}. Example: csvFeeder(new URL('./users.csv', import.meta.url))`)
  const checked = checkOptions(fn, options, true)
  const delimiter = options?.delimiter ?? ','
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')
    throw new TypeError(`${fn}: delimiter must be one character other than a quote or a line break, got ${describeValue(delimiter)}`)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  }
  catch (error) {
    const code = (error as { code?: unknown }).code
    throw new CsvFeederError(path, code === 'ENOENT'
      ? 'the file does not exist'
      : `${String(code ?? '')} ${(error as Error).message}`.trim(), { cause: error })
  }
  let rows: Array<Record<string, string>>
  try {
    rows = parseCsv(text, delimiter)
  }
  catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new CsvFeederError(`${path}:${error.line}`, error.problem, { cause: error })
    throw error
  }
  if (rows.length === 0)
    throw new CsvFeederError(path, 'it has a header row but no records')
  return Object.freeze({
    kind: FEEDER_KIND,
    rows: Object.freeze(rows),
    ...checked,
    source: path,
  })
}

/** Whether `value` is a feeder, by shape. */
export function isFeeder(value: unknown): value is Feeder {
  const candidate = value as Partial<Feeder> | null
  return typeof candidate === 'object' && candidate !== null && candidate.kind === FEEDER_KIND
    && Array.isArray(candidate.rows) && candidate.rows.length > 0
    && ORDERS.includes(candidate.order as string) && ENDS.includes(candidate.onEnd as string)
}

/** A feeder as workers use it: the row of a global index, or `undefined` past the end without `'wrap'`. */
export interface FeederReader {
  readonly name: string
  readonly onEnd: 'wrap' | 'stop' | 'error'
  readonly size: number
  /** Whether global index `index` has a row. */
  has: (index: number) => boolean
  /** The row of global index `index`; call `has` first. */
  rowAt: (index: number) => unknown
}

/** Reads `feeder` by global index; a `'random'` order is one seeded shuffle, computed here once. */
export function createFeederReader(name: string, feeder: Feeder): FeederReader {
  const { rows, onEnd } = feeder
  let order: number[] | null = null
  if (feeder.order === 'random') {
    // Fisher–Yates with the feeder's own seeded sequence: the same order in every worker
    const random = createRandom(feeder.seed)
    order = rows.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      const swap = order[i]!
      order[i] = order[j]!
      order[j] = swap
    }
  }
  return {
    name,
    onEnd,
    size: rows.length,
    has: index => onEnd === 'wrap' || index < rows.length,
    rowAt: (index) => {
      const position = index % rows.length
      return rows[order ? order[position]! : position]
    },
  }
}
