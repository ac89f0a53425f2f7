import type { BaselineEntry } from '../../src/baseline/store.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { baselineEntry, BaselineFileError, baselinePathFor, formatBaselineFile, readBaselineFile, recordedDate, writeBaseline } from '../../src/baseline/store.js'

function entry(p95: number): BaselineEntry {
  return {
    recorded: '2026-11-23',
    load: '10 users for 10 s',
    requests: 12_345,
    intervalSeconds: 1,
    summary: {
      throughputPerSec: 1234.5678,
      p95Ms: p95,
      p50Ms: 12.345678,
      p99Ms: 40.04004,
      errorRate: 0.000123456,
    },
    intervals: {
      p95Ms: [p95, 31.23456, null],
      p50Ms: [12.3456, 12.1, null],
      p99Ms: [40.1, 40.2, null],
      throughputPerSec: [1234.567, 1200, 0],
      errorRate: [0, 0.001, null],
    },
  }
}

let folder: string | undefined
afterEach(() => {
  if (folder)
    rmSync(folder, { recursive: true, force: true })
  folder = undefined
})

describe('baseline files', () => {
  it('live beside the test file, in __baselines__, like __snapshots__', () => {
    expect(baselinePathFor('/repo/test/users.load.test.ts')).toBe('/repo/test/__baselines__/users.load.test.ts.json')
  })

  it('read as a table in a diff: sorted keys, 4 significant digits, number lists on one line, a final newline', () => {
    const text = formatBaselineFile({
      schemaVersion: 1,
      generator: 'vitest-load',
      baselines: {
        'b test': entry(31.98765),
        'a test': entry(30),
      },
    })
    expect(text).toBe(`{
  "baselines": {
    "a test": {
      "intervalSeconds": 1,
      "intervals": {
        "errorRate": [0, 0.001, null],
        "p50Ms": [12.35, 12.1, null],
        "p95Ms": [30, 31.23, null],
        "p99Ms": [40.1, 40.2, null],
        "throughputPerSec": [1235, 1200, 0]
      },
      "load": "10 users for 10 s",
      "recorded": "2026-11-23",
      "requests": 12345,
      "summary": {
        "errorRate": 0.0001235,
        "p50Ms": 12.35,
        "p95Ms": 30,
        "p99Ms": 40.04,
        "throughputPerSec": 1235
      }
    },
    "b test": {
      "intervalSeconds": 1,
      "intervals": {
        "errorRate": [0, 0.001, null],
        "p50Ms": [12.35, 12.1, null],
        "p95Ms": [31.99, 31.23, null],
        "p99Ms": [40.1, 40.2, null],
        "throughputPerSec": [1235, 1200, 0]
      },
      "load": "10 users for 10 s",
      "recorded": "2026-11-23",
      "requests": 12345,
      "summary": {
        "errorRate": 0.0001235,
        "p50Ms": 12.35,
        "p95Ms": 31.99,
        "p99Ms": 40.04,
        "throughputPerSec": 1235
      }
    }
  },
  "generator": "vitest-load",
  "schemaVersion": 1
}
`)
    // the text is valid JSON that reads back
    expect(JSON.parse(text).baselines['a test'].summary.p95Ms).toBe(30)
  })

  it('write each run of a baseline on one line, so an added run is one added line', () => {
    const runs = [12.345678, 12.5].map(p50 => ({
      p50Ms: p50,
      p95Ms: 30,
      p99Ms: 40,
      throughputPerSec: 1234.5678,
      errorRate: 0,
    }))
    const text = formatBaselineFile({
      schemaVersion: 1,
      generator: 'vitest-load',
      baselines: {
        'a test': {
          ...entry(30),
          runs,
        },
      },
    })
    expect(text).toContain(`      "runs": [
        { "errorRate": 0, "p50Ms": 12.35, "p95Ms": 30, "p99Ms": 40, "throughputPerSec": 1235 },
        { "errorRate": 0, "p50Ms": 12.5, "p95Ms": 30, "p99Ms": 40, "throughputPerSec": 1235 }
      ],`)
    expect(JSON.parse(text).baselines['a test'].runs[1].p50Ms).toBe(12.5)
  })

  it('keep the other baselines when one is written, and write the same text for the same figures', () => {
    folder = mkdtempSync(join(tmpdir(), 'vitest-load-baseline-'))
    const path = join(folder, '__baselines__', 'x.test.ts.json')
    writeBaseline(path, 'first', entry(30))
    writeBaseline(path, 'second', entry(31))
    const once = readFileSync(path, 'utf8')
    writeBaseline(path, 'first', entry(30))
    expect(readFileSync(path, 'utf8')).toBe(once)
    expect(Object.keys(readBaselineFile(path)!.baselines)).toEqual(['first', 'second'])
  })

  it('say what is wrong with a file that is not one, or of another schema version', () => {
    folder = mkdtempSync(join(tmpdir(), 'vitest-load-baseline-'))
    const path = join(folder, 'x.json')
    expect(readBaselineFile(path)).toBeUndefined()
    writeFileSync(path, '{ "baselines": ')
    expect(() => readBaselineFile(path)).toThrow(BaselineFileError)
    expect(() => readBaselineFile(path)).toThrow(`${path} is not valid JSON`)
    writeFileSync(path, '{ "tests": {} }')
    expect(() => readBaselineFile(path)).toThrow('is not a vitest-load baseline file')
    writeFileSync(path, '{ "schemaVersion": 2, "generator": "vitest-load", "baselines": {} }')
    expect(() => readBaselineFile(path)).toThrow('has baseline schema version 2; this version of vitest-load reads version 1. Run `npx vitest -u`')
  })

  it('give a stored baseline only when it is one: own names only, every field checked', () => {
    const file = {
      schemaVersion: 1 as const,
      generator: 'vitest-load' as const,
      baselines: {
        good: entry(30),
      },
    }
    expect(baselineEntry(file, 'good', 'x.json')).toEqual(entry(30))
    expect(baselineEntry(file, 'constructor', 'x.json')).toBeUndefined()
    expect(baselineEntry(undefined, 'good', 'x.json')).toBeUndefined()
    const broken = {
      ...file,
      baselines: {
        bad: {
          ...entry(30),
          intervals: {
            p50Ms: [1],
          },
        },
      },
    } as unknown as typeof file
    expect(() => baselineEntry(broken, 'bad', 'x.json')).toThrow('x.json holds a baseline "bad" that is not one (expected load, recorded, summary and intervals of p50Ms, p95Ms, p99Ms, throughputPerSec, errorRate)')
  })

  it('record the day only, in UTC', () => {
    expect(recordedDate(new Date('2026-11-23T23:59:59.999Z'))).toBe('2026-11-23')
  })
})
