import type { WorkerShare } from '../plan/plan.js'
import type { Fleet } from './fleet.js'
import type { ControlMessage, WorkerMessage, WorkerOutcome } from './messages.js'
import { MessageChannel } from 'node:worker_threads'
import { createPool } from './pool.js'

/** Delay between the last ready and the common start, so every worker arms its timer in time. */
const START_MARGIN_MS = 20

/**
 * The workers of one run as threads of a fresh Piscina pool in this process, one long task each,
 * with a port for its messages. `memoryMb` caps each thread's heap.
 */
export function createLocalFleet(workers: number, memoryMb: number, workerFilename?: string): Fleet {
  const pool = createPool(workers, workerFilename, memoryMb)
  const channels: MessageChannel[] = []
  return {
    workers,
    startMarginMs: START_MARGIN_MS,
    run(shares: readonly WorkerShare[], onMessage: (workerIndex: number, message: WorkerMessage) => void): Array<Promise<WorkerOutcome>> {
      return shares.map((share, workerIndex) => {
        const channel = new MessageChannel()
        channels.push(channel)
        channel.port1.on('message', (message: WorkerMessage) => onMessage(workerIndex, message))
        return pool.run({ share, port: channel.port2 }, {
          transferList: [channel.port2],
        })
      })
    },
    broadcast: (message: ControlMessage) => channels.forEach(channel => channel.port1.postMessage(message)),
    async close() {
      for (const channel of channels)
        channel.port1.close()
      await pool.destroy()
    },
  }
}
