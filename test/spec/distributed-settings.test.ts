import type { Broker } from '../../src/distributed/broker.js'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isTargetAllowed, resolveScenario } from '../../src/distributed/agent.js'
import { readBrokerClock, redactBrokerUrl, streamEntries } from '../../src/distributed/broker.js'
import { decode, encode, toWorkerControl } from '../../src/distributed/protocol.js'
import { distributedSettingsFromEnv } from '../../src/distributed/settings.js'
import { DistributedRunError } from '../../src/errors.js'

describe('distributed settings from the environment', () => {
  it('is local without VITEST_LOAD_REDIS, and reads the rest with their defaults', () => {
    expect(distributedSettingsFromEnv({})).toBeUndefined()
    expect(distributedSettingsFromEnv({ VITEST_LOAD_REDIS: 'redis://127.0.0.1:6379', VITEST_LOAD_AGENTS: '3' })).toEqual({
      url: 'redis://127.0.0.1:6379',
      namespace: 'default',
      agents: 3,
      startTimeoutMs: 60_000,
    })
  })

  it('names every problem at once, the password never shown', () => {
    let error: unknown
    try {
      distributedSettingsFromEnv({ VITEST_LOAD_REDIS: 'https://u:hunter2@redis', VITEST_LOAD_NAMESPACE: 'a*', VITEST_LOAD_START_TIMEOUT: 'soon' })
    }
    catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(DistributedRunError)
    const message = (error as Error).message
    expect(message).not.toContain('hunter2')
    expect(message.split('\n  - ')).toHaveLength(5)
    expect(message).toContain('VITEST_LOAD_AGENTS must be the number of agents each load test waits for, 1 or more, got nothing. Example: VITEST_LOAD_AGENTS=3')
  })

  it('shows a Redis URL with its password as ***', () => {
    expect(redactBrokerUrl('rediss://vl-coord:s3cret@redis.example:6380/0')).toBe('rediss://vl-coord:***@redis.example:6380/0')
    expect(redactBrokerUrl('redis://:s3cret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379')
    expect(redactBrokerUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379')
  })
})

describe('the wire', () => {
  it('keeps Infinity through JSON', () => {
    expect(decode(encode({
      a: Number.POSITIVE_INFINITY,
      b: [1, Number.NEGATIVE_INFINITY],
      c: 'x',
    }))).toEqual({
      a: Number.POSITIVE_INFINITY,
      b: [1, Number.NEGATIVE_INFINITY],
      c: 'x',
    })
  })

  it('reads XREAD replies in both shapes', () => {
    const entries = [
      [
        '1-0',
        ['m', 'hi'],
      ],
    ]
    expect(streamEntries([
      ['key', entries],
    ])).toEqual(entries)
    expect(streamEntries(['key', entries])).toEqual(entries)
    expect(streamEntries(null)).toEqual([])
  })

  it('moves a start time onto the agent\'s clock', () => {
    expect(toWorkerControl({ t: 'start', startAtBrokerMs: 10_000 }, { offsetMs: 250, uncertaintyMs: 1 })).toEqual({ type: 'start', startAtEpochMs: 9750 })
    expect(toWorkerControl({ t: 'stop', graceful: true }, { offsetMs: 250, uncertaintyMs: 1 })).toEqual({ type: 'stop', graceful: true })
  })
})

describe('the clock against Redis', () => {
  it('keeps the reading with the shortest round trip: offset within half of it', async () => {
    // Redis' clock runs 5 s ahead; round trips of 40, 2 and 30 ms
    const delays = [40, 2, 30]
    let call = 0
    const broker = {
      call: async () => {
        const delay = delays[call++ % delays.length]!
        await new Promise(resolve => setTimeout(resolve, delay / 2))
        const now = performance.timeOrigin + performance.now() + 5000
        await new Promise(resolve => setTimeout(resolve, delay / 2))
        return [
          String(Math.floor(now / 1000)),
          String(Math.round((now % 1000) * 1000)),
        ]
      },
    } as unknown as Broker
    const clock = await readBrokerClock(broker, 3)
    expect(clock.uncertaintyMs).toBeLessThan(15)
    expect(Math.abs(clock.offsetMs - 5000)).toBeLessThanOrEqual(clock.uncertaintyMs + 1)
  })
})

describe('what an agent accepts', () => {
  it('sends load only to targets in its --allow-target list; loopback by default', () => {
    expect(isTargetAllowed('http://127.0.0.1:3000', ['loopback'])).toBe(true)
    expect(isTargetAllowed('http://[::1]:3000', ['loopback'])).toBe(true)
    expect(isTargetAllowed('http://localhost:3000', ['loopback'])).toBe(true)
    expect(isTargetAllowed('http://10.0.0.5:3000', ['loopback'])).toBe(false)
    expect(isTargetAllowed('https://staging.example.com', ['https://staging.example.com'])).toBe(true)
    expect(isTargetAllowed('https://staging.example.com:8443', ['https://staging.example.com'])).toBe(false)
    expect(isTargetAllowed('http://api.staging:8080', ['api.staging'])).toBe(true)
  })

  const folders: string[] = []
  afterEach(() => folders.splice(0).forEach(folder => rmSync(folder, { recursive: true, force: true })))

  it('runs a scenario only from inside its root and with the coordinator\'s hash', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vl-agent-root-'))
    const outside = mkdtempSync(join(tmpdir(), 'vl-outside-'))
    folders.push(root, outside)
    mkdirSync(join(root, 'load'))
    writeFileSync(join(root, 'load/a.scenario.js'), 'export default {}\n')
    writeFileSync(join(outside, 'b.scenario.js'), 'export default {}\n')
    symlinkSync(join(outside, 'b.scenario.js'), join(root, 'load/link.scenario.js'))
    const sha256 = 'd9e4b77d9a4e2dba6c7cfd2b45b1b0fa3f09c92fc78db47e4d3ad9b36c7e3c6b'
    const { createHash } = await import('node:crypto')
    const right = createHash('sha256').update('export default {}\n').digest('hex')
    await expect(resolveScenario({ path: 'load/a.scenario.js', sha256: right }, root)).resolves.toMatchObject({
      file: expect.stringMatching(/load\/a\.scenario\.js$/),
    })
    await expect(resolveScenario({ path: 'load/a.scenario.js', sha256 }, root)).rejects.toThrow(/differs from the coordinator's/)
    await expect(resolveScenario({ path: '../x.scenario.js', sha256: right }, root)).rejects.toThrow(/not under this agent's --root/)
    await expect(resolveScenario({ path: 'load/link.scenario.js', sha256: right }, root)).rejects.toThrow(/resolves outside this agent's --root/)
    await expect(resolveScenario({ path: '/etc/passwd', sha256: right }, root)).rejects.toThrow(/must be relative/)
  })
})
