import type { IntervalSnapshot } from '../../src/metrics/snapshot.js'
import { describe, expect, it } from 'vitest'
import { scrubError, scrubSnapshot } from '../../src/engine/secrets.js'
import { MAX_ERROR_MESSAGE_CHARS } from '../../src/http/classify-error.js'
import { createCounters } from '../../src/metrics/counters.js'
import { MAX_LEARNED_SECRETS, SecretValues } from '../../src/spec/secret-values.js'

const TOKEN = 'tok-8d41f0a7c2'

function snapshotWith(messages: Record<string, number>): IntervalSnapshot {
  const counters = createCounters()
  Object.assign(counters.errorMessages, messages)
  return {
    workerIndex: 0,
    interval: 0,
    activeUsers: 1,
    droppedArrivals: 0,
    loop: { utilization: 0, delayP99Ms: 0, delayMaxMs: 0 },
    endpoints: [
      { name: `GET /me as ${TOKEN}`, counters, histogram: '' },
    ],
    checks: [
      { name: `authorized as ${TOKEN}`, passes: 1, fails: 0 },
    ],
    metrics: [
      { name: `calls with ${TOKEN}`, type: 'counter', count: 1 },
    ],
  }
}

describe('secretValues', () => {
  it('scrubs the values of the options, then those learned, in every form', () => {
    const secrets = new SecretValues(['fixed-value-1'])
    expect(secrets.scrub(`fixed-value-1 and ${TOKEN}`)).toBe(`[redacted] and ${TOKEN}`)
    secrets.add([`Bearer ${TOKEN}`, TOKEN, 'a b+c/d'])
    expect(secrets.scrub(`fixed-value-1, Bearer ${TOKEN}, ${TOKEN}, a%20b%2Bc%2Fd, a+b%2Bc%2Fd`)).toBe('[redacted], [redacted], [redacted], [redacted], [redacted]')
    expect(secrets.longest).toBe(`Bearer%20${TOKEN}`.length)
  })

  it('replaces the longest value that matches, among many that begin alike, next to each other too', () => {
    const secrets = new SecretValues()
    secrets.add(['tok-abcdef', 'tok-abcdef-long', 'tok-zzzz'])
    expect(secrets.scrub('tok-abcdef-long,tok-abcdeftok-zzzz tok-abc tok-zzzz')).toBe('[redacted],[redacted][redacted] tok-abc [redacted]')
  })

  it(`keeps the ${MAX_LEARNED_SECRETS} most recent values learned`, () => {
    const secrets = new SecretValues()
    for (let i = 0; i <= MAX_LEARNED_SECRETS; i++)
      secrets.add([`token-${String(i).padStart(5, '0')}`])
    expect(secrets.scrub('token-00000')).toBe('token-00000')
    expect(secrets.scrub(`token-${String(MAX_LEARNED_SECRETS).padStart(5, '0')}`)).toBe('[redacted]')
  })
})

describe('scrubSnapshot', () => {
  it('scrubs endpoint, check and metric names, and adds up error messages that become one', () => {
    const secrets = new SecretValues()
    secrets.add([TOKEN, 'tok-other-9f'])
    const snapshot = scrubSnapshot(snapshotWith({ [`failed: ${TOKEN}`]: 2, 'failed: tok-other-9f': 3, 'plain': 1 }), secrets)
    expect(snapshot.endpoints[0]!.name).toBe('GET /me as [redacted]')
    expect({ ...snapshot.endpoints[0]!.counters.errorMessages }).toEqual({ 'failed: [redacted]': 5, 'plain': 1 })
    expect(snapshot.checks![0]!.name).toBe('authorized as [redacted]')
    expect(snapshot.metrics![0]!.name).toBe('calls with [redacted]')
  })

  it(`drops a value a worker cut in half at the end of a long message, and cuts it to ${MAX_ERROR_MESSAGE_CHARS} characters`, () => {
    const secrets = new SecretValues()
    secrets.add([TOKEN])
    // whole values before the cut shrink the message, which would bring the half token into view
    const message = `${`${TOKEN} `.repeat(20)}${TOKEN.slice(0, 9)}`
    const scrubbed = Object.keys(scrubSnapshot(snapshotWith({ [message]: 1 }), secrets).endpoints[0]!.counters.errorMessages)[0]!
    expect(scrubbed).not.toContain(TOKEN.slice(0, 9))
    expect(scrubbed.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS)
    expect(scrubbed.startsWith('[redacted] [redacted] ')).toBe(true)
  })

  it('leaves a snapshot alone when no secret is known', () => {
    const snapshot = snapshotWith({ [`failed: ${TOKEN}`]: 1 })
    expect(scrubSnapshot(snapshot, new SecretValues()).endpoints[0]!.name).toBe(`GET /me as ${TOKEN}`)
  })
})

describe('scrubError', () => {
  it('scrubs the message and stack of an error and of its cause', () => {
    const secrets = new SecretValues()
    secrets.add([TOKEN])
    const cause = new Error(`crashed: ${TOKEN}`)
    const error = scrubError(new Error(`Worker 0 failed: crashed: ${TOKEN}`, { cause }), secrets)
    expect(error.message).toBe('Worker 0 failed: crashed: [redacted]')
    expect(`${error.stack} ${cause.message} ${cause.stack}`).not.toContain(TOKEN)
  })

  it('scrubs a stack that cannot be assigned, as Node 24 hands over the error of a worker thread', () => {
    const secrets = new SecretValues()
    secrets.add([TOKEN])
    const cause = new Error(`crashed: ${TOKEN}`)
    Object.defineProperty(cause, 'stack', { value: `Error: crashed: ${TOKEN}\n    at worker`, writable: false, configurable: true })
    const error = scrubError(new Error('Worker 0 failed', { cause }), secrets)
    expect(error.cause).toBe(cause)
    expect(cause.stack).toBe('Error: crashed: [redacted]\n    at worker')
  })
})
