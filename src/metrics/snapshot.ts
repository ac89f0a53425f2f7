import type { EndpointCounters } from './counters.js'
import type { CheckSnapshot, CustomMetricSnapshot } from './custom.js'
import type { EncodedHistogram } from './histogram.js'

/** One endpoint's measurements over one interval of one worker. */
export interface EndpointSnapshot {
  name: string
  counters: EndpointCounters
  /** Latencies in microseconds of requests that received a response, from their intended start. */
  histogram: EncodedHistogram
  /** Service times in microseconds, from the actual send; absent when they equal the latencies (closed model). */
  serviceHistogram?: EncodedHistogram
}

/** One worker's own load over an interval: its event loop's utilization (0–1) and timer delay. */
export interface LoopHealth {
  utilization: number
  delayP99Ms: number
  delayMaxMs: number
  /** The open model's schedule over the interval; absent for the closed models. */
  schedule?: ScheduleHealth
}

/**
 * How well one worker kept the open model's schedule over an interval. Slip is how late an arrival
 * went out (or was found with every user busy) after its intended time. An arrival dropped late
 * (`droppedLate`) was dropped while the worker was running behind its schedule, by more than 2 ms
 * and more than twice its gap between arrivals: the users were held up by the generator catching
 * up (a burst of overdue arrivals), not only by the target.
 */
export interface ScheduleHealth {
  /** Arrivals due in the interval: sent or dropped. */
  arrivals: number
  /** How late the interval's arrivals went out after their intended times: the p99 and the latest, in ms. */
  slipP99Ms: number
  slipMaxMs: number
  /** Arrivals that found every user busy. */
  dropped: number
  /** Those of them dropped late. */
  droppedLate: number
}

/**
 * What a worker sends the test thread each second: plain data that structured clone copies cheaply,
 * merged exactly with every other worker's snapshot of the same interval.
 */
export interface IntervalSnapshot {
  workerIndex: number
  /** Whole seconds since the run's start: interval 0 covers [0 s, 1 s). */
  interval: number
  /** Virtual users running (closed model) or requests in flight (open model) when the interval closed. */
  activeUsers: number
  /** Arrivals of the open model in this interval that found every user busy and were not sent. */
  droppedArrivals: number
  /** How busy the worker's own event loop was. */
  loop: LoopHealth
  endpoints: EndpointSnapshot[]
  /** A scenario's checks (`ctx.check()`) with a call in this interval; absent for declarative requests. */
  checks?: CheckSnapshot[]
  /** A scenario's custom metrics (`ctx.metrics`) with something added in this interval. */
  metrics?: CustomMetricSnapshot[]
}
