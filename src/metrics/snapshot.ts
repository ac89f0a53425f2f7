import type { EndpointCounters } from './counters.js'
import type { EncodedHistogram } from './histogram.js'

/** One endpoint's measurements over one interval of one worker. */
export interface EndpointSnapshot {
  name: string
  counters: EndpointCounters
  /** Latencies in microseconds of requests that received a response. */
  histogram: EncodedHistogram
}

/**
 * What a worker sends the test thread each second: plain data that structured clone copies cheaply,
 * merged exactly with every other worker's snapshot of the same interval.
 */
export interface IntervalSnapshot {
  workerIndex: number
  /** Whole seconds since the run's start: interval 0 covers [0 s, 1 s). */
  interval: number
  /** Virtual users running when the interval closed. */
  activeUsers: number
  endpoints: EndpointSnapshot[]
}
