import type { VirtualUser } from '../http/virtual-user.js'
import type { Executor } from './executors/types.js'
import type { ControlMessage, WorkerMessage, WorkerOutcome, WorkerTask } from './messages.js'
import type { Workload } from './workload.js'
import { performance } from 'node:perf_hooks'
import { ScenarioLoadError } from '../errors.js'
import { TimeoutSweep } from '../http/timeout-sweep.js'
import { createClosedExecutor } from './executors/closed.js'
import { createOpenExecutor } from './executors/open.js'
import { createRampingUsersExecutor } from './executors/ramping-users.js'
import { LoopMonitor } from './loop-monitor.js'
import { toScenarioErrorMessage } from './scenario-error.js'
import { createRequestWorkload, createScenarioWorkload } from './workload.js'

const INTERVAL_MS = 1000

/**
 * Piscina entry: runs one worker's share of a load test. Runs outside Vitest, so it imports
 * nothing from it. Steps:
 * 1. build the request and one user (one connection) per owned global user index, or import the
 *    scenario module (a module that does not load is reported instead of `ready`);
 * 2. report ready, then wait for the common start time;
 * 3. run the executor, posting a snapshot at every whole second after the start;
 * 4. post the last, partial interval, close every connection and the port.
 */
export default async function runShare({ share, port }: WorkerTask): Promise<WorkerOutcome> {
  const { spec } = share
  let workload: Workload | undefined
  // one timer ends the requests past their timeout, whichever way they were sent
  const sweep = new TimeoutSweep(spec.request.timeoutMs, (nowMs) => {
    for (const user of workload?.users ?? [])
      user.expireIfLate(nowMs)
  }, () => performance.now())
  try {
    workload = spec.scenario
      // each secret value goes to the test thread as it is first sent, before any text that may hold it
      ? await createScenarioWorkload(share, spec.scenario, sweep.cover, values => port.postMessage({ type: 'secrets', values } satisfies WorkerMessage))
      : createRequestWorkload(share)
  }
  catch (error) {
    if (!(error instanceof ScenarioLoadError))
      throw error
    // posted as data, since an error crossing threads loses its class; no load was sent
    port.postMessage(toScenarioErrorMessage(error) satisfies WorkerMessage)
    port.close()
    return {
      intervalsSent: 0,
      finishedAtEpochMs: Date.now(),
    }
  }
  const loaded = workload
  const { users } = loaded
  const executor = createExecutor(share, users)
  const loop = new LoopMonitor()
  let droppedReported = 0
  let tickTimer: ReturnType<typeof setTimeout> | undefined
  let intervalsSent = 0
  let stopRequested = false

  const post = (message: WorkerMessage): void => port.postMessage(message)
  const sendInterval = (): void => {
    post({
      type: 'interval',
      snapshot: {
        workerIndex: share.workerIndex,
        interval: intervalsSent,
        activeUsers: executor.activeUsers(),
        droppedArrivals: executor.droppedArrivals() - droppedReported,
        loop: {
          ...loop.take(),
          schedule: executor.takeSchedule?.(),
        },
        endpoints: loaded.takeSnapshots(),
        ...loaded.takeCustomSnapshots?.(),
      },
    })
    intervalsSent++
    droppedReported = executor.droppedArrivals()
  }
  const stop = (graceful: boolean): void => {
    stopRequested = true
    executor.stop()
    // a user in a connect back-off stops now rather than at the end of its wait
    for (const user of users)
      user.stopWaiting()
    if (graceful)
      return
    const reason = new Error('run stopped early')
    for (const user of users)
      user.abortInFlight(reason)
  }

  try {
    // 2. ready, then wait for `start` (or an early `stop`)
    const startAtEpochMs = await new Promise<number | null>((resolve) => {
      port.on('message', (message: ControlMessage) => {
        if (message.type === 'start') {
          resolve(message.startAtEpochMs)
        }
        else if (message.type === 'stop') {
          stop(message.graceful === true)
          resolve(null)
        }
      })
      post({ type: 'ready' })
    })
    if (startAtEpochMs === null || stopRequested) {
      return {
        intervalsSent,
        finishedAtEpochMs: Date.now(),
      }
    }
    const startMs = startAtEpochMs - performance.timeOrigin
    await new Promise(resolve => tickTimer = setTimeout(resolve, Math.max(0, startMs - performance.now())))

    // 3. interval snapshots on the run's own second boundaries, and the timeout sweep
    const tick = (): void => {
      sendInterval()
      tickTimer = setTimeout(tick, startMs + (intervalsSent + 1) * INTERVAL_MS - performance.now())
    }
    tickTimer = setTimeout(tick, startMs + INTERVAL_MS - performance.now())
    loop.start()
    sweep.start()
    await executor.run(startMs)
    await loaded.finish()

    // 4. the last, partial interval
    const finishedAtEpochMs = performance.timeOrigin + performance.now()
    clearTimeout(tickTimer)
    sendInterval()
    return { intervalsSent, finishedAtEpochMs }
  }
  finally {
    clearTimeout(tickTimer)
    sweep.stop()
    loop.stop()
    await Promise.allSettled(users.map(user => user.close()))
    port.close()
  }
}

function createExecutor(share: WorkerTask['share'], users: readonly VirtualUser[]): Executor {
  const { load } = share.spec
  switch (load.kind) {
    case 'closed':
      return createClosedExecutor(load, users)
    case 'open':
      return createOpenExecutor(load, users, share.cycle, share.workerIndex)
    case 'ramping-users':
      return createRampingUsersExecutor(load, users)
  }
}
