import type { ClockReading } from './protocol.js'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { DistributedRunError } from '../errors.js'

/** The few things this package asks of a Redis connection (an `ioredis` client). */
export interface Broker {
  call: (command: string, ...args: Array<string | number>) => Promise<unknown>
  quit: () => Promise<unknown>
  disconnect: () => void
}

/** How a broker is reached: its URL (`redis://` or `rediss://`, with credentials) and an optional CA. */
export interface BrokerAddress {
  url: string
  /** PEM file of the CA that signed a `rediss://` server's certificate (`VITEST_LOAD_REDIS_CA`). */
  caFile?: string
}

/** `redis://user:secret@host:6379/0` as `redis://user:***@host:6379/0`: the only form any output shows. */
export function redactBrokerUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password)
      parsed.password = '***'
    else if (parsed.username)
      parsed.username = '***'
    return parsed.toString()
  }
  catch {
    return '(a Redis URL that does not parse)'
  }
}

/** Checks a broker URL before anything connects: the scheme and the host. Returns the problem, or undefined. */
export function checkBrokerUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') {
    return `must be a redis:// or rediss:// URL, got ${url === ''
      ? 'an empty string'
      : typeof url}`
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  }
  catch {
    return `must be a redis:// or rediss:// URL, got ${redactBrokerUrl(url)}`
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    return `must start with redis:// or rediss://, got ${parsed.protocol}//…`
  return undefined
}

interface IoRedisModule {
  Redis: new (url: string, options: Record<string, unknown>) => Broker & {
    connect: () => Promise<void>
    on: (event: 'error', listener: (error: Error) => void) => unknown
  }
}

/**
 * Connects to Redis with `ioredis` (an optional peer dependency, loaded only here). Commands fail at
 * once while the link is down (no offline queue), so a lease renewal that cannot reach the broker
 * is seen as failing, not queued; the client keeps reconnecting in the background.
 */
export async function connectBroker(address: BrokerAddress, role: string): Promise<Broker> {
  let ioredis: IoRedisModule
  try {
    ioredis = await import('ioredis') as unknown as IoRedisModule
  }
  catch (error) {
    throw new DistributedRunError(`A distributed run needs the ioredis package: npm install --save-dev ioredis (${(error as Error).message})`, { cause: error })
  }
  const client = new ioredis.Redis(address.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    connectionName: `vitest-load:${role}`,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    ...(address.caFile && {
      tls: {
        ca: readFileSync(address.caFile),
      },
    }),
  })
  // reported through the commands that fail; an unhandled 'error' event would end the process.
  // The first connection's own error (ECONNREFUSED, a TLS or auth failure) says more than the
  // 'Connection is closed.' that connect() rejects with
  let socketError: Error | undefined
  client.on('error', (error) => {
    socketError ??= error
  })
  try {
    await client.connect()
  }
  catch (error) {
    client.disconnect()
    const cause = socketError ?? error as Error
    throw new DistributedRunError(`Cannot connect to Redis at ${redactBrokerUrl(address.url)}: ${cause.message}`, { cause })
  }
  return client
}

/** This process's epoch milliseconds from the monotonic clock. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now()
}

/**
 * Redis' clock against ours, by Cristian's method: of `samples` readings of `TIME`, the one with the
 * shortest round trip gives `offset = broker − (t0 + t1) / 2`, within half that round trip.
 */
export async function readBrokerClock(broker: Broker, samples = 8): Promise<ClockReading> {
  let best: ClockReading | undefined
  for (let sample = 0; sample < samples; sample++) {
    const t0 = epochNowMs()
    const [seconds, micros] = await broker.call('TIME') as [string, string]
    const t1 = epochNowMs()
    const brokerMs = Number(seconds) * 1000 + Number(micros) / 1000
    const reading = { offsetMs: brokerMs - (t0 + t1) / 2, uncertaintyMs: (t1 - t0) / 2 }
    if (!best || reading.uncertaintyMs < best.uncertaintyMs)
      best = reading
  }
  return best!
}

/**
 * Entries of `XREAD … STREAMS key id` for one key: `[id, fields]` pairs, or none on a timeout.
 * Redis answers `[[key, entries]]`; ioredis 6 gives a read of one stream as `[key, entries]`.
 */
export function streamEntries(reply: unknown): Array<[string, string[]]> {
  if (!Array.isArray(reply) || reply.length === 0)
    return []
  const stream = typeof reply[0] === 'string'
    ? reply
    : reply[0] as unknown[]
  return (stream[1] ?? []) as Array<[string, string[]]>
}
