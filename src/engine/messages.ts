import type { MessagePort } from 'node:worker_threads'
import type { IntervalSnapshot } from '../metrics/snapshot.js'
import type { WorkerShare } from '../plan/plan.js'
import type { ScenarioErrorMessage } from './scenario-error.js'

/** The one long task each Piscina worker runs: its share, and a port to stream snapshots back. */
export interface WorkerTask {
  share: WorkerShare
  port: MessagePort
}

/** From the test thread to a worker. `stop` ends the run early and aborts requests in flight. */
export type ControlMessage
  = | { type: 'start', startAtEpochMs: number }
    /** `graceful`: send nothing new and let requests in flight end; otherwise cancel them too. */
    | { type: 'stop', graceful?: boolean }

/** From a worker to the test thread. */
export type WorkerMessage
  = | { type: 'ready' }
    | { type: 'interval', snapshot: IntervalSnapshot }
    /** Secret values a scenario's `ctx.http` sent for the first time: scrubbed from every text of the run. */
    | { type: 'secrets', values: string[] }
    /** The scenario module did not load: sent instead of `ready`, and the worker ends. */
    | ScenarioErrorMessage

/** What a worker's task resolves to once its share is done. */
export interface WorkerOutcome {
  /** Snapshots posted on the port: the test thread waits until it has them all. */
  intervalsSent: number
  finishedAtEpochMs: number
}
