import type { TimelinePoint } from './summary.js'

/**
 * The seconds each point of a timeline spans: 1, or 2, 4, 8… once a long run has merged its
 * seconds (every point of one timeline spans the same, the last may be cut short by the end of the
 * run). Read from the points' starts, so it holds for a timeline read back from a JSON report.
 */
export function timelineStep(timeline: readonly TimelinePoint[]): number {
  const [first, second] = timeline
  if (first && second)
    return Math.max(1, second.second - first.second)
  return first
    ? Math.max(1, Math.ceil(first.durationMs / 1000))
    : 1
}

/** The largest of `values`, or `fallback` when there are none: without spreading them onto the stack. */
export function maxOf(values: Iterable<number>, fallback = -Infinity): number {
  let max = fallback
  for (const value of values) {
    if (value > max)
      max = value
  }
  return max
}
