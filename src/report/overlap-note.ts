import type { RunOverlap } from '../metrics/overlap.js'
import { formatMs } from '../metrics/units.js'

/**
 * `'GET /b' (test/b.load.test.ts) for 3.2 s`, `'GET /c' (same test file) for 2 s`: the other run,
 * where it ran, how long they overlapped.
 */
export function describeOverlap(overlap: RunOverlap): string {
  return `'${overlap.name}' ${overlap.file === undefined
    ? '(same test file)'
    : `(${overlap.file})`} for ${formatMs(overlap.ms)}`
}

/**
 * The warning every output shows for a run that shared the machine with other load tests, or
 * `undefined` for a run that had it to itself (or a report from before overlaps were tracked):
 * "ran at the same time as 'GET /b' (same test file) for 3.2 s: …".
 */
export function overlapWarning(overlaps: readonly RunOverlap[] | undefined): string | undefined {
  if (overlaps === undefined || overlaps.length === 0)
    return undefined
  const shown = overlaps.slice(0, 3).map(describeOverlap).join(', ')
  const more = overlaps.length > 3
    ? ` and ${overlaps.length - 3} more`
    : ''
  return `ran at the same time as ${overlaps.length === 1
    ? 'another load test'
    : `${overlaps.length} other load tests`}: ${shown}${more}. They shared the cores and the target, so this run's throughput and latency are not its own. Run load tests one at a time (no describe.concurrent; the vitestLoad() plugin runs files one at a time unless sequentialFiles: false).`
}
