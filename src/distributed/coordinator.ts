import type { Fleet } from '../engine/fleet.js'
import type { ControlMessage, WorkerMessage, WorkerOutcome } from '../engine/messages.js'
import type { AgentResult } from '../metrics/summary.js'
import type { WorkerShare } from '../plan/plan.js'
import type { LoadTestSpec } from '../spec/spec.js'
import type { Broker, BrokerAddress } from './broker.js'
import type { AgentInfo, AgentReport, AssignMessage, ClockReading, RunControl, ScenarioRef } from './protocol.js'
import { randomUUID } from 'node:crypto'
import { relative, sep } from 'node:path'
import { runDeadlineMs } from '../engine/controller.js'
import { AgentLostError, DistributedRunError, InvalidOptionsError } from '../errors.js'
import { PACKAGE_VERSION } from '../package-version.js'
import { connectBroker, epochNowMs, readBrokerClock, redactBrokerUrl, streamEntries } from './broker.js'
import { decode, encode, fileSha256, keysOf, LEASE_MS, PROTOCOL_VERSION } from './protocol.js'

/** Where a distributed run finds its agents, and how many it waits for. */
export interface DistributedSettings extends BrokerAddress {
  /** Keeps runs that share one Redis apart: a team, an environment, a CI run id. */
  namespace: string
  /** Agents the run needs: it waits for this many to be free, then claims them. */
  agents: number
  /** The most the run waits for its agents before it fails, sending no load. */
  startTimeoutMs: number
}

/** How long a claim on an agent lives without renewal: long enough for a slow start, short enough to free a crashed coordinator's agents. */
const CLAIM_MS = 10_000
/** How often the coordinator looks for free agents while it waits, and checks their leases during the run. */
const POLL_MS = 250
/** Run streams stay this long after the run, to debug it, then expire. */
const RUN_KEYS_TTL_MS = 10 * 60_000
/** A worker's last snapshots may trail its `done` on the stream this long before the run fails as unmergeable. */
const SNAPSHOT_GRACE_MS = 5000
/** The most an agent's clock may be uncertain against Redis' (half its best round trip): beyond, it is refused. */
const CLOCK_TOLERANCE_MS = 50
/** The common start is this far after the last ready. */
const START_MARGIN_MS = 250

/** One agent of the run: who it is, the global workers it runs, and what it has said. */
interface ClaimedAgent {
  info: AgentInfo
  workers: number[]
  clock?: ClockReading
  /** Requests its workers finished, from their snapshots. */
  requests: number
  /** Why it was lost (its lease ran out, it refused, a worker failed); its workers' tasks are then settled. */
  lost: string | null
  /** Gone for good (lease ran out, refused the run): what it still sends is not counted. */
  gone: boolean
}

/** A task's settling functions, called on what the agent sends. */
interface PendingTask {
  resolve: (outcome: WorkerOutcome) => void
  reject: (error: Error) => void
  settled: boolean
}

/**
 * Claims `settings.agents` free agents through Redis and returns them as the run's fleet: the
 * coordinator side of DISTRIBUTED.md 4.3. Fails with `DistributedRunError`, sending no load, when
 * Redis cannot be reached or too few agents are free within the start timeout.
 */
export async function openRemoteFleet(spec: LoadTestSpec, settings: DistributedSettings, signal?: AbortSignal, root = process.cwd()): Promise<Fleet> {
  const keys = keysOf(settings.namespace)
  const run = randomUUID()
  const broker = await connectBroker(settings, 'coordinator')
  let reader: Broker | undefined
  const claimed: AgentInfo[] = []
  try {
    const scenario = spec.scenario && await scenarioRef(spec.scenario.file, root)
    await claimAgents(broker, keys, run, settings, spec, claimed, signal)
    const clock = await readBrokerClock(broker)
    reader = await connectBroker(settings, 'coordinator-reader')
    return new RemoteFleet(spec, settings, run, broker, reader, clock, claimed, scenario ?? null)
  }
  catch (error) {
    await Promise.allSettled(claimed.map(agent => broker.call('DEL', keys.claim(agent.id))))
    broker.disconnect()
    reader?.disconnect()
    throw error
  }
}

/** Waits for enough free agents of this version and claims them, ordered by `--index`, then name. */
async function claimAgents(broker: Broker, keys: ReturnType<typeof keysOf>, run: string, settings: DistributedSettings, spec: LoadTestSpec, claimed: AgentInfo[], signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + settings.startTimeoutMs
  let seen = new Map<string, string>()
  while (claimed.length < settings.agents) {
    if (signal?.aborted)
      throw new DistributedRunError(`Load test "${spec.name}" was aborted while it waited for its agents. No load was sent.`)
    seen = new Map()
    for (const info of await liveAgents(broker, keys)) {
      if (claimed.some(agent => agent.id === info.id))
        continue
      if (info.protocol !== PROTOCOL_VERSION || info.toolVersion !== PACKAGE_VERSION) {
        seen.set(info.name, `runs vitest-load ${info.toolVersion} (protocol ${info.protocol}), this is ${PACKAGE_VERSION} (protocol ${PROTOCOL_VERSION})`)
        continue
      }
      if (claimed.length < settings.agents && await broker.call('SET', keys.claim(info.id), run, 'PX', CLAIM_MS, 'NX') === 'OK')
        claimed.push(info)
      else
        seen.set(info.name, 'busy with another run')
    }
    if (claimed.length >= settings.agents)
      break
    if (Date.now() >= deadline) {
      const joined = claimed.length > 0
        ? `: ${claimed.map(agent => agent.name).sort().join(', ')}`
        : ''
      const others = seen.size > 0
        ? `; not usable: ${[...seen].map(([name, why]) => `${name} (${why})`).join(', ')}`
        : ''
      throw new DistributedRunError(`Load test "${spec.name}" needs ${settings.agents} agents in namespace "${settings.namespace}" of ${redactBrokerUrl(settings.url)}; `
        + `${claimed.length} joined within ${settings.startTimeoutMs / 1000} s${joined}${others}. `
        + `Start more with: npx vitest-load agent --redis <url> --namespace ${settings.namespace}, or lower the agents wanted. No load was sent.`)
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  claimed.sort((a, b) => (a.index ?? Number.POSITIVE_INFINITY) - (b.index ?? Number.POSITIVE_INFINITY) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
  const users = spec.load.users
  if (users < claimed.length) {
    throw new InvalidOptionsError(spec.name, [`${spec.load.kind === 'open'
      ? 'load.maxUsers'
      : 'load.users'}: ${users} is fewer than the ${claimed.length} agents of this distributed run; every agent needs at least one user. `
      + `Use ${claimed.length} users or more, or fewer agents (VITEST_LOAD_AGENTS), or run it locally with distributed: false`])
  }
}

/** The agents whose lease is alive now. */
async function liveAgents(broker: Broker, keys: ReturnType<typeof keysOf>): Promise<AgentInfo[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await broker.call('SCAN', cursor, 'MATCH', keys.leasePattern, 'COUNT', 1000) as [string, string[]]
    found.push(...batch)
    cursor = next
  } while (cursor !== '0')
  const agents: AgentInfo[] = []
  for (const key of found) {
    const value = await broker.call('GET', key)
    // a key of the namespace that is not an agent's lease (another tool, a hand-made key) is no agent
    try {
      const info = typeof value === 'string'
        ? decode<Partial<AgentInfo>>(value)
        : undefined
      if (typeof info?.id === 'string' && typeof info.name === 'string' && typeof info.workers === 'number')
        agents.push(info as AgentInfo)
    }
    catch {}
  }
  return agents
}

/**
 * The agents' workers get global indices round-robin across agents (agent 0's first worker, agent
 * 1's first, …), so that with the striped rule each agent's arrivals and users interleave with
 * the others' as the workers' do. No agent gets more workers than users can fill.
 */
export function assignWorkers(agentWorkers: readonly number[], users: number): number[][] {
  const counts = [...agentWorkers]
  let total = counts.reduce((sum, count) => sum + count, 0)
  while (total > users) {
    const most = counts.lastIndexOf(Math.max(...counts))
    if (counts[most]! <= 1)
      break
    counts[most]!--
    total--
  }
  const workers: number[][] = counts.map(() => [])
  let next = 0
  for (let round = 0; round < Math.max(...counts); round++) {
    counts.forEach((count, agent) => {
      if (round < count)
        workers[agent]!.push(next++)
    })
  }
  return workers
}

async function scenarioRef(file: string, root: string): Promise<ScenarioRef> {
  const path = relative(root, file)
  if (path.startsWith('..'))
    throw new DistributedRunError(`The scenario module ${file} is outside the project root ${root}: agents resolve scenarios inside their own --root, so it must be under it.`)
  return {
    path: path.split(sep).join('/'),
    sha256: await fileSha256(file),
  }
}

class RemoteFleet implements Fleet {
  readonly workers: number
  readonly startMarginMs: number
  readonly #agents: ClaimedAgent[]
  readonly #keys: ReturnType<typeof keysOf>
  readonly #tasks = new Map<number, PendingTask>()
  /** Snapshots relayed so far, by worker. */
  readonly #intervals = new Map<number, number>()
  /** Workers that said they are done, waiting for their last snapshots. */
  readonly #finishing = new Map<number, { outcome: WorkerOutcome, missing: ReturnType<typeof setTimeout> }>()
  #onMessage: (workerIndex: number, message: WorkerMessage) => void = () => {}
  #renewTimer: ReturnType<typeof setInterval> | undefined
  #lastRenewedAt = Date.now()
  #reading = false
  #telemetryId = '0'
  #closed = false

  constructor(
    private readonly spec: LoadTestSpec,
    private readonly settings: DistributedSettings,
    private readonly runId: string,
    private readonly broker: Broker,
    private readonly reader: Broker,
    private readonly clock: ClockReading,
    agents: readonly AgentInfo[],
    private readonly scenario: ScenarioRef | null,
  ) {
    this.#keys = keysOf(settings.namespace)
    const workers = assignWorkers(agents.map(agent => agent.workers), spec.load.users)
    this.#agents = agents.map((info, index) => ({
      info,
      workers: workers[index]!,
      requests: 0,
      lost: null,
      gone: false,
    }))
    this.workers = workers.reduce((sum, list) => sum + list.length, 0)
    this.startMarginMs = START_MARGIN_MS
  }

  run(shares: readonly WorkerShare[], onMessage: (workerIndex: number, message: WorkerMessage) => void): Array<Promise<WorkerOutcome>> {
    this.#onMessage = onMessage
    const tasks = shares.map((_, workerIndex) => {
      let resolve!: (outcome: WorkerOutcome) => void
      let reject!: (error: Error) => void
      const promise = new Promise<WorkerOutcome>((res, rej) => {
        resolve = res
        reject = rej
      })
      const task: PendingTask = {
        resolve,
        reject,
        settled: false,
      }
      this.#tasks.set(workerIndex, task)
      return promise
    })
    void this.#start(shares)
    return tasks
  }

  async #start(shares: readonly WorkerShare[]): Promise<void> {
    try {
      await this.#renew()
      this.#renewTimer = setInterval(() => void this.#renew().then(() => this.#checkLeases()), POLL_MS)
      this.#reading = true
      void this.#readTelemetry()
      const maxDurationMs = maxDurationOf(this.spec)
      await Promise.all(this.#agents.map((agent, agentIndex) => this.broker.call('XADD', this.#keys.inbox(agent.info.id), 'MAXLEN', '~', 100, '*', 'm', encode({
        t: 'assign',
        v: PROTOCOL_VERSION,
        run: this.runId,
        toolVersion: PACKAGE_VERSION,
        agentIndex,
        agentCount: this.#agents.length,
        shares: agent.workers.map(worker => shares[worker]!),
        scenario: this.scenario,
        maxDurationMs,
      } satisfies AssignMessage))))
    }
    catch (error) {
      this.#failAll(this.#brokerError(error))
    }
  }

  broadcast(message: ControlMessage): void {
    const control: RunControl = message.type === 'start'
      ? { t: 'start', startAtBrokerMs: message.startAtEpochMs - Date.now() + epochNowMs() + this.clock.offsetMs }
      : { t: 'stop', graceful: message.graceful === true }
    this.broker.call('XADD', this.#keys.control(this.runId), '*', 'm', encode(control))
      .catch((error: unknown) => this.#failAll(this.#brokerError(error)))
  }

  agents(): AgentResult[] {
    return this.#agents.map(agent => ({
      name: agent.info.name,
      host: agent.info.host,
      pid: agent.info.pid,
      index: agent.info.index,
      workers: [...agent.workers],
      share: agent.workers.length / this.workers,
      requests: agent.requests,
      clockOffsetMs: agent.clock?.offsetMs ?? null,
      clockUncertaintyMs: agent.clock?.uncertaintyMs ?? null,
      lost: agent.lost,
    }))
  }

  async close(): Promise<void> {
    if (this.#closed)
      return
    this.#closed = true
    this.#reading = false
    clearInterval(this.#renewTimer)
    for (const { missing } of this.#finishing.values())
      clearTimeout(missing)
    // agents still running (a failure, an abort) stop now; those done are not told anything
    const running = [
      ...this.#tasks.values(),
    ].some(task => !task.settled)
    const stop = encode({ t: 'stop', graceful: false } satisfies RunControl)
    await Promise.allSettled([
      running && this.broker.call('XADD', this.#keys.control(this.runId), '*', 'm', stop),
      ...this.#agents.map(agent => this.broker.call('DEL', this.#keys.claim(agent.info.id))),
      this.broker.call('DEL', this.#keys.coordinator(this.runId)),
      this.broker.call('PEXPIRE', this.#keys.control(this.runId), RUN_KEYS_TTL_MS),
      this.broker.call('PEXPIRE', this.#keys.telemetry(this.runId), RUN_KEYS_TTL_MS),
    ])
    this.#failAll(new AgentLostError(`The distributed run of "${this.spec.name}" was closed before its agents finished.`))
    this.reader.disconnect()
    await this.broker.quit().catch(() => this.broker.disconnect())
  }

  /** The coordinator's lease (agents stop without it) and the claims on its agents. */
  async #renew(): Promise<void> {
    try {
      await Promise.all([
        this.broker.call('SET', this.#keys.coordinator(this.runId), '1', 'PX', LEASE_MS),
        ...this.#agents.map(agent => this.broker.call('PEXPIRE', this.#keys.claim(agent.info.id), CLAIM_MS)),
      ])
      this.#lastRenewedAt = Date.now()
    }
    catch (error) {
      if (Date.now() - this.#lastRenewedAt > LEASE_MS)
        this.#failAll(this.#brokerError(error))
    }
  }

  /** An agent whose lease ran out is gone (killed, frozen, cut off): its workers' tasks fail, naming it. */
  async #checkLeases(): Promise<void> {
    const watched = this.#agents.filter(agent => !agent.gone && agent.workers.some(worker => !this.#tasks.get(worker)?.settled))
    if (watched.length === 0 || this.#closed)
      return
    let alive: unknown[]
    try {
      alive = await Promise.all(watched.map(agent => this.broker.call('EXISTS', this.#keys.lease(agent.info.id))))
    }
    catch {
      return
    }
    watched.forEach((agent, index) => {
      if (alive[index] === 0)
        this.#loseAgent(agent, `stopped renewing its lease for ${LEASE_MS / 1000} s: it was killed, frozen, or cut off from Redis`)
    })
  }

  #loseAgent(agent: ClaimedAgent, why: string): void {
    if (agent.gone || this.#closed)
      return
    agent.gone = true
    agent.lost = why
    const error = new AgentLostError(`Agent "${agent.info.name}" ${this.#describeShare(agent)} ${why}. The run is invalid: that share of the load was not sent from then on.`)
    for (const worker of agent.workers)
      this.#settle(worker, task => task.reject(error))
  }

  #describeShare(agent: ClaimedAgent): string {
    const index = this.#agents.indexOf(agent)
    const share = Math.round((agent.workers.length / this.workers) * 100)
    return `(agent ${index + 1} of ${this.#agents.length}, on ${agent.info.host}, pid ${agent.info.pid}: ${agent.workers.length} of ${this.workers} workers, ${share} % of the load)`
  }

  async #readTelemetry(): Promise<void> {
    const key = this.#keys.telemetry(this.runId)
    while (this.#reading) {
      let entries: Array<[string, string[]]>
      try {
        entries = streamEntries(await this.reader.call('XREAD', 'COUNT', 1000, 'BLOCK', POLL_MS, 'STREAMS', key, this.#telemetryId))
      }
      catch (error) {
        if (this.#reading && Date.now() - this.#lastRenewedAt > LEASE_MS)
          this.#failAll(this.#brokerError(error))
        await new Promise(resolve => setTimeout(resolve, POLL_MS))
        continue
      }
      for (const [id, fields] of entries) {
        this.#telemetryId = id
        this.#receive(decode<AgentReport>(fields[1]!))
      }
    }
  }

  #receive(report: AgentReport): void {
    const agent = this.#agents.find(candidate => candidate.info.id === report.from)
    if (!agent || agent.gone)
      return
    switch (report.t) {
      case 'prepared':
        agent.clock = report.clock
        // second k must be the same second everywhere: an agent whose clock is that uncertain is refused
        if (report.clock.uncertaintyMs > CLOCK_TOLERANCE_MS)
          this.#loseAgent(agent, `could not take part: its clock against Redis' is uncertain by ± ${report.clock.uncertaintyMs.toFixed(1)} ms (half its best round trip to Redis), more than ${CLOCK_TOLERANCE_MS} ms: put it nearer to Redis`)
        break
      case 'worker':
        if (report.message.type === 'interval') {
          agent.requests += report.message.snapshot.endpoints.reduce((sum, endpoint) => sum + endpoint.counters.requests, 0)
          this.#intervals.set(report.worker, (this.#intervals.get(report.worker) ?? 0) + 1)
        }
        this.#onMessage(report.worker, report.message)
        this.#finishIfComplete(report.worker)
        break
      case 'done': {
        // the agent's finish, on this process's clock; complete once every snapshot it counts is here
        const outcome = {
          intervalsSent: report.intervalsSent,
          finishedAtEpochMs: report.finishedAtBrokerMs - this.clock.offsetMs,
        }
        const missing = setTimeout(() => this.#settle(report.worker, task => task.reject(new DistributedRunError(
          `Worker ${report.worker} on agent "${agent.info.name}" sent ${outcome.intervalsSent} snapshots, and ${this.#intervals.get(report.worker) ?? 0} came through Redis within ${SNAPSHOT_GRACE_MS / 1000} s of its end: the run cannot be merged exactly.`,
        ))), SNAPSHOT_GRACE_MS)
        this.#finishing.set(report.worker, { outcome, missing })
        this.#finishIfComplete(report.worker)
        break
      }
      case 'failed':
        if (report.worker === null) {
          this.#loseAgent(agent, `could not take part: ${report.message}`)
        }
        else {
          // its other workers go on, and report as they end; the run fails on this one
          agent.lost ??= `worker ${report.worker} failed: ${report.message}`
          this.#settle(report.worker, task => task.reject(new AgentLostError(`Worker ${report.worker} on agent "${agent.info.name}" ${this.#describeShare(agent)} failed: ${report.message}`)))
        }
        break
    }
  }

  /** A worker whose `done` came: settled once all its snapshots are in, or failed after a grace. */
  #finishIfComplete(worker: number): void {
    const finishing = this.#finishing.get(worker)
    if (!finishing || (this.#intervals.get(worker) ?? 0) < finishing.outcome.intervalsSent)
      return
    clearTimeout(finishing.missing)
    this.#finishing.delete(worker)
    this.#settle(worker, task => task.resolve(finishing.outcome))
  }

  #settle(worker: number, settle: (task: PendingTask) => void): void {
    const task = this.#tasks.get(worker)
    if (!task || task.settled)
      return
    task.settled = true
    settle(task)
  }

  #failAll(error: Error): void {
    for (const worker of this.#tasks.keys())
      this.#settle(worker, task => task.reject(error))
  }

  #brokerError(error: unknown): DistributedRunError {
    return new DistributedRunError(`The distributed run of "${this.spec.name}" lost Redis at ${redactBrokerUrl(this.settings.url)}: ${(error as Error)?.message ?? String(error)}. Its agents stop their load within ${LEASE_MS / 1000} s.`, { cause: error })
  }
}

/** How long an agent lets its share run before it stops it by itself: the run's own deadline, and a margin. */
function maxDurationOf(spec: LoadTestSpec): number {
  return runDeadlineMs(spec) + 10_000
}
