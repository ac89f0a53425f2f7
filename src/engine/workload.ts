import type { VirtualUser } from '../http/virtual-user.js'
import type { EndpointSnapshot, IntervalSnapshot } from '../metrics/snapshot.js'
import type { WorkerShare } from '../plan/plan.js'
import type { ScenarioSpec } from '../spec/spec.js'
import { prepareRequest } from '../http/request.js'
import { HttpUser } from '../http/user.js'
import { EndpointRecorder } from '../metrics/recorder.js'
import { loadScenario } from '../scenario/load.js'
import { EndpointRecorders } from '../scenario/recorders.js'
import { SecretLearner } from '../scenario/secret-learner.js'
import { ScenarioUser } from '../scenario/user.js'

/** What a worker runs: its users, and where their measurements are read from. */
export interface Workload {
  users: readonly VirtualUser[]
  /** What every endpoint recorded since the last call: one interval's snapshots. */
  takeSnapshots: () => EndpointSnapshot[]
  /** A scenario's checks and custom metrics since the last call; none for a declarative request. */
  takeCustomSnapshots?: () => Pick<IntervalSnapshot, 'checks' | 'metrics'>
  /** After the executor is done: open-model scenario users that started run `onStop`. */
  finish: () => Promise<void>
}

/** One declarative request: one recorder, one `HttpUser` (one connection) per owned user. */
export function createRequestWorkload(share: WorkerShare): Workload {
  const { spec } = share
  const recorder = new EndpointRecorder(spec.request.name, { serviceTime: spec.load.kind === 'open' })
  const prepared = prepareRequest(spec.request)
  return {
    users: share.userIndices.map(index => new HttpUser(index, prepared, recorder)),
    takeSnapshots: () => [
      recorder.takeSnapshot(),
    ],
    finish: async () => {},
  }
}

/**
 * A scenario module, imported and checked here (throws `ScenarioLoadError`), then one
 * `ScenarioUser` per owned user, recording into one recorder per endpoint name, made on first use.
 * `coverTimeout` is told of each `ctx.http` call's timeout (the worker's sweep ends late requests);
 * `sendSecrets` gets each secret value the users' `ctx.http` sends, once, as it is first sent.
 */
export async function createScenarioWorkload(share: WorkerShare, scenarioSpec: ScenarioSpec, coverTimeout: (timeoutMs: number) => void, sendSecrets: (values: string[]) => void = () => {}): Promise<Workload> {
  const scenario = await loadScenario(scenarioSpec)
  // in the open model latency runs from the arrival's intended time, service time from the send
  const recorders = new EndpointRecorders({ serviceTime: share.spec.load.kind === 'open' })
  const learner = new SecretLearner(share.spec.request.secrets ?? [], sendSecrets)
  // global iteration k of user u is k × users + u: unique across workers without coordination
  const users = share.userIndices.map(index => new ScenarioUser(index, share.workerIndex, scenario, share.spec.request, recorders, { iterationStride: share.spec.load.users, learner, coverTimeout }))
  return {
    users,
    takeSnapshots: () => recorders.takeSnapshots(),
    takeCustomSnapshots: () => recorders.custom.takeSnapshot(),
    finish: async () => {
      await Promise.all(users.map(user => user.finish()))
    },
  }
}
