// The distributed mode on one machine: the same load sent by 1 agent, then by 3 (each
// `--workers 1`), through a real redis-server on a free loopback port (nothing saved to disk),
// against a 1 ms target in its own process, the coordinator (runLoad()) in a process of its own.
// A closed model and an open one, each measured for:
//   - requests counted at the server against the run's total (they must be equal) and, for the open
//     model, the share of the planned arrivals that reached the server;
//   - the coordinator's CPU per second of load, in total and per agent;
//   - bytes through Redis (INFO stats: total_net_input_bytes and total_net_output_bytes), commands
//     and telemetry messages, in total and per agent;
//   - the clock: each agent's offset and uncertainty against Redis' clock, and the spread of the
//     agents' first requests at the server (each connection is traced to the agent that opened it
//     through /proc: its client port, its socket's inode, the agent's file descriptors);
//   - the agents' own CPU per request.
// Then, from the measured bytes per agent-second, the on-paper figure for 100 agents, with its formula.
// Run with `npm run bench:distributed` (about 1 minute after the build).
//
// Everything runs on 127.0.0.1. Every process this bench starts (redis-server, the target, the
// coordinator, the agents) is ended by its PID at the end, on an error, and on Ctrl-C or SIGTERM.
// This file is also the target and the coordinator: forked with BENCH_DISTRIBUTED_ROLE set.
//
// Settings (environment):
//   BENCH_DIST_SECONDS 10     seconds of each load
//   BENCH_DIST_USERS 30       users of the closed model
//   BENCH_DIST_RATE 1500      arrivals a second of the open model
//   BENCH_DIST_MAX_USERS 150  maxUsers of the open model
//   BENCH_DIST_DELAY_MS 1     the target's delay before each response
// Results are also written to bench/results/distributed-<time>.md and .json (git-ignored).
import { execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { availableParallelism, cpus, loadavg } from 'node:os'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { aptInstall } from './lib/apt.js'
import { cpuSeconds, epochNowMs, interpolate, serveRequests, startSampler } from './lib/child.js'
import { numberFromEnv, resultsDir } from './lib/context.js'
import { formatCount, formatFixed, formatTable } from './lib/format.js'
import { startChild } from './lib/parent.js'

const ROLE_ENV = 'BENCH_DISTRIBUTED_ROLE'
const SELF = new URL(import.meta.url)
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const REDIS_SERVER = '/usr/bin/redis-server'
const KiB = 1024

const settings = {
  seconds: numberFromEnv('BENCH_DIST_SECONDS', 10),
  users: Math.round(numberFromEnv('BENCH_DIST_USERS', 30)),
  rate: numberFromEnv('BENCH_DIST_RATE', 1500),
  maxUsers: Math.round(numberFromEnv('BENCH_DIST_MAX_USERS', 150)),
  delayMs: numberFromEnv('BENCH_DIST_DELAY_MS', 1),
  agentCounts: [1, 3],
  workersPerAgent: 1,
  /** The projection's fleet. */
  projectedAgents: 100,
}

const MODELS = [
  {
    name: 'closed',
    load: () => ({ users: settings.users, duration: `${settings.seconds}s` }),
    planned: () => null,
    describe: () => `${settings.users} users for ${settings.seconds} s`,
  },
  {
    name: 'open',
    load: () => ({ rate: settings.rate, duration: `${settings.seconds}s`, maxUsers: settings.maxUsers }),
    planned: () => Math.round(settings.rate * settings.seconds),
    describe: () => `${formatCount(settings.rate)}/s for ${settings.seconds} s, maxUsers ${settings.maxUsers}`,
  },
]

const log = (line = '') => process.stdout.write(`${line}\n`)
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// ---------------------------------------------------------------------------------------------
// The target (BENCH_DISTRIBUTED_ROLE=server): node:http on 127.0.0.1, 200 'ok' after a fixed
// delay, keep-alive; counts requests, and for each connection its client port and the time of its
// first request, since the last mark.

/**
 * `Date.now() − (performance.timeOrigin + performance.now())` in this thread, to a few µs: read as
 * Date.now() ticks over. Each thread's timeOrigin is off the wall clock by a few ms, while a run's
 * `startedAt` (and Redis' clock) is the wall clock: the server's times are moved onto it.
 */
function wallClockCorrectionMs() {
  const from = Date.now()
  let now = from
  // bounded: Date.now() ticks over within 1 ms; 5 ms at most
  const untilMs = performance.now() + 5
  while (now === from && performance.now() < untilMs)
    now = Date.now()
  return now - epochNowMs()
}

function serveTarget() {
  const delayMs = Number(process.env.BENCH_DIST_DELAY_MS ?? 1)
  let wallMs = wallClockCorrectionMs()
  let generation = 0
  let requests = 0
  let connections = []
  let markCpuS = cpuSeconds()
  const bySocket = new WeakMap()
  const server = createHttpServer((req, res) => {
    const atMs = epochNowMs() + wallMs
    requests++
    let connection = bySocket.get(req.socket)
    // a connection opened before the mark that sends again: counted as new in this generation
    if (!connection || connection.generation !== generation) {
      connection = { generation, port: req.socket.remotePort, firstAtMs: null }
      bySocket.set(req.socket, connection)
      connections.push(connection)
    }
    connection.firstAtMs ??= atMs
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
      res.end('ok')
    }, delayMs)
  })
  server.keepAliveTimeout = 60_000
  serveRequests(async (message) => {
    switch (message.type) {
      case 'listen':
        await new Promise(resolve => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve))
        return { url: `http://127.0.0.1:${server.address().port}`, port: server.address().port }
      case 'mark':
        wallMs = wallClockCorrectionMs()
        generation++
        requests = 0
        connections = []
        markCpuS = cpuSeconds()
        return null
      case 'stats':
        return {
          requests,
          connections: connections.map(({ port, firstAtMs }) => ({ port, firstAtMs })),
          cpuS: cpuSeconds() - markCpuS,
        }
      default:
        throw new Error(`unknown request ${message.type}`)
    }
  })
  process.on('disconnect', () => server.closeAllConnections())
}

// ---------------------------------------------------------------------------------------------
// The coordinator (BENCH_DISTRIBUTED_ROLE=coordinator): runLoad() of the build, distributed by
// the environment each request sets, with its own CPU over the load's window.

function serveCoordinator() {
  // dist/run-load.js rather than dist/index.js: no matchers to register outside Vitest.
  // Imported at once, awaited in the handler, so that no request comes before the listener
  const loaded = import('../dist/run-load.js')
  loaded.catch(() => {})
  serveRequests(async ({ redisUrl, namespace, agents, url, load }) => {
    const { runLoad } = await loaded
    Object.assign(process.env, {
      VITEST_LOAD_REDIS: redisUrl,
      VITEST_LOAD_NAMESPACE: namespace,
      VITEST_LOAD_AGENTS: String(agents),
      VITEST_LOAD_START_TIMEOUT: '20s',
    })
    const sampler = startSampler(50)
    const calledAtMs = epochNowMs()
    const calledCpuS = cpuSeconds()
    let run
    try {
      run = await runLoad({
        target: url,
        request: { path: '/' },
        load,
      })
    }
    finally {
      sampler.stop()
    }
    const resolvedAtMs = epochNowMs()
    const startAtMs = Date.parse(run.startedAt)
    const endAtMs = startAtMs + run.durationMs
    return {
      calledAtMs,
      resolvedAtMs,
      startAtMs,
      durationMs: run.durationMs,
      requests: run.totals.requests,
      errors: run.totals.errors.total,
      dropped: run.droppedArrivals,
      p50Ms: run.latency.p50Ms,
      p99Ms: run.latency.p99Ms,
      workers: run.workers,
      cpuS: sampler.cpuAt(endAtMs) - sampler.cpuAt(startAtMs),
      callCpuS: cpuSeconds() - calledCpuS,
      agents: run.agents,
      timeline: run.timeline.map(point => ({
        second: point.second,
        requests: point.requests,
        p99Ms: point.p99Ms,
        dropped: point.droppedArrivals,
      })),
      saturated: run.generatorHealth.saturated,
      cause: run.generatorHealth.cause,
      machineBusy: run.generatorHealth.cpu?.busy ?? null,
      health: run.generatorHealth.workers.map(worker => ({
        workerIndex: worker.workerIndex,
        meanUtilization: worker.meanUtilization,
        arrivals: worker.arrivals,
        dropped: worker.dropped,
        droppedLate: worker.droppedLate,
        slipP99Ms: worker.scheduleSlipP99Ms,
      })),
    }
  })
}

// ---------------------------------------------------------------------------------------------
// Readings from /proc: CPU of a process (every thread), the machine's CPU, and which process owns
// the client end of a loopback connection.

/** CPU seconds (user + system, every thread) of process `pid` so far; NaN once it is gone. Clock ticks of 10 ms. */
function procCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  }
  catch {
    return Number.NaN
  }
}

/** The machine's busy and total clock ticks, from /proc/stat's first line. */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
  const total = fields.reduce((sum, value) => sum + value, 0)
  return { busy: total - fields[3] - fields[4], total }
}

/**
 * Reads the CPU of the named processes (`{ name: pid }`) and of the machine every `everyMs`, so
 * that a window known only afterwards (the load's start and end) can be read by interpolation.
 */
function startProcSampler(pids, everyMs) {
  const samples = []
  const sample = () => {
    const cpu = {}
    for (const [name, pid] of Object.entries(pids))
      cpu[name] = procCpuSeconds(pid)
    samples.push({
      atMs: epochNowMs(),
      cpu,
      machine: machineTicks(),
    })
  }
  sample()
  const timer = setInterval(sample, everyMs)
  const at = (value, atMs) => interpolate(samples, value, atMs)
  return {
    stop: () => {
      clearInterval(timer)
      sample()
    },
    /** CPU seconds of process `name` between two epoch times. */
    cpu: (name, fromMs, toMs) => at(s => s.cpu[name], toMs) - at(s => s.cpu[name], fromMs),
    /** The same over every sample: from before the call to after it. */
    cpuAll: name => samples.at(-1).cpu[name] - samples[0].cpu[name],
    /** The machine's busy share (0–1, all cores) between two epoch times. */
    machineBusy: (fromMs, toMs) => (at(s => s.machine.busy, toMs) - at(s => s.machine.busy, fromMs))
      / (at(s => s.machine.total, toMs) - at(s => s.machine.total, fromMs)),
  }
}

/**
 * Adds to `owners` (client port → agent number) the connections to `serverPort` whose client end
 * is one of `agentPids`' sockets: /proc/net/tcp gives each socket's ports and inode, and each
 * agent's /proc/<pid>/fd its sockets' inodes.
 */
function traceAgentPorts(agentPids, serverPort, owners) {
  const portOfInode = new Map()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text
    try {
      text = readFileSync(file, 'utf8')
    }
    catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length < 10)
        continue
      const localPort = Number.parseInt(fields[1].split(':').at(-1), 16)
      const remotePort = Number.parseInt(fields[2].split(':').at(-1), 16)
      if (remotePort === serverPort && fields[9] !== '0')
        portOfInode.set(fields[9], localPort)
    }
  }
  agentPids.forEach((pid, agent) => {
    let fds
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    }
    catch {
      return
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]
        if (inode && portOfInode.has(inode))
          owners.set(portOfInode.get(inode), agent)
      }
      catch {
        // a descriptor closed between the listing and the read
      }
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The processes: redis-server, the agents; every one remembered until it is ended by its PID.

const children = new Set()
/** The forked children (the target, the coordinator), by PID, while they run. */
const forked = new Set()

/** On Ctrl-C or SIGTERM, every process this bench started is killed by its PID, then the bench ends by the same signal. */
function endChildrenOnSignal() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const child of children)
        child.kill('SIGKILL')
      for (const pid of forked) {
        try {
          process.kill(pid, 'SIGKILL')
        }
        catch {
          // already gone
        }
      }
      process.kill(process.pid, signal)
    })
  }
}

/** Ends a process we started, by its PID: `signal`, then SIGKILL after 5 s. Resolves with its exit code. */
async function stopProcess(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child)
    return child.exitCode
  }
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
  children.delete(child)
  return child.exitCode
}

/** Spawns `command` and waits (at most `limitMs`) for `ready` in what it prints. */
async function spawnUntil(command, args, ready, limitMs, what) {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  const ok = await new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs, false)
    const check = (chunk) => {
      output += chunk
      if (output.includes(ready)) {
        clearTimeout(timer)
        resolve(true)
      }
    }
    child.stdout.on('data', check)
    child.stderr.on('data', check)
    child.once('error', () => {
      clearTimeout(timer)
      resolve(false)
    })
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(false)
    })
  })
  if (!ok) {
    await stopProcess(child, 'SIGKILL')
    throw new Error(`${what} did not start within ${limitMs / 1000} s:\n${output.slice(-2000)}`)
  }
  return {
    child,
    pid: child.pid,
    output: () => output,
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Debian's redis-server, installed when missing (as root, with apt-get). */
function ensureRedis() {
  if (existsSync(REDIS_SERVER))
    return
  if (process.getuid?.() !== 0)
    throw new Error(`${REDIS_SERVER} is missing: apt-get install redis-server (as root), then run the bench again`)
  aptInstall(['redis-server'], log)
  if (!existsSync(REDIS_SERVER))
    throw new Error(`${REDIS_SERVER} is still missing after apt-get install redis-server`)
}

/** redis-server on 127.0.0.1 at a free port, nothing saved; a port taken in between is tried again, 5 times at most. */
async function startRedis() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      const redis = await spawnUntil(REDIS_SERVER, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
      ], 'Ready to accept connections', 10_000, 'redis-server')
      return { ...redis, port, url: `redis://127.0.0.1:${port}` }
    }
    catch (error) {
      if (attempt >= 5)
        throw error
    }
  }
}

/** `count` agents of the build in `namespace`, each with `--workers 1`, started at once; waits until each waits for runs. */
async function startAgents(redisUrl, namespace, count) {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, index) => spawnUntil(process.execPath, [
    CLI,
    'agent',
    '--redis',
    redisUrl,
    '--namespace',
    namespace,
    '--workers',
    String(settings.workersPerAgent),
    '--index',
    String(index),
    '--name',
    `agent-${index}`,
  ], 'waiting for runs', 20_000, `agent-${index}`)))
  const failed = started.find(result => result.status === 'rejected')
  if (failed) {
    await Promise.all(started.filter(result => result.status === 'fulfilled').map(result => stopProcess(result.value.child)))
    throw failed.reason
  }
  return started.map(result => result.value)
}

// ---------------------------------------------------------------------------------------------
// Redis' own counters.

/** Bytes in and out and commands, from INFO stats, with the time of the reading. */
async function redisStats(client) {
  const text = await client.call('INFO', 'stats')
  const value = (name) => {
    const found = new RegExp(`^${name}:(\\d+)`, 'm').exec(text)
    if (!found)
      throw new Error(`INFO stats has no ${name}`)
    return Number(found[1])
  }
  return {
    atMs: epochNowMs(),
    inBytes: value('total_net_input_bytes'),
    outBytes: value('total_net_output_bytes'),
    commands: value('total_commands_processed'),
  }
}

/** `after − before`, less one reading's own traffic (its INFO command and reply). */
function redisDelta(before, after, overhead) {
  return {
    inBytes: after.inBytes - before.inBytes - overhead.inBytes,
    outBytes: after.outBytes - before.outBytes - overhead.outBytes,
    commands: after.commands - before.commands - overhead.commands,
  }
}

/**
 * The telemetry streams of `namespace` not yet in `seen`: entries, and of them the workers'
 * once-a-second `interval` snapshots with their bytes (the JSON payload, histograms included).
 */
async function newTelemetry(client, namespace, seen) {
  const keys = []
  let cursor = '0'
  for (let page = 0; page < 1000; page++) {
    const [next, batch] = await client.call('SCAN', cursor, 'MATCH', `vl:${namespace}:run:*:tel`, 'COUNT', 1000)
    keys.push(...batch)
    cursor = next
    if (cursor === '0')
      break
  }
  const telemetry = {
    entries: 0,
    intervals: 0,
    intervalBytes: 0,
    otherBytes: 0,
  }
  for (const key of keys.filter(key => !seen.has(key))) {
    seen.add(key)
    for (const [, fields] of await client.call('XRANGE', key, '-', '+')) {
      const payload = fields[1]
      const bytes = Buffer.byteLength(payload)
      telemetry.entries++
      const report = JSON.parse(payload)
      if (report.t === 'worker' && report.message?.type === 'interval') {
        telemetry.intervals++
        telemetry.intervalBytes += bytes
      }
      else {
        telemetry.otherBytes += bytes
      }
    }
  }
  return telemetry
}

// ---------------------------------------------------------------------------------------------
// One measured run.

async function measureRun({ model, agents, namespace, redis, client, overhead, server, target, coordinator, telemetrySeen }) {
  await server.request({ type: 'mark' }, 5000)
  const pids = { coordinator: coordinator.pid, redis: redis.pid, server: server.pid }
  agents.forEach((agent, index) => pids[`agent${index}`] = agent.pid)
  const before = await redisStats(client)
  const sampler = startProcSampler(pids, 100)
  const owners = new Map()
  const agentPids = agents.map(agent => agent.pid)
  const tracer = setInterval(traceAgentPorts, 250, agentPids, target.port, owners)
  let run
  try {
    run = await coordinator.request({
      type: 'run',
      redisUrl: redis.url,
      namespace,
      agents: agents.length,
      url: target.url,
      load: model.load(),
    }, settings.seconds * 1000 + 90_000)
  }
  finally {
    clearInterval(tracer)
    sampler.stop()
  }
  const after = await redisStats(client)
  const seen = await server.request({ type: 'stats' }, 5000)
  const telemetry = await newTelemetry(client, namespace, telemetrySeen)
  const startMs = run.startAtMs
  const endMs = run.startAtMs + run.durationMs
  const loadS = run.durationMs / 1000
  const traffic = redisDelta(before, after, overhead)
  const n = agents.length
  const agentCpu = agents.map((_, index) => sampler.cpu(`agent${index}`, startMs, endMs))
  const agentCpuS = agentCpu.reduce((sum, value) => sum + value, 0)
  // each agent's first request: the earliest first request of the connections traced to it
  const firsts = agents.map(() => null)
  let untraced = 0
  for (const connection of seen.connections) {
    const agent = owners.get(connection.port)
    if (agent === undefined) {
      untraced++
      continue
    }
    if (connection.firstAtMs !== null && (firsts[agent] === null || connection.firstAtMs < firsts[agent]))
      firsts[agent] = connection.firstAtMs
  }
  const traced = firsts.filter(value => value !== null)
  const planned = model.planned()
  return {
    model: model.name,
    describe: model.describe(),
    agents: n,
    planned,
    serverRequests: seen.requests,
    runRequests: run.requests,
    equal: seen.requests === run.requests,
    errors: run.errors,
    dropped: run.dropped,
    reached: planned === null
      ? null
      : seen.requests / planned,
    loadS,
    callS: (run.resolvedAtMs - run.calledAtMs) / 1000,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    saturated: run.saturated,
    cause: run.cause,
    health: run.health,
    machineBusy: sampler.machineBusy(startMs, endMs),
    machineBusyBySecond: Array.from({
      length: Math.floor(loadS),
    }, (_, second) => sampler.machineBusy(startMs + second * 1000, startMs + (second + 1) * 1000)),
    timeline: run.timeline,
    coordinator: {
      cpuS: run.cpuS,
      cpuPerLoadS: run.cpuS / loadS,
      cpuPerLoadSPerAgent: run.cpuS / loadS / n,
      callCpuS: run.callCpuS,
      procCpuS: sampler.cpu('coordinator', startMs, endMs),
    },
    agentCpu: {
      windowS: agentCpuS,
      usPerRequest: agentCpuS * 1e6 / seen.requests,
      perAgentS: agentCpu,
      callS: agents.reduce((sum, _, index) => sum + sampler.cpuAll(`agent${index}`), 0),
    },
    serverCpuPerLoadS: sampler.cpu('server', startMs, endMs) / loadS,
    redisCpuPerLoadS: sampler.cpu('redis', startMs, endMs) / loadS,
    redis: {
      ...traffic,
      inPerS: traffic.inBytes / loadS,
      outPerS: traffic.outBytes / loadS,
      inPerAgentS: traffic.inBytes / loadS / n,
      outPerAgentS: traffic.outBytes / loadS / n,
      commandsPerS: traffic.commands / loadS,
    },
    telemetry: {
      ...telemetry,
      messagesPerS: telemetry.entries / loadS,
      bytesPerInterval: telemetry.intervalBytes / telemetry.intervals,
      intervalBytesPerWorkerS: telemetry.intervalBytes / loadS / run.workers,
    },
    clock: {
      agents: run.agents.map((agent, index) => ({
        name: agent.name,
        requests: agent.requests,
        share: agent.share,
        offsetMs: agent.clockOffsetMs,
        uncertaintyMs: agent.clockUncertaintyMs,
        firstAfterStartMs: firsts[index] === null
          ? null
          : firsts[index] - run.startAtMs,
      })),
      spreadMs: n > 1 && traced.length === n
        ? Math.max(...traced) - Math.min(...traced)
        : null,
      connections: seen.connections.length,
      untraced,
    },
  }
}

/** Redis' traffic with the agents waiting and no run, over `ms`. */
async function measureIdle(client, overhead, agents, ms) {
  const before = await redisStats(client)
  await sleep(ms)
  const after = await redisStats(client)
  const traffic = redisDelta(before, after, overhead)
  const seconds = (after.atMs - before.atMs) / 1000
  return {
    agents,
    seconds,
    inPerAgentS: traffic.inBytes / seconds / agents,
    outPerAgentS: traffic.outBytes / seconds / agents,
    commandsPerAgentS: traffic.commands / seconds / agents,
  }
}

// ---------------------------------------------------------------------------------------------
// Output.

const kib = bytes => formatFixed(bytes / KiB, 1)

function mdTable(headers, rows) {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_, i) => i === 0
      ? '---'
      : '--:').join(' | ')} |`,
    ...rows.map(row => `| ${row.join(' | ')} |`),
  ].join('\n')
}

function tables(runs) {
  const label = r => `${r.model}, ${r.agents} agent${r.agents > 1
    ? 's'
    : ''}`
  const counts = {
    title: 'Requests: counted at the server against the run',
    headers: [
      'run',
      'load',
      'at server',
      'run total',
      'equal',
      'planned',
      'reached',
      'dropped',
      'p50 ms',
      'p99 ms',
      'machine busy',
      'saturated',
    ],
    rows: runs.map(r => [
      label(r),
      r.describe,
      formatCount(r.serverRequests),
      formatCount(r.runRequests),
      r.equal ? 'yes' : 'NO',
      r.planned === null
        ? '-'
        : formatCount(r.planned),
      r.reached === null
        ? '-'
        : `${formatFixed(r.reached * 100, 2)} %`,
      formatCount(r.dropped),
      formatFixed(r.p50Ms, 2),
      formatFixed(r.p99Ms, 2),
      `${formatFixed(r.machineBusy * 100, 0)} %`,
      r.saturated
        ? `yes (${r.cause})`
        : 'no',
    ]),
  }
  const cost = {
    title: 'Cost per second of load',
    headers: [
      'run',
      'coord. CPU ms/s',
      'per agent',
      'Redis in KiB/s',
      'out KiB/s',
      'in/agent',
      'out/agent',
      'cmds/s',
      'tel. msgs/s',
      'B/snapshot',
      'agents CPU µs/req',
      'CPU ms/s each agent',
    ],
    rows: runs.map(r => [
      label(r),
      formatFixed(r.coordinator.cpuPerLoadS * 1000, 1),
      formatFixed(r.coordinator.cpuPerLoadSPerAgent * 1000, 1),
      kib(r.redis.inPerS),
      kib(r.redis.outPerS),
      kib(r.redis.inPerAgentS),
      kib(r.redis.outPerAgentS),
      formatCount(r.redis.commandsPerS),
      formatFixed(r.telemetry.messagesPerS, 1),
      formatCount(r.telemetry.bytesPerInterval),
      formatFixed(r.agentCpu.usPerRequest, 0),
      r.agentCpu.perAgentS.map(cpuS => formatFixed(cpuS * 1000 / r.loadS, 0)).join(' '),
    ]),
  }
  const clock = {
    title: 'Clock: each agent against Redis\' clock, and its first request at the server',
    headers: [
      'run',
      'agent',
      'requests',
      'offset ms',
      '± ms',
      '1st request after start ms',
      'spread ms',
    ],
    rows: runs.flatMap(r => r.clock.agents.map((agent, index) => [
      index === 0
        ? label(r)
        : '',
      agent.name,
      formatCount(agent.requests),
      formatFixed(agent.offsetMs, 2),
      formatFixed(agent.uncertaintyMs, 2),
      agent.firstAfterStartMs === null
        ? '-'
        : formatFixed(agent.firstAfterStartMs, 2),
      index === 0 && r.clock.spreadMs !== null
        ? formatFixed(r.clock.spreadMs, 2)
        : '',
    ])),
  }
  return [counts, cost, clock]
}

/** A line through the 1- and 3-agent figures: x(N) = a + N·b. */
function line(x1, x3) {
  const b = (x3 - x1) / 2
  return { a: x1 - b, b }
}

/** The on-paper figures for `projectedAgents` agents, per model, and the lines that say how. */
function projection(runs, idle) {
  const N = settings.projectedAgents
  const w = settings.workersPerAgent
  const out = []
  const figures = {}
  for (const model of MODELS) {
    const one = runs.find(r => r.model === model.name && r.agents === 1)
    const three = runs.find(r => r.model === model.name && r.agents === 3)
    if (!one || !three)
      continue
    const inLine = line(one.redis.inPerS, three.redis.inPerS)
    const outLine = line(one.redis.outPerS, three.redis.outPerS)
    const cmdLine = line(one.redis.commandsPerS, three.redis.commandsPerS)
    const cpuLine = line(one.coordinator.cpuPerLoadS, three.coordinator.cpuPerLoadS)
    const s = three.telemetry.intervalBytesPerWorkerS
    const msgsPerWorkerS = three.telemetry.intervals / three.loadS / three.agents / w
    const f = {
      inBytesPerS: inLine.a + N * inLine.b,
      outBytesPerS: outLine.a + N * outLine.b,
      inProportionalPerS: N * three.redis.inPerAgentS,
      outProportionalPerS: N * three.redis.outPerAgentS,
      telemetryMessagesPerS: N * w * msgsPerWorkerS,
      commandsPerS: cmdLine.a + N * cmdLine.b,
      coordinatorCpuPerS: cpuLine.a + N * cpuLine.b,
      lines: {
        in: inLine,
        out: outLine,
        commands: cmdLine,
        coordinatorCpu: cpuLine,
      },
      snapshotBytesPerWorkerS: s,
      perAgentControlInPerS: inLine.b - w * s,
    }
    figures[model.name] = f
    const mib = bytes => formatFixed(bytes / (KiB * KiB), 2)
    out.push(`${model.name} model (${model.describe()} in all, split over the agents), a line through the 1- and 3-agent runs, x(N) = a + N·b:`)
    out.push(`  into Redis:      a + N·b = ${kib(inLine.a)} + ${N} × ${kib(inLine.b)} KiB/s = ${mib(f.inBytesPerS)} MiB/s (${formatFixed(f.inBytesPerS * 8 / 1e6, 1)} Mbit/s); proportional to the 3-agent run, N × in/agent = ${mib(f.inProportionalPerS)} MiB/s`)
    out.push(`  out of Redis:    a + N·b = ${kib(outLine.a)} + ${N} × ${kib(outLine.b)} KiB/s = ${mib(f.outBytesPerS)} MiB/s (${formatFixed(f.outBytesPerS * 8 / 1e6, 1)} Mbit/s); proportional: ${mib(f.outProportionalPerS)} MiB/s`)
    out.push(`  telemetry:       N × w × ${formatFixed(msgsPerWorkerS, 2)} snapshots per worker-second = ${formatCount(f.telemetryMessagesPerS)} messages/s of ${formatCount(three.telemetry.bytesPerInterval)} B (w = ${w} worker per agent)`)
    out.push(`  Redis commands:  a + N·b = ${formatCount(cmdLine.a)} + ${N} × ${formatFixed(cmdLine.b, 1)} = ${formatCount(f.commandsPerS)} commands/s`)
    const coordinatorMs = `${formatFixed(one.coordinator.cpuPerLoadS * 1000, 1)} ms/s with 1 agent, ${formatFixed(three.coordinator.cpuPerLoadS * 1000, 1)} with 3`
    out.push(cpuLine.b * 1000 >= 2
      ? `  coordinator CPU: a + N·b = ${formatFixed(cpuLine.a * 1000, 1)} + ${N} × ${formatFixed(cpuLine.b * 1000, 1)} ms/s = ${formatFixed(f.coordinatorCpuPerS, 2)} CPU-s per second of load (${coordinatorMs}: a rough figure, the slope is near the runs' noise)`
      : `  coordinator CPU: ${coordinatorMs}: no growth per agent above the runs' noise (a few ms/s), so no line to draw; the fixed part (the test thread's own work once a second) dominates at 3 agents`)
    out.push(`  of b (into Redis): w × ${formatCount(s)} B/s of snapshots per worker, ${formatCount(f.perAgentControlInPerS)} B/s of leases, claims and polls; with w workers an agent, in(N, w) ≈ a + N × (${formatCount(f.perAgentControlInPerS)} + w × ${formatCount(s)}) B/s`)
  }
  const idleThree = idle.find(i => i.agents === 3) ?? idle.at(-1)
  if (idleThree) {
    out.push(`idle agents (waiting for a run, no run): ${formatCount(idleThree.inPerAgentS)} B/s in and ${formatCount(idleThree.outPerAgentS)} B/s out, ${formatFixed(idleThree.commandsPerAgentS, 1)} commands/s per agent: ${N} waiting agents ≈ ${kib(N * idleThree.inPerAgentS)} KiB/s in, ${formatCount(N * idleThree.commandsPerAgentS)} commands/s`)
  }
  return { lines: out, figures }
}

function notes(runs) {
  const out = []
  for (const model of MODELS) {
    const one = runs.find(r => r.model === model.name && r.agents === 1)
    const three = runs.find(r => r.model === model.name && r.agents === 3)
    if (one && three)
      out.push(`${model.name}: agents' CPU per request, 3 agents against 1: ${formatFixed(three.agentCpu.usPerRequest / one.agentCpu.usPerRequest, 2)}× (${formatFixed(three.agentCpu.usPerRequest, 0)} against ${formatFixed(one.agentCpu.usPerRequest, 0)} µs); target ${formatFixed(three.serverCpuPerLoadS * 1000, 0)} against ${formatFixed(one.serverCpuPerLoadS * 1000, 0)} ms/s, redis-server ${formatFixed(three.redisCpuPerLoadS * 1000, 0)} against ${formatFixed(one.redisCpuPerLoadS * 1000, 0)} ms/s`)
  }
  for (const r of runs.filter(r => r.dropped > 0 || r.p99Ms > 20)) {
    const worst = r.timeline.filter(point => point.dropped > 0 || point.p99Ms > 20)
    out.push(`${r.model}, ${r.agents} agent${r.agents > 1
      ? 's'
      : ''}: ${formatCount(r.dropped)} arrivals dropped, p99 ${formatFixed(r.p99Ms, 1)} ms; seconds with drops or a p99 above 20 ms: ${worst.map(point => `${point.second} (${point.dropped} dropped, p99 ${formatFixed(point.p99Ms, 1)} ms, machine ${formatFixed((r.machineBusyBySecond[point.second] ?? Number.NaN) * 100, 0)} % busy)`).join(', ') || 'none'}; workers' schedule slip p99 ${r.health.map(worker => formatFixed(worker.slipP99Ms, 1)).join(', ')} ms, dropped late ${r.health.map(worker => worker.droppedLate).join(', ')}`)
  }
  for (const r of runs.filter(r => r.clock.untraced > 0))
    out.push(`${r.model}, ${r.agents} agents: ${r.clock.untraced} of ${r.clock.connections} connections could not be traced to an agent (closed between two looks at /proc)`)
  out.push('CPU over the load\'s own window (the common start to the last response), so the claim, the agents\' pools and the teardown are apart; the coordinator\'s from process.cpuUsage() in it, the agents\', target\'s and redis-server\'s from /proc/<pid>/stat read every 100 ms. Redis\' bytes and commands over the whole runLoad() call (claim to teardown, INFO stats, less the readings\' own), per second of load.')
  out.push('A snapshot\'s size follows its histograms (how spread the latencies are, how many endpoints), not the request rate: the projection holds for one endpoint with latencies like these.')
  out.push('1st request after start: the server\'s time of the first request of the connections traced to each agent (client port → socket inode in /proc/net/tcp → the agent\'s /proc/<pid>/fd), moved onto the wall clock (as startedAt and Redis\' clock are: each thread\'s performance.timeOrigin is off it by a few ms), less the run\'s common start (startedAt); spread = the latest agent\'s first request less the earliest\'s. In the open model the schedule itself puts worker k\'s first arrival k/rate after the start.')
  return out
}

async function writeReport(startedAt, header, runs, idle, projected) {
  await mkdir(resultsDir, { recursive: true })
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')
  const base = new URL(`distributed-${stamp}`, resultsDir)
  const machine = {
    cpus: availableParallelism(),
    model: cpus()[0]?.model,
    loadAverageAtStart: loadavg(),
    node: process.version,
    redis: execFileSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' }).trim(),
  }
  await writeFile(`${base.pathname}.json`, `${JSON.stringify({
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    settings,
    runs,
    idle,
    projection: projected.figures,
  }, null, 2)}\n`)
  const md = [
    `# Distributed bench, ${startedAt.toISOString()}`,
    '',
    header,
    '',
    ...tables(runs).flatMap(table => [
      `## ${table.title}`,
      '',
      mdTable(table.headers, table.rows),
      '',
    ]),
    `## On paper: ${settings.projectedAgents} agents`,
    '',
    '```',
    ...projected.lines,
    '```',
    '',
    '## Notes',
    '',
    ...notes(runs).map(note => `- ${note}`),
    '',
  ].join('\n')
  await writeFile(`${base.pathname}.md`, md)
  return base.pathname
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date()
  const header = `vitest-load distributed bench: 1 agent, then 3 (--workers ${settings.workersPerAgent} each), closed ${MODELS[0].describe()} and open ${MODELS[1].describe()}; target ${settings.delayMs} ms; ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg().map(v => v.toFixed(2)).join(' ')}, Node ${process.version}`
  log(header)
  endChildrenOnSignal()
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: npm run build first (npm run bench:distributed does)`)
  ensureRedis()
  let redis
  let server
  let coordinator
  let client
  const agentSets = []
  try {
    redis = await startRedis()
    server = startChild(SELF, {
      env: {
        [ROLE_ENV]: 'server',
        BENCH_DIST_DELAY_MS: String(settings.delayMs),
      },
    })
    forked.add(server.pid)
    const target = await server.request({ type: 'listen' }, 10_000)
    coordinator = startChild(SELF, {
      env: { [ROLE_ENV]: 'coordinator', VITEST_LOAD_REPORTER: '1' },
      quiet: true,
    })
    forked.add(coordinator.pid)
    log(`redis-server on ${redis.url} (pid ${redis.pid}), target on ${target.url} (pid ${server.pid}), coordinator pid ${coordinator.pid}\n`)
    const { Redis } = await import('ioredis')
    client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectionName: 'bench' })
    await client.connect()
    // one INFO reading's own traffic: between two readings, the second's command and the first's reply
    await redisStats(client)
    const r1 = await redisStats(client)
    const r2 = await redisStats(client)
    const overhead = redisDelta(r1, r2, { inBytes: 0, outBytes: 0, commands: 0 })
    const runs = []
    const idle = []
    for (const count of settings.agentCounts) {
      const namespace = `bench-${count}-${randomUUID().slice(0, 8)}`
      log(`${count} agent${count > 1
        ? 's'
        : ''}: starting…`)
      const agents = await startAgents(redis.url, namespace, count)
      agentSets.push(agents)
      const telemetrySeen = new Set()
      idle.push(await measureIdle(client, overhead, count, 2000))
      for (const model of MODELS) {
        log(`  ${model.name}: ${model.describe()}…`)
        const result = await measureRun({
          model,
          agents,
          namespace,
          redis,
          client,
          overhead,
          server,
          target,
          coordinator,
          telemetrySeen,
        })
        runs.push(result)
        log(`    ${formatCount(result.serverRequests)} at the server, ${formatCount(result.runRequests)} in the run, ${formatCount(result.dropped)} dropped; ${formatFixed(result.callS, 1)} s for the call`)
      }
      const codes = await Promise.all(agents.map(agent => stopProcess(agent.child)))
      agentSets.splice(agentSets.indexOf(agents), 1)
      codes.forEach((code, index) => {
        if (code !== 0)
          log(`agent-${index} exited with ${code}:\n${agents[index].output().slice(-2000)}`)
      })
    }
    log()
    for (const table of tables(runs)) {
      log(table.title)
      log(formatTable(table.headers, table.rows))
      log()
    }
    const projected = projection(runs, idle)
    log(`On paper, ${settings.projectedAgents} agents:`)
    for (const text of projected.lines)
      log(text)
    log()
    for (const note of notes(runs))
      log(note)
    const file = await writeReport(startedAt, header, runs, idle, projected)
    log(`\nresults: ${file}.md and .json (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s)`)
    if (runs.some(r => !r.equal)) {
      log('the requests counted at the server and in the run differ: see the first table')
      process.exitCode = 1
    }
  }
  finally {
    client?.disconnect()
    for (const agents of agentSets)
      await Promise.all(agents.map(agent => stopProcess(agent.child)))
    // each disconnected, then killed by its PID if it lingers
    await coordinator?.stop()
    await server?.stop()
    forked.clear()
    if (redis)
      await stopProcess(redis.child, 'SIGKILL')
    // anything still running (a start that failed half-way): by its PID
    await Promise.all([...children].map(child => stopProcess(child, 'SIGKILL')))
  }
}

const role = process.env[ROLE_ENV]
if (role === 'server') {
  serveTarget()
}
else if (role === 'coordinator') {
  serveCoordinator()
}
else {
  main().catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
}
