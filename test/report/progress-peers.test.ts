import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PeerRuns } from '../../src/progress/peers.js'

/** Runs of this file only: other test processes on the machine (load tests running beside these) are not theirs to find. */
const prefix = `vitest-load-test-${randomBytes(4).toString('hex')}.`

function socketsListed(): string {
  return readFileSync('/proc/net/unix', 'utf8')
}

describe.runIf(PeerRuns.available())('runs of other test processes, found without the plugin (Linux abstract sockets)', () => {
  it('finds a run of another group in progress at the same time, with its name and file, both ways', async () => {
    let clock = 10_000
    const now = (): number => clock
    const a = new PeerRuns({
      name: 'GET /a',
      file: 'a.load.test.ts',
      group: 'group-a',
      prefix,
      startMs: 10_000,
    }, now)
    clock = 10_500
    const b = new PeerRuns({
      name: 'GET /b',
      file: 'b.load.test.ts',
      group: 'group-b',
      prefix,
      startMs: 10_500,
    }, now)
    clock = 11_000
    await a.scan()
    await b.scan()
    // each asked the other who it is: let the answers land before the clock moves
    await new Promise(resolve => setTimeout(resolve, 50))

    clock = 13_000
    expect(await a.finish()).toEqual([
      { name: 'GET /b', file: 'b.load.test.ts', ms: 2500 },
    ])
    // a is gone by b's end, and b last saw it at 11 s: the end of an overlap is known to the
    // last scan, a second at most in a run, which scans once a second
    clock = 14_000
    expect(await b.finish()).toEqual([
      { name: 'GET /a', file: 'a.load.test.ts', ms: 500 },
    ])
  })

  it('learns of a run that found it, even when its own scans did not see that run', async () => {
    let clock = 0
    const now = (): number => clock
    const a = new PeerRuns({
      name: 'GET /a',
      group: 'group-a',
      startMs: 0,
      prefix,
    }, now)
    const b = new PeerRuns({
      name: 'GET /b',
      group: 'group-b',
      startMs: 0,
      prefix,
    }, now)
    clock = 1000
    await b.scan()
    // b asked a who it is, and said who it is: a knows b without a scan of its own
    await new Promise(resolve => setTimeout(resolve, 50))
    clock = 3000
    const bSaw = await b.finish()
    clock = 4000
    const aSaw = await a.finish()
    // neither said its test file (as a plain script would not): another process, never "the same file"
    expect(bSaw).toEqual([
      { name: 'GET /a', file: '(another process)', ms: 3000 },
    ])
    expect(aSaw).toEqual([
      { name: 'GET /b', file: '(another process)', ms: 1000 },
    ])
  })

  it('does not name runs of its own group (its test file marks them itself), nor a run after it', async () => {
    const a = new PeerRuns({
      name: 'GET /a',
      group: 'same',
      prefix,
      startMs: Date.now(),
    })
    const a2 = new PeerRuns({
      name: 'GET /a2',
      group: 'same',
      prefix,
      startMs: Date.now(),
    })
    await a.scan()
    await a2.scan()
    expect(await a.finish()).toEqual([])
    expect(await a2.finish()).toEqual([])
    const later = new PeerRuns({
      name: 'GET /later',
      group: 'other',
      prefix,
      startMs: Date.now(),
    })
    await later.scan()
    expect(await later.finish()).toEqual([])
  })

  it('leaves no socket behind: the name is gone from the list once the run finishes', async () => {
    const run = new PeerRuns({
      name: 'GET /gone',
      group: 'group-gone',
      prefix,
      startMs: Date.now(),
    })
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(socketsListed()).toContain(`@${prefix}group-gone.`)
    await run.finish()
    expect(socketsListed()).not.toContain(`@${prefix}group-gone.`)
  })
})
