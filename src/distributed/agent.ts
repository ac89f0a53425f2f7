import type { WorkerMessage, WorkerOutcome } from '../engine/messages.js'
import type { WorkerShare } from '../plan/plan.js'
import type { Broker, BrokerAddress } from './broker.js'
import type { AgentInfo, AgentReport, AssignMessage, ClockReading, RunControl, ScenarioRef } from './protocol.js'
import { randomBytes } from 'node:crypto'
import { realpath } from 'node:fs/promises'
import { hostname } from 'node:os'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import { createPool } from '../engine/pool.js'
import { probeTarget } from '../http/probe.js'
import { PACKAGE_VERSION } from '../package-version.js'
import { DEFAULT_WORKER_MEMORY_MB } from '../spec/validate.js'
import { connectBroker, epochNowMs, readBrokerClock, redactBrokerUrl, streamEntries } from './broker.js'
import { decode, encode, fileSha256, keysOf, LEASE_MS, PROTOCOL_VERSION, RENEW_EVERY_MS, toWorkerControl } from './protocol.js'

/** How an agent runs: `npx vitest-load agent --redis <url> …` (src/cli.ts). */
export interface AgentOptions extends BrokerAddress {
  namespace: string
  /** Shown to the coordinator and in its messages. */
  name: string
  /** Orders agents (a Kubernetes Job's completion index, a CI matrix index); `null` orders by name. */
  index: number | null
  /** Worker threads each run's share runs on. */
  workers: number
  /** Scenario modules are resolved inside this folder, and nowhere else. */
  root: string
  /**
   * Targets this agent sends load to: origins (`http://api.staging:8080`), host names, or
   * `loopback` (127.0.0.0/8, ::1, localhost), the default.
   */
  allowTargets: readonly string[]
  /** Take part in one run (one load test), then exit. */
  once: boolean
  /** Exit once no run has come for this long, counted from the start and from the end of each run: for CI jobs that must end. */
  idleExitMs?: number
  log: (line: string) => void
}

/** The poll of the control stream and of the coordinator's lease during a run. */
const POLL_MS = 250
/** Entries a run's telemetry stream keeps: minutes of snapshots of a hundred workers. */
const TELEMETRY_MAXLEN = 50_000
/** After a stop, workers get this long to wind down before their threads are ended. */
const STOP_GRACE_MS = 5_000

/**
 * An agent: announces itself in Redis with a lease, waits for a coordinator to claim it and send a
 * share of a run, runs that share on its own Piscina pool, and streams every worker's messages back.
 * Stops its load by itself when the coordinator's lease or its own runs out, or the run's time is up.
 * Resolves with the exit code once `signal` aborts (or, with `once`, after one run).
 */
export async function runAgent(options: AgentOptions, signal: AbortSignal): Promise<number> {
  const keys = keysOf(options.namespace)
  const info: AgentInfo = {
    id: `${options.name}-${randomBytes(3).toString('hex')}`,
    name: options.name,
    index: options.index,
    workers: options.workers,
    host: hostname(),
    pid: process.pid,
    toolVersion: PACKAGE_VERSION,
    protocol: PROTOCOL_VERSION,
  }
  const broker = await connectBroker(options, `agent:${info.id}`)
  const reader = await connectBroker(options, `agent-reader:${info.id}`)
  const lease = new Lease(broker, keys.lease(info.id), encode(info))
  let exitCode = 0
  try {
    await lease.renew()
    lease.start()
    options.log(`vitest-load agent "${info.name}" (${info.id}, ${info.workers} worker${info.workers === 1
      ? ''
      : 's'}) waiting for runs in namespace "${options.namespace}" at ${redactBrokerUrl(options.url)}`)
    let inboxId = '0'
    let idleSince = epochNowMs()
    while (!signal.aborted) {
      if (options.idleExitMs !== undefined && epochNowMs() - idleSince >= options.idleExitMs) {
        options.log(`no run came for ${Math.round(options.idleExitMs / 1000)} s (--idle-exit): exiting`)
        break
      }
      let entries: Array<[string, string[]]>
      try {
        entries = streamEntries(await reader.call('XREAD', 'COUNT', 1, 'BLOCK', 1000, 'STREAMS', keys.inbox(info.id), inboxId))
      }
      catch (error) {
        if (signal.aborted)
          break
        options.log(`Redis: ${(error as Error).message}; retrying`)
        await sleep(500)
        continue
      }
      for (const [id, fields] of entries) {
        inboxId = id
        let failed: boolean
        try {
          failed = await takePart({
            options,
            info,
            broker,
            reader,
            lease,
            keys,
          }, decode<AssignMessage>(fields[1]!), signal)
        }
        catch (error) {
          // a message that is no assignment, or a fault of this agent's own: logged, and the agent waits on
          options.log(`a run could not start here: ${(error as Error)?.message ?? String(error)}`)
          failed = true
        }
        if (failed)
          exitCode = 1
        if (options.once)
          return exitCode
        idleSince = epochNowMs()
      }
    }
    return exitCode
  }
  finally {
    lease.stop()
    await broker.call('DEL', keys.lease(info.id), keys.inbox(info.id)).catch(() => {})
    reader.disconnect()
    await broker.quit().catch(() => broker.disconnect())
  }
}

/** The agent's lease, renewed every half second; `lost` once a renewal came too late (frozen, cut off). */
class Lease {
  #timer: ReturnType<typeof setInterval> | undefined
  #renewedAt = epochNowMs()
  lost = false

  constructor(private readonly broker: Broker, private readonly key: string, private readonly value: string) {}

  async renew(): Promise<void> {
    await this.broker.call('SET', this.key, this.value, 'PX', LEASE_MS)
    this.#renewedAt = epochNowMs()
  }

  start(): void {
    this.#timer = setInterval(() => {
      // a process frozen (SIGSTOP) or starved past its lease finds it gone when it wakes: the
      // coordinator has given its share up, and it must not send more of it
      if (epochNowMs() - this.#renewedAt > LEASE_MS)
        this.lost = true
      this.renew().catch(() => {})
    }, RENEW_EVERY_MS)
  }

  stop(): void {
    clearInterval(this.#timer)
  }

  /** Lost now, or unrenewed for longer than the lease (Redis gone). */
  expired(): boolean {
    return this.lost || epochNowMs() - this.#renewedAt > LEASE_MS
  }

  /** A new run starts with a fresh lease. */
  reset(): void {
    this.lost = false
  }
}

interface AgentContext {
  options: AgentOptions
  info: AgentInfo
  broker: Broker
  reader: Broker
  lease: Lease
  keys: ReturnType<typeof keysOf>
}

/** Runs this agent's share of one run. Resolves `true` when the run failed on this agent's side. */
async function takePart(ctx: AgentContext, assign: AssignMessage, signal: AbortSignal): Promise<boolean> {
  const { options, info, broker, lease, keys } = ctx
  const run = assign.run
  const log = (line: string): void => options.log(`run ${run.slice(0, 8)}: ${line}`)
  const report = async (message: AgentReport): Promise<void> => {
    // bounded: the coordinator reads as it goes, so only a dead one leaves the stream to fill
    await broker.call('XADD', keys.telemetry(run), 'MAXLEN', '~', TELEMETRY_MAXLEN, '*', 'm', encode(message)).catch(() => {})
  }
  const refuse = async (why: string): Promise<boolean> => {
    log(`refused: ${why}`)
    await report({
      t: 'failed',
      from: info.id,
      worker: null,
      message: why,
    })
    return true
  }
  if (await broker.call('GET', keys.claim(info.id)).catch(() => null) !== run)
    return refuse('this agent is not claimed for this run (the claim expired or belongs to another run)')
  if (assign.v !== PROTOCOL_VERSION || assign.toolVersion !== PACKAGE_VERSION)
    return refuse(`it runs vitest-load ${PACKAGE_VERSION} (protocol ${PROTOCOL_VERSION}), the coordinator ${assign.toolVersion} (protocol ${assign.v}): install the same version on both`)
  const origin = assign.shares[0]?.spec.request.origin ?? ''
  if (!isTargetAllowed(origin, options.allowTargets))
    return refuse(`its --allow-target list (${options.allowTargets.join(', ')}) does not include the target ${origin}: start the agent with --allow-target ${origin}`)
  let shares = assign.shares
  if (assign.scenario) {
    try {
      const scenario = await resolveScenario(assign.scenario, options.root)
      shares = shares.map(share => ({
        ...share,
        spec: { ...share.spec, scenario },
      }))
    }
    catch (error) {
      return refuse((error as Error).message)
    }
  }
  let clock: ClockReading
  try {
    await probeTarget(origin)
    clock = await readBrokerClock(broker)
  }
  catch (error) {
    return refuse((error as Error).message)
  }
  lease.reset()
  await report({ t: 'prepared', from: info.id, clock })
  log(`${shares.length} worker${shares.length === 1
    ? ''
    : 's'} (${shares.map(share => share.workerIndex).join(', ')}) of ${assign.agentCount} agents' load on ${origin}; clock offset ${clock.offsetMs.toFixed(1)} ms ± ${clock.uncertaintyMs.toFixed(1)} ms`)
  return runShares(ctx, assign, shares, clock, signal, report, log)
}

async function runShares(ctx: AgentContext, assign: AssignMessage, shares: readonly WorkerShare[], clock: ClockReading, signal: AbortSignal, report: (message: AgentReport) => Promise<void>, log: (line: string) => void): Promise<boolean> {
  const { info, broker, reader, lease, keys } = ctx
  const run = assign.run
  const pool = createPool(shares.length, undefined, shares[0]?.spec.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB)
  const channels = shares.map(() => new MessageChannel())
  let stopReason: string | undefined
  let maxDuration: ReturnType<typeof setTimeout> | undefined
  let windDown: ReturnType<typeof setTimeout> | undefined
  let watchdog: ReturnType<typeof setInterval> | undefined
  /** A fault on this agent's side (a worker failed, its own lease lost): its exit code with --once. */
  let failed = false
  /** Workers whose task has ended: once all have, nothing is left to stop (the coordinator may already be gone, done). */
  let ended = 0
  const stopAll = (why: string, ownFault = false): void => {
    if (stopReason !== undefined || ended === shares.length)
      return
    stopReason = why
    failed ||= ownFault
    log(`stopping the load: ${why}`)
    channels.forEach(channel => channel.port1.postMessage({ type: 'stop' }))
  }
  try {
    const tasks = shares.map((share, local) => {
      const channel = channels[local]!
      channel.port1.on('message', (message: WorkerMessage) => void report({
        t: 'worker',
        from: info.id,
        worker: share.workerIndex,
        message,
      }))
      return pool.run({ share, port: channel.port2 }, {
        transferList: [channel.port2],
      })
        .then(
          async (outcome: WorkerOutcome) => {
            ended++
            await report({
              t: 'done',
              from: info.id,
              worker: share.workerIndex,
              intervalsSent: outcome.intervalsSent,
              finishedAtBrokerMs: outcome.finishedAtEpochMs + clock.offsetMs,
            })
          },
          async (error: unknown) => {
            ended++
            failed = true
            await report({
              t: 'failed',
              from: info.id,
              worker: share.workerIndex,
              message: (error as Error)?.message ?? String(error),
            })
          },
        )
    })
    const tasksState = { settled: false }
    const allSettled = Promise.all(tasks).then(() => {
      tasksState.settled = true
    })
    // the dead-man's switch: no coordinator, no lease of our own, or no Redis, and the load stops
    watchdog = setInterval(() => {
      if (signal.aborted)
        stopAll('the agent is shutting down')
      if (lease.expired())
        stopAll(`this agent's lease ran out (frozen, or cut off from Redis for ${LEASE_MS / 1000} s): its share is no longer counted`, true)
      broker.call('EXISTS', keys.coordinator(run)).then((exists) => {
        if (exists === 0)
          stopAll(`the coordinator's lease ran out: it stopped, or lost Redis`)
      }, () => {})
    }, RENEW_EVERY_MS)
    // the run's controls, read until every worker is done
    let controlId = '0'
    while (!tasksState.settled) {
      let entries: Array<[string, string[]]> = []
      try {
        entries = streamEntries(await reader.call('XREAD', 'COUNT', 100, 'BLOCK', POLL_MS, 'STREAMS', keys.control(run), controlId))
      }
      catch {
        await Promise.race([
          sleep(POLL_MS),
          allSettled,
        ])
      }
      for (const [id, fields] of entries) {
        controlId = id
        const control = decode<RunControl>(fields[1]!)
        if (control.t === 'start') {
          const message = toWorkerControl(control, clock)
          channels.forEach(channel => channel.port1.postMessage(message))
          const startInMs = Math.max(0, control.startAtBrokerMs - clock.offsetMs - epochNowMs())
          maxDuration = setTimeout(() => stopAll(`the run's time (${Math.round(assign.maxDurationMs / 1000)} s) is up`), startInMs + assign.maxDurationMs)
        }
        else {
          stopReason ??= 'the coordinator stopped the run'
          channels.forEach(channel => channel.port1.postMessage(toWorkerControl(control, clock)))
        }
      }
      if (stopReason !== undefined && !windDown) {
        // workers stuck in user code cannot keep the agent: their threads end after the grace
        windDown = setTimeout(() => void pool.destroy().catch(() => {}), STOP_GRACE_MS)
      }
    }
    log(stopReason === undefined
      ? 'done'
      : `ended (${stopReason})`)
    return failed
  }
  finally {
    clearTimeout(maxDuration)
    clearTimeout(windDown)
    clearInterval(watchdog)
    for (const channel of channels)
      channel.port1.close()
    await pool.destroy().catch(() => {})
  }
}

/** Whether `origin` is one of `allowed`: an origin, a host name, or `loopback`. */
export function isTargetAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL
  try {
    url = new URL(origin)
  }
  catch {
    return false
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return allowed.some((entry) => {
    if (entry === 'loopback')
      return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
    if (entry.includes('://')) {
      try {
        return new URL(entry).origin === url.origin
      }
      catch {
        return false
      }
    }
    return entry.toLowerCase() === host.toLowerCase()
  })
}

/**
 * The scenario module a run names, found inside `root` and checked against its hash: only data
 * crosses the wire, and an agent runs only the code it already has.
 */
export async function resolveScenario(ref: ScenarioRef, root: string): Promise<{ url: string, file: string }> {
  if (isAbsolute(ref.path))
    throw new Error(`the scenario path ${ref.path} must be relative to the project root`)
  const realRoot = await realpath(root)
  let file: string
  try {
    file = await realpath(resolve(realRoot, ref.path))
  }
  catch {
    throw new Error(`the scenario module ${ref.path} is not under this agent's --root ${realRoot}: run the agent from the same checkout or image as the tests`)
  }
  const inside = relative(realRoot, file)
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
    throw new Error(`the scenario module ${ref.path} resolves outside this agent's --root ${realRoot}`)
  const sha256 = await fileSha256(file)
  if (sha256 !== ref.sha256)
    throw new Error(`the scenario module ${ref.path} differs from the coordinator's (sha256 ${sha256.slice(0, 12)}… here, ${ref.sha256.slice(0, 12)}… there): run the agent from the same commit as the tests`)
  return { url: pathToFileURL(file).href, file }
}

async function sleep(ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}
