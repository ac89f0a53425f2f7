import type { MessagePort } from 'node:worker_threads'
import type { IntervalSnapshot } from '../metrics/snapshot.js'
import type { WorkerShare } from '../plan/plan.js'

/** The one long task each Piscina worker runs: its share, and a port to stream snapshots back. */
export interface WorkerTask {
  share: WorkerShare
  port: MessagePort
}

/** From the test thread to a worker. `stop` ends the run early and aborts requests in flight. */
export type ControlMessage
  = | { type: 'start', startAtEpochMs: number }
    | { type: 'stop' }

/** From a worker to the test thread. */
export type WorkerMessage
  = | { type: 'ready' }
    | { type: 'interval', snapshot: IntervalSnapshot }

/** What a worker's task resolves to once its share is done. */
export interface WorkerOutcome {
  /** Snapshots posted on the port: the test thread waits until it has them all. */
  intervalsSent: number
  finishedAtEpochMs: number
}
