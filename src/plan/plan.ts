import type { LoadTestSpec } from '../spec/spec.js'
import { createStripe } from './split.js'

/** One worker's part of a load test: fixed before the worker starts. */
export interface WorkerShare {
  workerIndex: number
  workerCount: number
  spec: LoadTestSpec
  /** Global indices of the virtual users this worker runs, e.g. [1, 4, 7] of 10 users over 3 workers. */
  userIndices: number[]
}

/** Splits a validated spec into one share per worker, by the striped rule (equal weights). */
export function planShares(spec: LoadTestSpec): WorkerShare[] {
  const stripe = createStripe(Array.from<number>({ length: spec.workers }).fill(1))
  return Array.from({ length: spec.workers }, (_, workerIndex) => ({
    workerIndex,
    workerCount: spec.workers,
    spec,
    userIndices: stripe.indicesOf(spec.load.users, workerIndex),
  }))
}

/** The longest the run may take, from start to the last response, before it is stopped. */
export function plannedDurationMs(spec: LoadTestSpec): number {
  return spec.load.durationMs ?? spec.load.maxDurationMs
}
