import type { EndpointSnapshot } from '../metrics/snapshot.js'
import { EndpointRecorder } from '../metrics/recorder.js'
import { CustomRecorders } from './custom-recorders.js'

/** The most endpoint names one worker records apart; requests under further names go to `'(other)'`. */
export const MAX_ENDPOINT_NAMES = 200
export const OTHER_ENDPOINTS = '(other)'

/**
 * One recorder per endpoint name, created when a name is first used, for the requests a worker's
 * scenario users send. Names come from user code (`'GET /items/42'` unless a `name` groups them), so
 * their number is bounded: past `MAX_ENDPOINT_NAMES`, requests count under `'(other)'`.
 */
export class EndpointRecorders {
  /** The worker's checks and custom metrics (`ctx.check()`, `ctx.metrics`), beside its endpoints. */
  readonly custom = new CustomRecorders()
  readonly #recorders = new Map<string, EndpointRecorder>()
  readonly #options: { serviceTime?: boolean }
  #other: EndpointRecorder | undefined

  /** `serviceTime`: record service time apart from latency (the open model). */
  constructor(options: { serviceTime?: boolean } = {}) {
    this.#options = options
  }

  /** The recorder of `name`, or of `'(other)'` once the names are used up. */
  get(name: string): EndpointRecorder {
    const found = this.#recorders.get(name)
    if (found)
      return found
    if (this.#recorders.size >= MAX_ENDPOINT_NAMES)
      return this.#other ??= new EndpointRecorder(OTHER_ENDPOINTS, this.#options)
    const recorder = new EndpointRecorder(name, this.#options)
    this.#recorders.set(name, recorder)
    return recorder
  }

  /** What every endpoint recorded since the last call; endpoints with nothing new are left out. */
  takeSnapshots(): EndpointSnapshot[] {
    const snapshots: EndpointSnapshot[] = []
    for (const recorder of this.#other
      ? [
          ...this.#recorders.values(),
          this.#other,
        ]
      : this.#recorders.values()) {
      const snapshot = recorder.takeSnapshot()
      if (snapshot.counters.requests > 0)
        snapshots.push(snapshot)
    }
    return snapshots
  }
}
