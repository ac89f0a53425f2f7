import type { ControlMessage, WorkerMessage } from '../engine/messages.js'
import type { WorkerShare } from '../plan/plan.js'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'

/**
 * The messages of a distributed run, as they cross Redis: data only, never code (DISTRIBUTED.md
 * 4.2, 4.8). JSON, with the numbers JSON cannot hold (`Infinity`) kept. A change of meaning
 * changes `PROTOCOL_VERSION`, and both sides refuse a peer of another version.
 */
export const PROTOCOL_VERSION = 1

/** What an agent says of itself in its lease, for the coordinator to choose and name it. */
export interface AgentInfo {
  /** Unique per agent process: `<name>-<random>`. */
  id: string
  /** `--name`, or the host name and process id. */
  name: string
  /** `--index` (a Job's completion index, a matrix index): agents are ordered by it, then by name. */
  index: number | null
  /** Worker threads this agent runs a run's load on (`--workers`). */
  workers: number
  host: string
  pid: number
  toolVersion: string
  protocol: number
}

/** A scenario module the agent must already have: its path under the project root, and its hash. */
export interface ScenarioRef {
  /** Relative to the root, with `/`, e.g. `test/scenarios/checkout.scenario.ts`. */
  path: string
  sha256: string
}

/** A scenario module's sha256, as the coordinator sends it and the agent checks it. */
export async function fileSha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex')
}

/** Coordinator → one agent, on its inbox: take part in run `run` with these workers' shares. */
export interface AssignMessage {
  t: 'assign'
  v: number
  run: string
  toolVersion: string
  /** This agent's place among the run's agents, from 0. */
  agentIndex: number
  agentCount: number
  /** One share per worker thread of this agent; their `workerIndex` is global across agents. */
  shares: WorkerShare[]
  scenario: ScenarioRef | null
  /** The agent stops its load by itself this long after the start, whatever it hears. */
  maxDurationMs: number
}

/** Coordinator → every agent of a run, on the run's control stream. */
export type RunControl
  = | { t: 'start', startAtBrokerMs: number }
    | { t: 'stop', graceful: boolean }

/** Agent → coordinator, on the run's telemetry stream. */
export type AgentReport
  = | { t: 'prepared', from: string, clock: ClockReading }
    | { t: 'worker', from: string, worker: number, message: WorkerMessage }
    | { t: 'done', from: string, worker: number, intervalsSent: number, finishedAtBrokerMs: number }
    /** A worker failed (`worker` set) or the agent refused or could not prepare the run. */
    | { t: 'failed', from: string, worker: number | null, message: string }

/** An agent's estimate of Redis' clock: `broker time ≈ local epoch ms + offsetMs`, within ± `uncertaintyMs`. */
export interface ClockReading {
  offsetMs: number
  uncertaintyMs: number
}

/** The control message a worker gets for a run control, its start time moved onto the agent's clock. */
export function toWorkerControl(control: RunControl, clock: ClockReading): ControlMessage {
  return control.t === 'start'
    ? { type: 'start', startAtEpochMs: control.startAtBrokerMs - clock.offsetMs }
    : { type: 'stop', graceful: control.graceful }
}

const NON_FINITE = '$vl:number'

/** JSON of a message, with `Infinity`, `-Infinity` and `NaN` kept (JSON would make them `null`). */
export function encode(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => typeof value === 'number' && !Number.isFinite(value)
    ? {
        [NON_FINITE]: String(value),
      }
    : value)
}

/** The message `encode` wrote. */
export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && NON_FINITE in value)
      return Number((value as Record<string, string>)[NON_FINITE])
    return value
  }) as T
}

/** The Redis keys of one namespace. Keys of one run share the hash tag `{run}`, for Redis Cluster. */
export function keysOf(namespace: string): {
  lease: (agentId: string) => string
  leasePattern: string
  claim: (agentId: string) => string
  inbox: (agentId: string) => string
  control: (run: string) => string
  telemetry: (run: string) => string
  coordinator: (run: string) => string
} {
  const base = `vl:${namespace}`
  return {
    lease: agentId => `${base}:lease:${agentId}`,
    leasePattern: `${base}:lease:*`,
    claim: agentId => `${base}:claim:${agentId}`,
    inbox: agentId => `${base}:inbox:${agentId}`,
    control: run => `${base}:run:{${run}}:ctl`,
    telemetry: run => `${base}:run:{${run}}:tel`,
    coordinator: run => `${base}:run:{${run}}:coord`,
  }
}

/** How long a lease lives without renewal, and how often it is renewed. */
export const LEASE_MS = 2000
export const RENEW_EVERY_MS = 500
