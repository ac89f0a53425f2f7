import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkScenarioModule } from '../../src/scenario/check-scenario.js'
import { CsvSyntaxError, parseCsv, parseCsvRecords } from '../../src/scenario/csv.js'
import { createFeederReader, csvFeeder, CsvFeederError, feeder, isFeeder } from '../../src/scenario/feeder.js'

const fixture = new URL('../fixtures/scenarios/accounts.csv', import.meta.url)

function tempCsv(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vitest-load-csv-')), 'data.csv')
  writeFileSync(file, text)
  return file
}

describe('parseCsv (RFC 4180)', () => {
  it('reads a header row and one object per record', () => {
    expect(parseCsv('name,age\nada,36\nalan,41\n')).toEqual([
      { name: 'ada', age: '36' },
      { name: 'alan', age: '41' },
    ])
  })

  it('reads quoted fields with commas, doubled quotes, line breaks and CRLF', () => {
    const text = 'id,name,note\r\n1,"Lovelace, Ada","said ""hi"""\r\n2,"two\r\nlines","a\nb"\r\n3,,""\r\n'
    expect(parseCsv(text)).toEqual([
      { id: '1', name: 'Lovelace, Ada', note: 'said "hi"' },
      { id: '2', name: 'two\r\nlines', note: 'a\nb' },
      { id: '3', name: '', note: '' },
    ])
  })

  it('gives each record the line it starts on, and skips blank lines and a byte order mark', () => {
    expect(parseCsvRecords('\uFEFFa,b\n"x\ny",1\n\n2,3')).toEqual([
      {
        line: 1,
        fields: ['a', 'b'],
      },
      {
        line: 2,
        fields: ['x\ny', '1'],
      },
      {
        line: 5,
        fields: ['2', '3'],
      },
    ])
  })

  it('takes another delimiter', () => {
    expect(parseCsv('a;b\n"1;2";3\n', ';')).toEqual([
      { a: '1;2', b: '3' },
    ])
  })

  it('names the line of each problem', () => {
    const problem = (text: string): unknown => {
      try {
        parseCsv(text)
      }
      catch (error) {
        return error instanceof CsvSyntaxError
          ? `${error.line}: ${error.problem}`
          : error
      }
      return 'no error'
    }
    expect(problem('a,b\n1,2\n3\n')).toBe('3: the record has 1 field, the header has 2 (a, b)')
    expect(problem('a,b\n1,2\n"3,4\n5,6\n')).toBe('3: a quoted field is not closed: its opening quote has no closing quote')
    expect(problem('a,b\n"1"x,2\n')).toMatch(/^2: unexpected "x" after the closing quote/)
    expect(problem('a,a\n1,2\n')).toBe('1: the header row names column "a" twice')
    expect(problem('a,\n1,2\n')).toBe('1: column 2 of the header row has no name')
    expect(problem('')).toMatch(/^1: the file is empty/)
  })
})

describe('csvFeeder', () => {
  it('reads the fixture with quoted fields, commas and line breaks in quotes', () => {
    const accounts = csvFeeder(fixture)
    expect(accounts.rows).toHaveLength(4)
    expect(accounts.rows[1]).toEqual({ id: '1', name: 'Hopper, Grace', note: 'said "it\'s a bug"' })
    expect(accounts.rows[2]).toEqual({ id: '2', name: 'Turing, Alan', note: 'two\nlines' })
    expect(accounts.source.endsWith('accounts.csv')).toBe(true)
    expect(isFeeder(accounts)).toBe(true)
  })

  it('takes a path as well as a URL', () => {
    expect(csvFeeder(tempCsv('x\n1\n')).rows).toEqual([
      { x: '1' },
    ])
    expect(csvFeeder(pathToFileURL(tempCsv('x\n2\n')).href).rows).toEqual([
      { x: '2' },
    ])
  })

  it('fails naming the file, and the line when the file is malformed', () => {
    expect(() => csvFeeder(new URL('./missing.csv', fixture))).toThrow(CsvFeederError)
    expect(() => csvFeeder(new URL('./missing.csv', fixture))).toThrow(/cannot read the CSV file \S+missing\.csv: the file does not exist/)
    const broken = tempCsv('a,b\n1,2\n3,4,5\n')
    expect(() => csvFeeder(broken)).toThrow(`cannot read the CSV file ${broken}:3: the record has 3 fields, the header has 2 (a, b)`)
    expect(() => csvFeeder(tempCsv('a,b\n'))).toThrow(/has a header row but no records/)
  })

  it('checks its arguments', () => {
    expect(() => csvFeeder(fixture, { delimiter: '::' })).toThrow(/delimiter must be one character/)
    // @ts-expect-error not an option
    expect(() => csvFeeder(fixture, { header: false })).toThrow('csvFeeder(file, options): header is not an option; the options are order, onEnd, seed, delimiter')
    // @ts-expect-error not a path
    expect(() => csvFeeder(42)).toThrow('file must be a file: URL or a path, got `42` (number)')
  })
})

describe('feeder', () => {
  it('checks its rows and options', () => {
    expect(() => feeder([])).toThrow(/rows must be a non-empty array/)
    // @ts-expect-error not an order
    expect(() => feeder([1], { order: 'shuffled' })).toThrow(`feeder(rows, options): order must be 'sequential' or 'random', got \`"shuffled"\` (string)`)
    // @ts-expect-error not an end
    expect(() => feeder([1], { onEnd: 'loop' })).toThrow(/onEnd must be 'wrap', 'stop' or 'error'/)
    expect(() => feeder([1], { seed: 1.5 })).toThrow(/seed must be a whole number/)
  })

  it('keeps a copy of the rows', () => {
    const rows = [1, 2]
    const numbers = feeder(rows)
    rows.push(3)
    expect(numbers.rows).toEqual([1, 2])
  })

  it('hands out row i to global index i, wrapping by default', () => {
    const reader = createFeederReader('n', feeder(['a', 'b', 'c']))
    expect([0, 1, 2, 3, 4, 7].map(i => reader.rowAt(i))).toEqual(['a', 'b', 'c', 'a', 'b', 'b'])
    expect(reader.has(1000)).toBe(true)
  })

  it('has no row past the end with onEnd stop or error', () => {
    for (const onEnd of ['stop', 'error'] as const) {
      const reader = createFeederReader('n', feeder(['a', 'b'], { onEnd }))
      expect([0, 1, 2].map(i => reader.has(i))).toEqual([true, true, false])
    }
  })

  it('random: one seeded shuffle, every row once per cycle, the same order for the same seed', () => {
    const rows = Array.from({ length: 50 }, (_, i) => i)
    const read = (seed: number): unknown[] => {
      const reader = createFeederReader('n', feeder(rows, { order: 'random', seed }))
      return rows.map(i => reader.rowAt(i))
    }
    const first = read(7)
    expect([...first].sort((a, b) => (a as number) - (b as number))).toEqual(rows)
    expect(first).not.toEqual(rows)
    expect(read(7)).toEqual(first)
    expect(read(8)).not.toEqual(first)
    const reader = createFeederReader('n', feeder(rows, { order: 'random', seed: 7 }))
    expect(reader.rowAt(50 + 3)).toBe(first[3])
  })
})

describe('data in a scenario module', () => {
  it('accepts feeders and lists what is not one', () => {
    const tasks = (): void => {}
    const ok = checkScenarioModule({
      default: {
        data: {
          a: feeder([1]),
          b: csvFeeder(fixture),
        },
        tasks,
      },
    })
    expect('scenario' in ok && ok.scenario.data.map(reader => [reader.name, reader.size])).toEqual([
      ['a', 1],
      ['b', 4],
    ])
    expect(checkScenarioModule({
      default: { tasks },
    })).toMatchObject({
      scenario: { data: [] },
    })
    expect(checkScenarioModule({
      default: {
        data: {
          rows: [1, 2],
        },
        tasks,
      },
    })).toEqual({
      problems: [`data.rows must be made by feeder() or csvFeeder() from 'vitest-load/scenario', got \`[1,2]\` (array). Example: data: { users: csvFeeder(new URL('./users.csv', import.meta.url)) }`],
    })
    expect(checkScenarioModule({
      default: {
        data: [
          feeder([1]),
        ],
        tasks,
      },
    })).toMatchObject({
      problems: [
        expect.stringMatching(/^data must be an object of feeders/),
      ],
    })
  })
})
