// Memory over a long run: the process's RSS every second, and one worker's live heap after GC.
import { log, quick, settings, withChild } from '../lib/context.js'
import { formatCount, formatFixed, formatTable, slope } from '../lib/format.js'
import { TOOLS } from './throughput.js'

/** A long run with RSS read every second: long enough for `memoryRequests` at the measured rate, never longer than `memoryMaxS`. */
export async function benchMemory(url, rows) {
  // the declarative tools, as measured in the throughput phase (none when BENCH_PHASES left it out)
  const vitestLoad = TOOLS.filter(tool => tool.workers !== undefined && !tool.scenario)
    .map(tool => ({ workers: tool.workers, reqPerSec: rows?.find(row => row.tool === tool.name).reqPerSec ?? 0 }))
  const workers = settings.memoryWorkers ?? vitestLoad.reduce((a, b) => b.reqPerSec > a.reqPerSec
    ? b
    : a).workers
  const measured = vitestLoad.find(tool => tool.workers === workers)?.reqPerSec || 10_000
  const durationS = Math.ceil(Math.min(settings.memoryMaxS, Math.max(settings.memoryWarmupS + 3, settings.memoryRequests / measured + settings.memoryWarmupS)))
  log(`\nmemory: ${settings.connections} users, ${workers} worker${workers > 1
    ? 's'
    : ''}, ${durationS} s (≈ ${formatCount(measured * durationS)} requests at the measured ${formatCount(measured)} req/s)…`)
  const result = await withChild('vitest-load.js', child => child.request({
    type: 'memory',
    url,
    connections: settings.connections,
    durationMs: durationS * 1000,
    workers,
  }, durationS * 1000 + 60_000), [])
  const runEndS = result.windowMs / 1000
  const start = result.rss[0]
  const during = result.rss.filter(s => s.atS >= 0 && s.atS <= runEndS)
  const warm = during.find(s => s.atS >= settings.memoryWarmupS) ?? during[0]
  const end = during.at(-1)
  const afterWarm = during.filter(s => s.atS >= warm.atS)
  const requestsAfterWarm = result.requestsPerSecond.reduce((total, count, second) => second >= Math.round(warm.atS)
    ? total + count
    : total, 0)
  const growthMiB = end.rssMiB - warm.rssMiB
  const slopeMiBPerS = slope(afterWarm.map(s => ({ x: s.atS, y: s.rssMiB })))
  const rate = requestsAfterWarm / Math.max(1e-9, end.atS - warm.atS)
  return {
    workers,
    connections: settings.connections,
    durationS: runEndS,
    requests: result.requests,
    errors: result.errors,
    requestsAfterWarmup: requestsAfterWarm,
    startMiB: start.rssMiB,
    warmupMiB: warm.rssMiB,
    warmupAtS: warm.atS,
    endMiB: end.rssMiB,
    endAtS: end.atS,
    minAfterWarmupMiB: Math.min(...afterWarm.map(s => s.rssMiB)),
    maxAfterWarmupMiB: Math.max(...afterWarm.map(s => s.rssMiB)),
    growthMiB,
    growthMiBPerMillion: growthMiB / (requestsAfterWarm / 1e6),
    slopeMiBPerMillion: slopeMiBPerS / rate * 1e6,
    // V8 grows a heap in steps and keeps it: a plateau in the second half means no steady growth
    secondHalf: secondHalf(during, runEndS, result.requestsPerSecond),
    samples: result.rss,
  }
}

/** RSS from the middle of the run to its end, and the requests in between. */
function secondHalf(samples, runEndS, requestsPerSecond) {
  const from = samples.find(s => s.atS >= runEndS / 2) ?? samples[0]
  const to = samples.at(-1)
  const requests = requestsPerSecond.reduce((total, count, second) => second >= Math.round(from.atS)
    ? total + count
    : total, 0)
  return {
    fromMiB: from.rssMiB,
    fromAtS: from.atS,
    toMiB: to.rssMiB,
    toAtS: to.atS,
    requests,
  }
}

export function printMemory(m) {
  log(formatTable(
    ['', 'RSS MiB', 'at s'],
    [
      [
        'start (before runLoad)',
        formatFixed(m.startMiB, 1),
        formatFixed(m.samples[0].atS, 1),
      ],
      [
        'after warm-up',
        formatFixed(m.warmupMiB, 1),
        formatFixed(m.warmupAtS, 1),
      ],
      [
        'end of run',
        formatFixed(m.endMiB, 1),
        formatFixed(m.endAtS, 1),
      ],
      ['min / max after warm-up', `${formatFixed(m.minAfterWarmupMiB, 1)} / ${formatFixed(m.maxAfterWarmupMiB, 1)}`, ''],
    ],
  ))
  log(`requests: ${formatCount(m.requests)} in ${formatFixed(m.durationS, 1)} s (${formatCount(m.requestsAfterWarmup)} after warm-up), errors: ${m.errors}`)
  log(`growth after warm-up: ${formatFixed(m.growthMiB, 2)} MiB = ${formatFixed(m.growthMiBPerMillion, 2)} MiB per million requests (least-squares slope: ${formatFixed(m.slopeMiBPerMillion, 2)} MiB per million)`)
  const half = m.secondHalf
  log(`second half of the run: ${formatFixed(half.fromMiB, 1)} MiB at ${formatFixed(half.fromAtS, 0)} s → ${formatFixed(half.toMiB, 1)} MiB at ${formatFixed(half.toAtS, 0)} s: ${formatFixed(half.toMiB - half.fromMiB, 2)} MiB over ${formatCount(half.requests)} requests`)
  log(`RSS every second: ${m.samples.map(s => formatFixed(s.rssMiB, 0)).join(' ')}`)
}

/**
 * RSS also moves as V8 sizes its heap; the heap left after a full collection is what the worker
 * keeps. One worker's share runs in a child's main thread with --expose-gc, collected every 2 s.
 */
export async function benchHeap(url) {
  const gcEveryMs = quick ? 1000 : 2000
  const durationMs = settings.heapS * 1000
  const result = await withChild('worker-heap.js', child => child.request({
    type: 'heap',
    url,
    connections: settings.connections,
    durationMs,
    gcEveryMs,
  }, durationMs + 60_000), ['--expose-gc'])
  const samples = result.samples.filter(s => s.atS > 0)
  // the first collection after the JIT and the connections have settled
  const first = samples.find(s => s.atS >= (quick ? 1 : 4)) ?? samples[0]
  const last = samples.at(-1)
  const growthMiB = last.heapUsedMiB - first.heapUsedMiB
  const requestsBetween = last.requests - first.requests
  return {
    durationS: settings.heapS,
    requests: result.requests,
    firstMiB: first.heapUsedMiB,
    firstAtS: first.atS,
    lastMiB: last.heapUsedMiB,
    lastAtS: last.atS,
    growthMiB,
    requestsBetween,
    growthMiBPerMillion: requestsBetween > 0
      ? growthMiB / (requestsBetween / 1e6)
      : Number.NaN,
    samples,
  }
}

export function printHeap(h) {
  log(`\nlive heap of one worker after a full GC (share run in a child's main thread, ${h.durationS} s, ${formatCount(h.requests)} requests):`)
  log(`  ${formatFixed(h.firstMiB, 2)} MiB at ${formatFixed(h.firstAtS, 0)} s → ${formatFixed(h.lastMiB, 2)} MiB at ${formatFixed(h.lastAtS, 0)} s: ${formatFixed(h.growthMiB, 2)} MiB over ${formatCount(h.requestsBetween)} requests = ${formatFixed(h.growthMiBPerMillion, 3)} MiB per million`)
  log(`  after each GC: ${h.samples.map(s => formatFixed(s.heapUsedMiB, 1)).join(' ')}`)
}
