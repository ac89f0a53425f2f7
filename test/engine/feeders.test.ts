import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runLoad, ScenarioLoadError } from '../../src/index.js'
import { startServer } from '../helpers/server.js'

const scenario = (file: string): URL => new URL(`../fixtures/scenarios/${file}`, import.meta.url)

interface Seen {
  /** Requests to /row/<id>, by row id. */
  rows: Map<number, number>
  /** Every /row request's query: global index, user, … */
  queries: Array<Record<string, string>>
  /** Every /start request's query. */
  starts: Array<Record<string, string>>
  /** Every JSON body posted to /accounts. */
  accounts: unknown[]
  total: () => number
}

/** A server that answers 200 to everything and records which row each request names. */
async function startRowServer(): Promise<{ url: string } & Seen> {
  const rows = new Map<number, number>()
  const queries: Array<Record<string, string>> = []
  const starts: Array<Record<string, string>> = []
  const accounts: unknown[] = []
  const server = await startServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => body += chunk)
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const row = /^\/row\/(\d+)$/.exec(url.pathname)
      if (row) {
        rows.set(Number(row[1]), (rows.get(Number(row[1])) ?? 0) + 1)
        queries.push({
          row: row[1]!,
          ...Object.fromEntries(url.searchParams),
        })
      }
      else if (url.pathname === '/start') {
        starts.push(Object.fromEntries(url.searchParams))
      }
      else if (url.pathname === '/accounts') {
        accounts.push(JSON.parse(body))
      }
      res.end('ok')
    })
  })
  return {
    url: server.url,
    rows,
    queries,
    starts,
    accounts,
    total: server.requests,
  }
}

const sorted = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b)
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('feeders hand out rows by the global iteration index, unique across workers', () => {
  it('3 users × 4 iterations over 2 workers: rows 0–11, each exactly once', async () => {
    const api = await startRowServer()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('feeder.scenario.ts'),
      load: { users: 3, iterations: 4 },
      workers: 2,
    })

    expect(sorted(api.rows.keys())).toEqual(range(12))
    expect([
      ...api.rows.values(),
    ].every(count => count === 1)).toBe(true)
    // user u's k-th iteration is global k × 3 + u, and the sequential feeder gives it row global
    for (const query of api.queries) {
      expect(query.global).toBe(query.row)
      expect(Number(query.global)).toBe(Number(query.perUser) * 3 + Number(query.user))
      expect(query.perUser).toBe(query.iteration)
    }
    // onStart: ctx.data throws there; ctx.iteration.global is the user's first iteration's
    expect(api.starts.map(start => start.threw)).toEqual(['true', 'true', 'true'])
    expect(sorted(api.starts.map(start => Number(start.global)))).toEqual([0, 1, 2])
    expect(run.endpoint('GET /row/[id]').totals.requests).toBe(12)
    expect(run.errorRate).toBe(0)
  })

  it('wraps: 24 iterations over 2 workers see each of 12 rows exactly twice', async () => {
    const api = await startRowServer()

    await runLoad({
      target: api.url,
      scenario: scenario('feeder.scenario.ts'),
      load: { users: 4, iterations: 6 },
      workers: 2,
    })

    expect(sorted(api.rows.keys())).toEqual(range(12))
    expect([
      ...api.rows.values(),
    ]).toEqual(range(12).map(() => 2))
    expect(sorted(api.queries.map(query => Number(query.global)))).toEqual(range(24))
    for (const query of api.queries)
      expect(Number(query.row)).toBe(Number(query.global) % 12)
  })

  it('numbers a ramping run\'s iterations k × peak users + user: unique across workers', async () => {
    const api = await startRowServer()

    await runLoad({
      target: api.url,
      scenario: scenario('feeder.scenario.ts'),
      load: {
        stages: [
          { duration: '400ms', users: 4 },
          { duration: '400ms', users: 4 },
        ],
      },
      workers: 2,
    })

    const globals = api.queries.map(query => Number(query.global))
    expect(globals.length).toBeGreaterThan(4)
    expect(new Set(globals).size).toBe(globals.length)
    for (const query of api.queries) {
      expect(Number(query.global)).toBe(Number(query.perUser) * 4 + Number(query.user))
      expect(Number(query.row)).toBe(Number(query.global) % 12)
    }
  })

  it('onEnd stop: users stop when the rows run out, even in a run by duration', async () => {
    const api = await startRowServer()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('feeder-stop.scenario.ts'),
      load: { users: 3, duration: '20s' },
      workers: 2,
    })

    expect(sorted(api.rows.keys())).toEqual(range(12))
    expect(api.total()).toBe(12)
    // the users ran out of rows long before the 20 s were over
    expect(run.durationMs).toBeLessThan(10_000)
  })

  it('onEnd error: iterations past the rows are errors of \'data row\', a random order still sends each row once', async () => {
    const api = await startRowServer()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('feeder-error.scenario.ts'),
      load: { users: 2, iterations: 4 },
      workers: 2,
      // it loads failures on purpose, to see them counted
      errorBudget: false,
    })

    expect(sorted(api.rows.keys())).toEqual(range(6))
    expect(api.total()).toBe(6)
    // shuffled: not row = global for every request
    expect(api.queries.some(query => query.row !== query.global)).toBe(true)
    const data = run.endpoint('data row')
    expect(data.totals.requests).toBe(2)
    expect(data.totals.errors.network).toBe(2)
    expect(data.totals.errorMessages).toEqual({ 'feeder \'row\' has no row left: 6 rows, onEnd: \'error\'': 2 })
  })

  it('gives the open model\'s arrivals unique rows: row = arrival index', async () => {
    const api = await startRowServer()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('feeder-stop.scenario.ts'),
      load: { rate: 40, duration: '1s' },
      workers: 2,
    })

    // 40 arrivals, indices 0–39; the 12 rows go to arrivals 0–11, the later ones send nothing
    expect(run.droppedArrivals).toBe(0)
    expect(sorted(api.queries.map(query => Number(query.global)))).toEqual(range(12))
    for (const query of api.queries)
      expect(query.row).toBe(query.global)
    expect(api.total()).toBe(12)
  })

  it('gives 40 open-model arrivals over 2 workers 40 different global indices', async () => {
    const api = await startRowServer()

    const run = await runLoad({
      target: api.url,
      scenario: scenario('feeder.scenario.ts'),
      load: { rate: 40, duration: '1s' },
      workers: 2,
    })

    expect(run.droppedArrivals).toBe(0)
    expect(sorted(api.queries.map(query => Number(query.global)))).toEqual(range(40))
    for (const query of api.queries)
      expect(Number(query.row)).toBe(Number(query.global) % 12)
  })

  it('reads a CSV file with quoted fields, commas, doubled quotes and line breaks', async () => {
    const api = await startRowServer()

    await runLoad({
      target: api.url,
      scenario: scenario('csv-accounts.scenario.ts'),
      load: { users: 2, iterations: 5 },
      workers: 2,
    })

    // 4 records, each posted once; onEnd: 'stop' ends the users after them
    expect(api.accounts).toHaveLength(4)
    expect(api.accounts).toEqual(expect.arrayContaining([
      { id: '0', name: 'Lovelace, Ada', note: 'first' },
      { id: '1', name: 'Hopper, Grace', note: 'said "it\'s a bug"' },
      { id: '2', name: 'Turing, Alan', note: 'two\nlines' },
      { id: '3', name: 'Knuth', note: '' },
    ]))
  })

  it('fails before any request when the CSV file is missing, naming it', async () => {
    const api = await startRowServer()

    const error: unknown = await runLoad({
      target: api.url,
      scenario: scenario('csv-missing.scenario.ts'),
      load: { users: 2, iterations: 5 },
      workers: 2,
    }).then(() => undefined, (rejection: unknown) => rejection)

    expect(api.total()).toBe(0)
    expect(error).toBeInstanceOf(ScenarioLoadError)
    const csv = fileURLToPath(scenario('no-such-file.csv'))
    expect((error as ScenarioLoadError).file).toBe(fileURLToPath(scenario('csv-missing.scenario.ts')))
    expect((error as Error).message).toContain(`CsvFeederError: cannot read the CSV file ${csv}: the file does not exist. No load was sent.`)
  })

  it('fails before any request when the CSV file is malformed, naming the file and the line', async () => {
    const api = await startRowServer()

    const error: unknown = await runLoad({
      target: api.url,
      scenario: scenario('csv-malformed.scenario.ts'),
      load: { users: 2, iterations: 5 },
      workers: 2,
    }).then(() => undefined, (rejection: unknown) => rejection)

    expect(api.total()).toBe(0)
    expect(error).toBeInstanceOf(ScenarioLoadError)
    const csv = fileURLToPath(scenario('malformed.csv'))
    expect((error as Error).message).toContain(`cannot read the CSV file ${csv}:3: the record has 3 fields, the header has 2 (id, name)`)
  })
})
