import type { AgentResult } from '../metrics/summary.js'
import type { WorkerShare } from '../plan/plan.js'
import type { ControlMessage, WorkerMessage, WorkerOutcome } from './messages.js'

/**
 * Where a run's workers are: the threads of a local Piscina pool, or the pools of agents reached
 * through Redis (src/distributed). The controller plans one share per worker, starts them, talks to
 * them with the same messages and merges what they send, whichever it is.
 */
export interface Fleet {
  /** How many workers run the load: the controller plans one share for each. */
  readonly workers: number
  /** Between the last worker ready and the common start: long enough for the start to reach every worker. */
  readonly startMarginMs: number
  /**
   * Starts one task per share. Messages of worker `i` come to `onMessage(i, …)`; each task's
   * promise resolves when its share is done, or rejects with the worker's failure.
   */
  run: (shares: readonly WorkerShare[], onMessage: (workerIndex: number, message: WorkerMessage) => void) => Array<Promise<WorkerOutcome>>
  /** Sends every worker the same message; a start's time is this process's epoch milliseconds. */
  broadcast: (message: ControlMessage) => void
  /** A distributed run's agents, as they stand: absent for a local pool. */
  agents?: () => AgentResult[]
  /** Ends every task, connection and thread; the fleet is not used again. */
  close: () => Promise<void>
}
