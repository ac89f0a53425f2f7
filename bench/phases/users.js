// Many users (issue 15, item 3): 10,000 closed-model users on this machine, each its own keep-alive
// connection, against the no-op server for 10 s; the generator's memory per user (its peak resident
// memory over the run, less the same process idle with the package loaded) and how long it took from
// runLoad() to the run's start and to the last user's connection at the server.
import process from 'node:process'
import { log, numberFromEnv, quick, withChild } from '../lib/context.js'
import { formatCount, formatFixed, formatTable } from '../lib/format.js'

const MiB = 1024 * 1024

export const usersSettings = {
  users: (process.env.BENCH_USERS_LEVELS ?? (quick ? '1000' : '1000,10000')).split(',').map(Number),
  durationS: numberFromEnv('BENCH_USERS_SECONDS', quick ? 3 : 10),
  workers: [1, 2],
}

export async function benchUsers(server, url) {
  const { users, durationS, workers } = usersSettings
  log(`\nusers: ${users.map(formatCount).join(' and ')} closed-model users for ${durationS} s, on ${workers.join(' and ')} workers…`)
  const rows = []
  for (const count of users) {
    for (const poolSize of workers) {
      await server.request({ type: 'mark' }, 5000)
      const run = await withChild('vitest-load.js', child => child.request({
        type: 'users',
        url,
        users: count,
        durationMs: durationS * 1000,
        workers: poolSize,
      }, durationS * 1000 + 120_000), ['--expose-gc'])
      const seen = await server.request({ type: 'stats' }, 5000)
      rows.push({
        users: count,
        workers: poolSize,
        connections: seen.connections,
        toStartMs: run.startedAtMs - run.calledAtMs,
        toAllConnectedMs: seen.lastConnectionAtMs === null
          ? null
          : seen.lastConnectionAtMs - run.startedAtMs,
        idleRssMiB: run.idleRssBytes / MiB,
        peakRssMiB: run.peakRssBytes / MiB,
        kibPerUser: (run.peakRssBytes - run.idleRssBytes) / 1024 / count,
        kibPerUserWithBaseline: run.peakRssBytes / 1024 / count,
        reqPerSec: run.reqPerSec,
        errors: run.errors,
        p50Ms: run.p50Ms,
        p99Ms: run.p99Ms,
      })
    }
  }
  return { settings: usersSettings, rows }
}

export function printUsers({ rows }) {
  log(formatTable(
    [
      'users',
      'workers',
      'connections at server',
      'to start ms',
      'last connection ms',
      'RSS idle → peak MiB',
      'KiB / user',
      'incl. baseline',
      'req/s',
      'errors',
      'p50 ms',
      'p99 ms',
    ],
    rows.map(row => [
      formatCount(row.users),
      row.workers,
      formatCount(row.connections),
      formatFixed(row.toStartMs, 0),
      row.toAllConnectedMs === null
        ? '-'
        : formatFixed(row.toAllConnectedMs, 0),
      `${formatFixed(row.idleRssMiB, 0)} → ${formatFixed(row.peakRssMiB, 0)}`,
      formatFixed(row.kibPerUser, 1),
      formatFixed(row.kibPerUserWithBaseline, 1),
      formatCount(row.reqPerSec),
      formatCount(row.errors),
      formatFixed(row.p50Ms, 1),
      formatFixed(row.p99Ms, 1),
    ]),
  ))
  log('to start: runLoad() called → the run\'s start (probe, pool, users built, ready barrier); last connection: the run\'s start → the server accepts the last user\'s connection. KiB / user: peak RSS over the run less the idle process, per user.')
}
