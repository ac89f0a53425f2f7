import type { DurationInput } from './duration.js'
import type { RequestSite } from './request-parts.js'
import type { BreakSpec, LoadSpec, LoadTestSpec, ObserveSpec, RequestSpec, StepsSpec } from './spec.js'
import type { LoadTestOptions, StatusMatcher } from './types.js'
import { existsSync } from 'node:fs'
import { InvalidOptionsError } from '../errors.js'
import { describeValue } from './describe-value.js'
import { parseDurationMs } from './duration.js'
import { parseRatePerSec } from './rate.js'
import { isSecretName, REDACTED, redactPath } from './redact.js'
import { checkBody, checkHeaders, checkMethod, checkQuery, checkStatuses, DEFAULT_SUCCESS, withQuery } from './request-parts.js'
import { scenarioRunName, validateScenarioOption } from './scenario-option.js'

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_DURATION_MS = 600_000
export const DEFAULT_GRACEFUL_STOP_MS = 30_000
/** The heap a worker thread may use (`workerMemoryMb`) before it is stopped as out of memory. */
export const DEFAULT_WORKER_MEMORY_MB = 1024
/** Below this a worker cannot load its modules and undici. */
const MIN_WORKER_MEMORY_MB = 32
/** The error budget every load test checks unless it sets `errorBudget`: 1 % of requests. */
export const DEFAULT_ERROR_BUDGET = 0.01
/** A bound on the steps of a breaking-point search, which also bounds its planned duration. */
const MAX_STEPS = 1000

const TOP_LEVEL_KEYS = [
  'target',
  'request',
  'scenario',
  'secrets',
  'load',
  'workers',
  'distributed',
  'workerMemoryMb',
  'errorBudget',
  'warmup',
  'observe',
]
const REQUEST_KEYS = [
  'method',
  'path',
  'headers',
  'query',
  'json',
  'body',
  'timeout',
  'expectStatus',
  'name',
  'secrets',
]
const CLOSED_KEYS = [
  'users',
  'duration',
  'iterations',
  'maxDuration',
  'rampUp',
  'spawnRate',
]
const OPEN_KEYS = ['rate', 'duration', 'maxUsers']
const RAMPING_RATE_KEYS = ['stages', 'startRate', 'maxUsers']
const RAMPING_USERS_KEYS = ['stages', 'startUsers', 'gracefulStop']
/** An HTTP token (RFC 9110): what a method and a header name may consist of. */
/** `'GET /users'`, `'POST /users?x=1'`, `'GET http://127.0.0.1:3000/health'`. */
const NAME_AS_REQUEST = /^([A-Z]+)\s+(\/\S*|https?:\/\/\S+)$/

interface Context {
  problems: string[]
  /** The load test has a name of the user's (loadTest, or runLoad with `name`), which may be the request. */
  named: boolean
  /** Set by a step test or a breaking-point search, beside the stepped load it returns. */
  steps?: StepsSpec
}

type Bag = Record<string, unknown>

function isObject(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function checkKnownKeys(bag: Bag, path: string, known: readonly string[], ctx: Context): void {
  for (const key of Object.keys(bag)) {
    if (known.includes(key) || bag[key] === undefined)
      continue
    // the value is not shown: `request.header: { authorization: … }` is a likely typo
    const suggestion = suggestKey(key, path, known)
    ctx.problems.push(`${path}${key} is not an option; the options here are ${known.join(', ')}`
      + `${suggestion === undefined
        ? ''
        : `. Did you mean ${suggestion}?`}`)
  }
}

/** The option the user probably meant: a near miss at the same level, or a request or load option written at the top. */
function suggestKey(key: string, path: string, known: readonly string[]): string | undefined {
  const near = known.find(option => option.toLowerCase() === key.toLowerCase())
    ?? known.find(option => editDistance(option, key) <= (option.length >= 7
      ? 2
      : 1))
  if (near !== undefined)
    return `${path}${near}`
  if (path === '' && REQUEST_KEYS.includes(key))
    return `request.${key}`
  if (path === '' && [
    ...CLOSED_KEYS,
    ...OPEN_KEYS,
    ...RAMPING_RATE_KEYS,
    ...RAMPING_USERS_KEYS,
  ].includes(key)) {
    return `load.${key}`
  }
  return undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1]
        ? 0
        : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}

function checkDuration(value: DurationInput | undefined, path: string, example: string, ctx: Context): number | undefined {
  const ms = parseDurationMs(value)
  if (ms !== undefined && ms > 0)
    return ms
  ctx.problems.push(`${path} must be a duration above zero such as '30s', '2m' or 1500 (ms), got ${describeValue(value)}. Example: ${example}`)
  return undefined
}

/**
 * Checks every option of one load test and returns the normalised spec, or throws one
 * `InvalidOptionsError` listing every problem found. Nothing is sent before this passes.
 */
export function validateOptions(testName: string, options: unknown, defaultWorkers: number, settings: { named?: boolean } = {}): LoadTestSpec {
  const ctx: Context = { problems: [], named: settings.named ?? true }
  if (!isObject(options)) {
    ctx.problems.push(`options must be an object, got ${describeValue(options)}. Example: { target: 'http://127.0.0.1:3000', load: { users: 10, duration: '30s' } }`)
    throw new InvalidOptionsError(testName, ctx.problems)
  }
  checkKnownKeys(options, '', TOP_LEVEL_KEYS, ctx)
  const input = options as unknown as LoadTestOptions
  // secrets of the whole test: of the declarative request, or of what a scenario's ctx.http sends
  const secrets = validateSecrets(input.secrets, 'secrets', `secrets: ['x-api-key', 'password']`, ctx)
  // with a scenario module, the request is only the defaults of its ctx.http: the target's origin
  // and base path, the timeout and the expected statuses
  const scenario = input.scenario === undefined
    ? undefined
    : validateScenarioOption(input, ctx.problems)
  const request = input.scenario === undefined
    ? validateRequest(testName, input, secrets ?? [], ctx)
    : scenario && input.request === undefined && input.target !== undefined
      ? validateRequest(testName, {
          target: input.target,
          request: {
            path: '/',
            name: scenarioRunName(scenario),
          },
          load: input.load,
        }, secrets ?? [], ctx)
      : undefined
  const load = validateLoad(input.load, ctx)
  const workers = validateWorkers(input.workers, load, defaultWorkers, ctx)
  const workerMemoryMb = validateWorkerMemory(input.workerMemoryMb, ctx)
  const errorBudget = validateErrorBudget(input.errorBudget, ctx)
  const warmupMs = validateWarmup(input.warmup, load, ctx)
  const observe = validateObserve(input.observe, ctx)
  if (input.distributed !== undefined && typeof input.distributed !== 'boolean')
    ctx.problems.push(`distributed must be true or false, got ${describeValue(input.distributed)}. Example: distributed: false (this test stays on this machine)`)
  if (ctx.problems.length > 0 || !request || !load || workers === undefined || errorBudget === undefined || warmupMs === undefined)
    throw new InvalidOptionsError(testName, ctx.problems)
  return {
    name: testName,
    request,
    ...(scenario && { scenario }),
    load,
    ...(ctx.steps && { steps: ctx.steps }),
    workers,
    ...(input.distributed === false && { distributed: false as const }),
    workerMemoryMb,
    // a breaking-point search whose condition includes an error rate judges errors itself
    errorBudget: input.errorBudget === undefined && ctx.steps?.until?.errorRateAbove !== undefined
      ? false
      : errorBudget,
    ...(warmupMs > 0 && { warmupMs }),
    ...(observe && { observe }),
  }
}

/**
 * `observe`: a process that exists now (or `'self'`), on Linux, where `/proc` tells its figures; a
 * Prometheus URL and the metric families to keep. Whether the endpoint answers is checked later,
 * still before the load.
 */
function validateObserve(raw: unknown, ctx: Context): ObserveSpec | undefined {
  if (raw === undefined)
    return undefined
  const example = `observe: { process: server.pid }`
  if (!isObject(raw)) {
    ctx.problems.push(`observe must be an object saying what to watch on the target, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(raw, 'observe.', ['process', 'prometheus'], ctx)
  const spec: ObserveSpec = {}
  if (raw.process !== undefined) {
    if (raw.process !== 'self' && !positiveInteger(raw.process)) {
      ctx.problems.push(`observe.process must be a process id (a whole number above 0) or 'self' for a target in the test process, got ${describeValue(raw.process)}. Example: ${example}, or observe: { process: 'self' }`)
    }
    else if (process.platform !== 'linux') {
      ctx.problems.push(`observe.process reads /proc, which only Linux has (this is ${process.platform}); use observe.prometheus with the target's own metrics instead`)
    }
    else if (raw.process !== 'self' && !existsSync(`/proc/${raw.process}/stat`)) {
      ctx.problems.push(`observe.process: there is no process ${raw.process} on this machine (it has ended, or runs in another container). Give the pid of the running target, e.g. observe: { process: child.pid }`)
    }
    else {
      spec.process = raw.process
    }
  }
  if (raw.prometheus !== undefined) {
    const prometheus = raw.prometheus
    const prometheusExample = `observe: { prometheus: { url: 'http://127.0.0.1:9100/metrics', metrics: ['process_resident_memory_bytes'] } }`
    const url = isObject(prometheus) && typeof prometheus.url === 'string' && URL.canParse(prometheus.url)
      ? new URL(prometheus.url)
      : undefined
    const metrics = isObject(prometheus)
      ? prometheus.metrics
      : undefined
    if (!isObject(prometheus)) {
      ctx.problems.push(`observe.prometheus must be an object with the url and the metrics to keep, got ${describeValue(prometheus)}. Example: ${prometheusExample}`)
    }
    else {
      checkKnownKeys(prometheus, 'observe.prometheus.', ['url', 'metrics'], ctx)
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        ctx.problems.push(`observe.prometheus.url must be an http(s) URL of the metrics, got ${url
          // a URL may hold a user and password: the message shows neither
          ? `one of protocol ${url.protocol}`
          : describeValue(typeof prometheus.url === 'string' && prometheus.url.includes('@')
              ? '[a string with credentials]'
              : prometheus.url)}. Example: ${prometheusExample}`)
      }
      if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every(name => typeof name === 'string' && /^[a-z_:][\w:]*$/i.test(name))) {
        ctx.problems.push(`observe.prometheus.metrics must be a list of metric family names, as in their # TYPE lines, got ${describeValue(metrics)}. Example: ${prometheusExample}`)
      }
      else if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
        spec.prometheus = {
          url: prometheus.url as string,
          metrics: [
            ...new Set(metrics as string[]),
          ],
        }
      }
    }
  }
  if (raw.process === undefined && raw.prometheus === undefined)
    ctx.problems.push(`observe needs process, prometheus or both, got ${describeValue(raw)}. Example: ${example}`)
  return spec.process !== undefined || spec.prometheus !== undefined
    ? spec
    : undefined
}

/** Whole seconds, shorter than the run and than a step (step test or breaking-point search); 0 when absent. */
function validateWarmup(raw: unknown, load: LoadSpec | undefined, ctx: Context): number | undefined {
  if (raw === undefined)
    return 0
  const example = `warmup: '5s'`
  const ms = checkDuration(raw as DurationInput, 'warmup', example, ctx)
  if (ms === undefined)
    return undefined
  const shown = typeof raw === 'string'
    ? `'${raw}'`
    : `${String(raw)} ms`
  if (ms % 1000 !== 0) {
    ctx.problems.push(`warmup must be whole seconds, since the run is measured second by second, got ${shown}. Example: ${example}`)
    return undefined
  }
  if (!load)
    return ms
  if (load.kind === 'closed' && load.durationMs === null) {
    ctx.problems.push(`warmup needs a run of a known length: with load.iterations the run is a count of requests, and a warm-up would leave out an unknown share of them. Use load.duration instead, e.g. load: { users: 5, duration: '30s' }, ${example}`)
    return undefined
  }
  if (ctx.steps && ms >= ctx.steps.durationsMs[0]!) {
    ctx.problems.push(`warmup ${shown} must be shorter than a step (${ctx.steps.durationsMs[0]! / 1000} s): the first step is judged on its seconds after the warm-up. Example: ${example} with stepDuration: '10s'`)
    return undefined
  }
  if (ms >= load.durationMs!) {
    ctx.problems.push(`warmup ${shown} must be shorter than the run (${load.durationMs! / 1000} s), or nothing would be judged. Example: ${example} with load: { users: 10, duration: '30s' }`)
    return undefined
  }
  return ms
}

/** A ratio from 0 to 1, or `false`; absent means the default 1 %. */
function validateErrorBudget(raw: unknown, ctx: Context): number | false | undefined {
  if (raw === undefined)
    return DEFAULT_ERROR_BUDGET
  if (raw === false || (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 && raw <= 1))
    return raw
  ctx.problems.push(`errorBudget must be a ratio from 0 to 1 (0.01 is 1 %) of requests that may fail, or false to turn the check off, got ${describeValue(raw)}. Example: errorBudget: 0.05`)
  return undefined
}

/** `topSecrets`: the names of the top-level `secrets`, added to those of `request.secrets`. */
function validateRequest(testName: string, options: LoadTestOptions, topSecrets: readonly string[], ctx: Context): RequestSpec | undefined {
  const raw: unknown = options.request ?? {}
  if (!isObject(raw)) {
    ctx.problems.push(`request must be an object, got ${describeValue(raw)}. Example: request: { method: 'POST', path: '/users', json: { name: 'jeremy' } }`)
    return undefined
  }
  checkKnownKeys(raw, 'request.', REQUEST_KEYS, ctx)
  // first: the messages below must not show the values of secret names
  const requestSecrets = validateSecrets(raw.secrets, 'request.secrets', `request: { secrets: ['x-api-key', 'password'] }`, ctx)
  const secrets = requestSecrets && [
    ...new Set([
      ...topSecrets,
      ...requestSecrets,
    ]),
  ]
  const fromName = NAME_AS_REQUEST.exec(testName)

  const site: RequestSite = {
    field: 'request.',
    example: options => `Example: request: { ${options} }`,
    problem: message => ctx.problems.push(message),
    isSecret: name => isSecretName(name, secrets ?? []),
  }
  const method = checkMethod(raw.method, fromName?.[1] ?? 'GET', site)

  let rawPath = fromName?.[2] ?? '/'
  if (ctx.named && !fromName && raw.path === undefined) {
    // never a silent `GET /`: a name that is not a request needs the request spelled out (runLoad()
    // without a name has no name to misread: its target, as a URL to autocannon, is the request)
    ctx.problems.push(`the name does not say what to send, and neither request.path nor scenario does: name the load test 'METHOD /path', `
      + `e.g. loadTest('GET /users', { target, load }), or keep the name and add request: { method: 'GET', path: '/users' }`)
  }
  if (raw.path !== undefined) {
    if (typeof raw.path === 'string' && (raw.path.startsWith('/') || /^https?:\/\//.test(raw.path))) {
      rawPath = raw.path
    }
    else {
      ctx.problems.push(`request.path must be a path starting with '/' or a full http(s) URL, got ${describeValue(typeof raw.path === 'string'
        ? redactPath(raw.path, secrets)
        : raw.path)}. Example: request: { path: '/users?page=2' }`)
    }
  }

  const url = resolveUrl(options.target, rawPath, ctx)
  const headers = checkHeaders(raw.headers, site)
  const query = checkQuery(raw.query, site)
  const body = checkBody(raw, headers, site)
  const timeoutMs = raw.timeout === undefined
    ? DEFAULT_REQUEST_TIMEOUT_MS
    : checkDuration(raw.timeout as DurationInput, 'request.timeout', `request: { timeout: '5s' }`, ctx)
  const successStatuses = checkStatuses(raw.expectStatus, [
    [...DEFAULT_SUCCESS],
  ], site)

  let name = fromName ? testName : undefined
  if (raw.name !== undefined) {
    if (typeof raw.name === 'string' && raw.name.trim() !== '')
      name = raw.name
    else
      ctx.problems.push(`request.name must be a non-empty string that names the endpoint in results, got ${describeValue(raw.name)}. Example: request: { name: 'GET /items/[id]' }`)
  }
  if (!method || !url || !headers || !query || body === undefined || timeoutMs === undefined || !successStatuses || !secrets)
    return undefined
  const path = withQuery(`${url.pathname}${url.search}`, query)
  return {
    // a secret query value never reaches the name, which every report and message shows
    name: name ?? `${method} ${redactPath(path, secrets)}`,
    method,
    origin: url.origin,
    path,
    headers,
    ...(secrets.length > 0 && { secrets }),
    body,
    timeoutMs,
    successStatuses,
  }
}

function resolveUrl(target: unknown, path: string, ctx: Context): URL | undefined {
  const absolutePath = /^https?:\/\//.test(path)
  if (target === undefined) {
    if (absolutePath)
      return new URL(path)
    ctx.problems.push(`target is required unless request.path is a full URL, got \`undefined\`. Example: target: 'http://127.0.0.1:3000'`)
    return undefined
  }
  let base: URL | undefined
  try {
    base = typeof target === 'string'
      ? new URL(target)
      : undefined
  }
  catch {}
  if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:') || base.search !== '' || base.hash !== '') {
    // a query or fragment may hold a token: shown by its names only
    const shown = typeof target === 'string'
      ? target.replace(/([?&#][^=&#]*=)[^&#]*/g, `$1${REDACTED}`)
      : target
    ctx.problems.push(`target must be an http(s) base URL without query or fragment, got ${describeValue(shown)}. Example: target: 'http://127.0.0.1:3000'`)
    return undefined
  }
  if (absolutePath)
    return new URL(path)
  // A base path in the target is kept: 'http://h/api' + '/users' → 'http://h/api/users'.
  // Joined as text, not resolved against the origin: '//x' must stay a path, not become host x.
  const basePath = base.pathname.replace(/\/+$/, '')
  return new URL(`${base.origin}${basePath}${path}`)
}

function validateSecrets(raw: unknown, path: string, example: string, ctx: Context): string[] | undefined {
  if (raw === undefined)
    return []
  if (Array.isArray(raw) && raw.every(name => typeof name === 'string' && name.trim() !== '')) {
    return [
      ...new Set((raw as string[]).map(name => name.trim().toLowerCase())),
    ]
  }
  ctx.problems.push(`${path} must be an array of names of headers, query parameters or JSON fields whose values are secret, got ${describeValue(raw)}. Example: ${example}`)
  return undefined
}

function validateLoad(raw: unknown, ctx: Context): LoadSpec | undefined {
  const example = `load: { users: 10, duration: '30s' }`
  if (!isObject(raw)) {
    ctx.problems.push(`load must be an object describing the load model, got ${describeValue(raw)}. Example: ${example}, load: { users: 5, iterations: 20 } or load: { rate: 200, duration: '30s' }`)
    return undefined
  }
  if (raw.breakingPoint !== undefined)
    return validateBreakingPoint(raw, ctx)
  if (raw.steps !== undefined)
    return validateStepTest(raw, ctx)
  if (raw.spike !== undefined)
    return validateSpike(raw, ctx)
  if (raw.stages !== undefined)
    return validateStages(raw, ctx)
  if (raw.rate !== undefined)
    return validateOpen(raw, ctx)
  return validateClosed(raw, ctx)
}

/** Options that belong to another model than the one the user chose: say which, and what to write instead. */
function checkModelKeys(raw: Bag, model: string, known: readonly string[], ctx: Context): void {
  const hints: Record<string, string> = {
    users: known.includes('maxUsers')
      ? `load.users belongs to the closed model; ${model} sets load.maxUsers for the most requests in flight`
      : `load.users is not an option of ${model}: each stage sets its users, and load.startUsers those at the start`,
    maxUsers: `load.maxUsers only applies to open models (load.rate, or stages with rate); ${known.includes('users')
      ? 'for a closed model set load.users instead'
      : `${model} runs as many users as its stages reach`}`,
    iterations: `load.iterations belongs to the closed model { users, iterations }; ${model} runs for a duration`,
    maxDuration: `load.maxDuration only applies to the closed model with load.iterations`,
    duration: `load.duration is not an option of a ramp: each stage has its own duration`,
    startRate: `load.startRate only applies to stages with rate`,
    startUsers: `load.startUsers only applies to stages with users`,
    gracefulStop: `load.gracefulStop only applies to stages with users`,
    rate: `load.rate and load.stages cannot both be set: give a constant rate or stages`,
  }
  const foreign = Object.keys(raw).filter(key => raw[key] !== undefined && !known.includes(key))
  for (const key of foreign) {
    if (hints[key])
      ctx.problems.push(hints[key]!)
  }
  checkKnownKeys(Object.fromEntries(foreign.filter(key => !hints[key]).map(key => [key, raw[key]])), 'load.', known, ctx)
}

function validateClosed(raw: Bag, ctx: Context): LoadSpec | undefined {
  const example = `load: { users: 10, duration: '30s' }`
  checkModelKeys(raw, 'the closed model', CLOSED_KEYS, ctx)
  const users = raw.users
  if (!positiveInteger(users))
    ctx.problems.push(`load.users must be a whole number of virtual users above 0, got ${describeValue(users)}. Example: ${example}`)

  const hasDuration = raw.duration !== undefined
  const hasIterations = raw.iterations !== undefined
  if (hasDuration === hasIterations) {
    ctx.problems.push(hasDuration
      ? `load.duration and load.iterations cannot both be set: a closed model runs for a time or for a number of iterations. Example: ${example} or load: { users: 5, iterations: 20 }`
      : `load needs load.duration or load.iterations (closed model), or load.rate (open model), got none of them. Example: ${example}, load: { users: 5, iterations: 20 } or load: { rate: 200, duration: '30s' }`)
    return undefined
  }
  if (hasIterations && !positiveInteger(raw.iterations))
    ctx.problems.push(`load.iterations must be a whole number of requests per user above 0, got ${describeValue(raw.iterations)}. Example: load: { users: 5, iterations: 20 }`)
  if (hasDuration && raw.maxDuration !== undefined)
    ctx.problems.push(`load.maxDuration only applies with load.iterations; with load.duration the run ends on its own. Remove load.maxDuration or use load: { users: 5, iterations: 20, maxDuration: '1m' }`)

  const durationMs = hasDuration
    ? checkDuration(raw.duration as DurationInput, 'load.duration', example, ctx)
    : null
  const maxDurationMs = hasIterations && raw.maxDuration !== undefined
    ? checkDuration(raw.maxDuration as DurationInput, 'load.maxDuration', `load: { users: 5, iterations: 20, maxDuration: '1m' }`, ctx)
    : DEFAULT_MAX_DURATION_MS
  const rampUpMs = validateRampUp(raw, positiveInteger(users)
    ? users
    : undefined, durationMs ?? maxDurationMs, ctx)
  if (!positiveInteger(users) || durationMs === undefined || maxDurationMs === undefined || rampUpMs === undefined || (hasIterations && !positiveInteger(raw.iterations)))
    return undefined
  return {
    kind: 'closed',
    users,
    durationMs,
    iterationsPerUser: hasIterations ? raw.iterations as number : null,
    maxDurationMs: durationMs ?? maxDurationMs,
    rampUpMs,
  }
}

/**
 * `load.rampUp` or `load.spawnRate` of the closed model, as the time over which the users start;
 * 0 without either. The ramp must end before the run does (`lengthMs`, when known).
 */
function validateRampUp(raw: Bag, users: number | undefined, lengthMs: number | undefined, ctx: Context): number | undefined {
  if (raw.rampUp !== undefined && raw.spawnRate !== undefined) {
    ctx.problems.push(`load.rampUp and load.spawnRate cannot both be set: both say how fast the users start. Example: load: { users: 50, duration: '1m', rampUp: '10s' } or load: { users: 50, duration: '1m', spawnRate: 5 }`)
    return undefined
  }
  let rampUpMs = 0
  if (raw.rampUp !== undefined) {
    const ms = checkDuration(raw.rampUp as DurationInput, 'load.rampUp', `load: { users: 50, duration: '1m', rampUp: '10s' }`, ctx)
    if (ms === undefined)
      return undefined
    rampUpMs = ms
  }
  else if (raw.spawnRate !== undefined) {
    const rate = raw.spawnRate
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      ctx.problems.push(`load.spawnRate must be a number of users started per second above 0, got ${describeValue(rate)}. Example: load: { users: 50, duration: '1m', spawnRate: 5 }`)
      return undefined
    }
    if (users === undefined)
      return undefined
    rampUpMs = Math.round(users / rate * 1000)
  }
  if (lengthMs !== undefined && rampUpMs >= lengthMs) {
    const what = raw.rampUp !== undefined
      ? `load.rampUp ${typeof raw.rampUp === 'string'
        ? `'${raw.rampUp}'`
        : `${String(raw.rampUp)} ms`}`
      : `load.spawnRate ${String(raw.spawnRate)} (${users} users over ${rampUpMs / 1000} s)`
    ctx.problems.push(`${what} must start the users before the run ends, within ${lengthMs / 1000} s: the ramp is part of the run's length, not added to it. Example: load: { users: 50, duration: '1m', rampUp: '10s' }`)
    return undefined
  }
  return rampUpMs
}

function checkRate(value: unknown, path: string, example: string, ctx: Context, allowZero: boolean): number | undefined {
  const perSec = parseRatePerSec(value)
  if (perSec !== undefined && (allowZero || perSec > 0))
    return perSec
  ctx.problems.push(`${path} must be a number of arrivals per second${allowZero ? ', 0 or more' : ' above 0'}, or a string such as '200/s' or '600/m', got ${describeValue(value)}. Example: ${example}`)
  return undefined
}

function checkMaxUsers(raw: Bag, peakRatePerSec: number | undefined, ctx: Context): number | undefined {
  if (raw.maxUsers === undefined) {
    return peakRatePerSec === undefined
      ? undefined
      : Math.max(1, Math.ceil(peakRatePerSec))
  }
  if (positiveInteger(raw.maxUsers))
    return raw.maxUsers
  ctx.problems.push(`load.maxUsers must be a whole number of users above 0 (the most requests in flight), got ${describeValue(raw.maxUsers)}. Example: load: { rate: 200, duration: '30s', maxUsers: 50 }`)
  return undefined
}

function validateOpen(raw: Bag, ctx: Context): LoadSpec | undefined {
  const example = `load: { rate: 200, duration: '30s' }`
  checkModelKeys(raw, 'the open model', OPEN_KEYS, ctx)
  const rate = checkRate(raw.rate, 'load.rate', example, ctx, false)
  const durationMs = raw.duration === undefined
    ? (ctx.problems.push(`load.rate needs load.duration: how long arrivals keep coming, got \`undefined\`. Example: ${example}`), undefined)
    : checkDuration(raw.duration as DurationInput, 'load.duration', example, ctx)
  const users = checkMaxUsers(raw, rate, ctx)
  if (rate === undefined || durationMs === undefined || users === undefined)
    return undefined
  return {
    kind: 'open',
    users,
    rate: {
      start: rate,
      stages: [
        { durationMs, target: rate },
      ],
    },
    durationMs,
    constantRate: true,
  }
}

function validateStages(raw: Bag, ctx: Context): LoadSpec | undefined {
  const rateExample = `load: { stages: [{ duration: '30s', rate: 100 }, { duration: '1m', rate: 100 }] }`
  const usersExample = `load: { stages: [{ duration: '10s', users: 20 }, { duration: '1m', users: 20 }] }`
  const stages = raw.stages
  if (!Array.isArray(stages) || stages.length === 0 || !stages.every(isObject)) {
    ctx.problems.push(`load.stages must be a non-empty array of { duration, rate } or { duration, users }, got ${describeValue(stages)}. Example: ${rateExample}`)
    return undefined
  }
  const byRate = stages.some(stage => stage.rate !== undefined)
  const byUsers = stages.some(stage => stage.users !== undefined)
  if (byRate === byUsers) {
    ctx.problems.push(byRate
      ? `load.stages must all set rate (open model) or all set users (closed model), not a mix. Example: ${rateExample} or ${usersExample}`
      : `load.stages[0] must set rate (arrivals per second) or users, got ${describeValue(stages[0])}. Example: ${rateExample} or ${usersExample}`)
    return undefined
  }
  checkModelKeys(raw, byRate ? 'a ramping rate' : 'a ramp of users', byRate ? RAMPING_RATE_KEYS : RAMPING_USERS_KEYS, ctx)
  const example = byRate ? rateExample : usersExample
  const parsed = stages.map((stage: Bag, index) => {
    const path = `load.stages[${index}]`
    checkKnownKeys(stage, `${path}.`, [
      'duration',
      byRate ? 'rate' : 'users',
    ], ctx)
    const durationMs = parseDurationMs(stage.duration)
    if (durationMs === undefined)
      ctx.problems.push(`${path}.duration must be a duration such as '30s', '2m' or 1500 (ms), 0 for a step, got ${describeValue(stage.duration)}. Example: ${example}`)
    const target = byRate
      ? checkRate(stage.rate, `${path}.rate`, example, ctx, true)
      : checkUsers(stage.users, `${path}.users`, example, ctx)
    return durationMs === undefined || target === undefined
      ? undefined
      : { durationMs, target }
  })
  const start = byRate
    ? (raw.startRate === undefined
        ? 0
        : checkRate(raw.startRate, 'load.startRate', `load: { startRate: 10, stages: [{ duration: '1m', rate: 100 }] }`, ctx, true))
    : (raw.startUsers === undefined
        ? 0
        : checkUsers(raw.startUsers, 'load.startUsers', `load: { startUsers: 5, stages: [{ duration: '1m', users: 50 }] }`, ctx))
  if (start === undefined || parsed.includes(undefined))
    return undefined
  const profile = { start, stages: parsed as Array<{ durationMs: number, target: number }> }
  const durationMs = profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  const peak = Math.max(start, ...profile.stages.map(stage => stage.target))
  if (durationMs <= 0 || peak <= 0) {
    ctx.problems.push(durationMs <= 0
      ? `load.stages must last longer than 0 in all, got stages of 0 ms. Example: ${example}`
      : `load.stages must reach a ${byRate ? 'rate' : 'number of users'} above 0 somewhere, got 0 throughout. Example: ${example}`)
    return undefined
  }
  if (byRate) {
    const users = checkMaxUsers(raw, peak, ctx)
    return users === undefined
      ? undefined
      : {
          kind: 'open',
          users,
          rate: profile,
          durationMs,
          constantRate: false,
        }
  }
  const gracefulStopMs = raw.gracefulStop === undefined
    ? DEFAULT_GRACEFUL_STOP_MS
    : parseDurationMs(raw.gracefulStop)
  if (gracefulStopMs === undefined) {
    ctx.problems.push(`load.gracefulStop must be a duration such as '30s' or 0, got ${describeValue(raw.gracefulStop)}. Example: load: { stages: [{ duration: '1m', users: 20 }], gracefulStop: '10s' }`)
    return undefined
  }
  return {
    kind: 'ramping-users',
    users: peak,
    profile,
    durationMs,
    gracefulStopMs,
  }
}

function validateBreakingPoint(raw: Bag, ctx: Context): LoadSpec | undefined {
  const example = `load: { breakingPoint: { users: { start: 10, step: 10, max: 200 }, stepDuration: '10s', until: { p95Above: '100ms' } } }`
  checkKnownKeys(raw, 'load.', ['breakingPoint'], ctx)
  const bp = raw.breakingPoint
  if (!isObject(bp)) {
    ctx.problems.push(`load.breakingPoint must be an object, got ${describeValue(bp)}. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(bp, 'load.breakingPoint.', [
    'users',
    'rate',
    'stepDuration',
    'until',
    'maxUsers',
  ], ctx)
  const by = steppedBy(bp, 'load.breakingPoint', example, ctx)
  if (!by)
    return undefined
  const levels = validateSteps(bp[by], `load.breakingPoint.${by}`, by, example, ctx)
  const stepMs = validateStepDuration(bp.stepDuration, 'load.breakingPoint.stepDuration', example, ctx)
  const until = validateUntil(bp.until, example, ctx)
  const users = stepUsers(bp, by, levels, 'load.breakingPoint', ctx)
  if (!levels || stepMs === undefined || !until || users === undefined)
    return undefined
  return stepped({
    by,
    levels,
    durationsMs: levels.map(() => stepMs),
    until: until.spec,
    condition: until.description,
  }, users, ctx)
}

function validateStepTest(raw: Bag, ctx: Context): LoadSpec | undefined {
  const example = `load: { steps: { users: [10, 50, 100, 200], stepDuration: '30s' } }`
  checkKnownKeys(raw, 'load.', ['steps'], ctx)
  const steps = raw.steps
  if (!isObject(steps)) {
    ctx.problems.push(`load.steps must be an object of the levels and how long each lasts, got ${describeValue(steps)}. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(steps, 'load.steps.', [
    'users',
    'rate',
    'stepDuration',
    'maxUsers',
  ], ctx)
  const by = steppedBy(steps, 'load.steps', example, ctx)
  if (!by)
    return undefined
  const levels = validateLevels(steps[by], `load.steps.${by}`, by, example, ctx)
  const stepMs = validateStepDuration(steps.stepDuration, 'load.steps.stepDuration', example, ctx)
  const users = stepUsers(steps, by, levels, 'load.steps', ctx)
  if (!levels || stepMs === undefined || users === undefined)
    return undefined
  return stepped({
    by,
    levels,
    durationsMs: levels.map(() => stepMs),
    until: null,
    condition: null,
  }, users, ctx)
}

/** What the steps of `raw` raise: exactly one of `users` (closed model) or `rate` (open model). */
function steppedBy(raw: Bag, path: string, example: string, ctx: Context): 'users' | 'rate' | undefined {
  if ((raw.users === undefined) === (raw.rate === undefined)) {
    ctx.problems.push(`${path} needs exactly one of users (closed model) or rate (open model) to step, got ${raw.users === undefined
      ? 'neither'
      : 'both'}. Example: ${example}`)
    return undefined
  }
  return raw.users === undefined
    ? 'rate'
    : 'users'
}

/** How long a step lasts (`path` is the option's): whole seconds, at least one. */
function validateStepDuration(raw: unknown, path: string, example: string, ctx: Context): number | undefined {
  const stepMs = parseDurationMs(raw)
  if (stepMs !== undefined && stepMs >= 1000 && stepMs % 1000 === 0)
    return stepMs
  ctx.problems.push(`${path} must be a whole number of seconds, at least '1s', so steps line up with the one-second intervals, got ${describeValue(raw)}. Example: ${example}`)
  return undefined
}

/** The users the stepped load may run at once: the highest level of users, or `maxUsers` (default the highest rate). */
function stepUsers(raw: Bag, by: 'users' | 'rate', levels: number[] | undefined, path: string, ctx: Context): number | undefined {
  if (by === 'users') {
    if (raw.maxUsers !== undefined)
      ctx.problems.push(`${path}.maxUsers only applies when stepping rate; with users the steps set the users`)
    return levels && Math.max(...levels)
  }
  return checkMaxUsers(raw, levels && Math.max(...levels), ctx)
}

/**
 * The steps of a step test, a spike or a search: kept in `ctx` for the controller, which measures
 * them, and run as a load, each level held for its step, then a jump (a 0 ms stage) to the next.
 */
function stepped(steps: StepsSpec, users: number, ctx: Context): LoadSpec {
  ctx.steps = steps
  const { by, levels, durationsMs } = steps
  const profile = {
    start: levels[0]!,
    stages: levels.flatMap((level, index) => [
      ...(index === 0
        ? []
        : [
            { durationMs: 0, target: level },
          ]),
      { durationMs: durationsMs[index]!, target: level },
    ]),
  }
  const durationMs = durationsMs.reduce((sum, ms) => sum + ms, 0)
  return by === 'users'
    ? {
        kind: 'ramping-users',
        users,
        profile,
        durationMs,
        gracefulStopMs: DEFAULT_GRACEFUL_STOP_MS,
      }
    : {
        kind: 'open',
        users,
        rate: profile,
        durationMs,
        constantRate: false,
      }
}

/**
 * A spike and the recovery after it: the light load `before`, the `peak` `during`, the light load
 * again `after`, as three steps named `before`, `peak` and `after`.
 */
function validateSpike(raw: Bag, ctx: Context): LoadSpec | undefined {
  const example = `load: { spike: { users: 5, peak: 50, before: '5s', during: '5s', after: '10s' } }`
  checkKnownKeys(raw, 'load.', ['spike'], ctx)
  const spike = raw.spike
  if (!isObject(spike)) {
    ctx.problems.push(`load.spike must be an object of the light load, the peak and how long each phase lasts, got ${describeValue(spike)}. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(spike, 'load.spike.', [
    'users',
    'rate',
    'peak',
    'before',
    'during',
    'after',
    'maxUsers',
  ], ctx)
  const by = steppedBy(spike, 'load.spike', example, ctx)
  if (!by)
    return undefined
  const parse = (value: unknown): number | undefined => by === 'rate'
    ? parseRatePerSec(value)
    : positiveInteger(value)
      ? value
      : undefined
  const light = parse(spike[by])
  const peak = parse(spike.peak)
  const what = by === 'users'
    ? 'a whole number of users above 0'
    : 'a rate above 0 (a number of arrivals per second, or a string such as \'200/s\')'
  if (light === undefined)
    ctx.problems.push(`load.spike.${by} (the light load before and after the peak) must be ${what}, got ${describeValue(spike[by])}. Example: ${example}`)
  if (peak === undefined)
    ctx.problems.push(`load.spike.peak must be ${what}, got ${describeValue(spike.peak)}. Example: ${example}`)
  else if (light !== undefined && peak <= light)
    ctx.problems.push(`load.spike.peak (${peak}) must be above load.spike.${by} (${light}): the peak is the stress. Example: ${example}`)
  const durationsMs = (['before', 'during', 'after'] as const).map(phase => validateStepDuration(spike[phase], `load.spike.${phase}`, example, ctx))
  const levels = light !== undefined && peak !== undefined && peak > light
    ? [light, peak, light]
    : undefined
  const users = stepUsers(spike, by, levels, 'load.spike', ctx)
  if (!levels || users === undefined || durationsMs.includes(undefined))
    return undefined
  return stepped({
    by,
    levels,
    durationsMs: durationsMs as number[],
    phases: ['before', 'peak', 'after'],
    until: null,
    condition: null,
  }, users, ctx)
}

/** The levels of a step test: a list of users or rates above 0, in any order (a step down is a step). */
function validateLevels(raw: unknown, path: string, by: 'users' | 'rate', example: string, ctx: Context): number[] | undefined {
  const parse = (value: unknown): number | undefined => by === 'rate'
    ? parseRatePerSec(value)
    : positiveInteger(value)
      ? value
      : undefined
  const levels = Array.isArray(raw)
    ? raw.map(parse)
    : []
  if (!Array.isArray(raw) || raw.length === 0 || levels.some(level => !level)) {
    ctx.problems.push(`${path} must be a list of ${by === 'users'
      ? 'whole numbers of users'
      : 'rates (a number of arrivals per second, or a string such as \'200/s\')'} above 0, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  if (levels.length > MAX_STEPS) {
    ctx.problems.push(`${path} has ${levels.length} steps, more than ${MAX_STEPS}. Example: ${example}`)
    return undefined
  }
  return levels as number[]
}

function validateSteps(raw: unknown, path: string, by: 'users' | 'rate', example: string, ctx: Context): number[] | undefined {
  const parse = (value: unknown): number | undefined => by === 'rate'
    ? parseRatePerSec(value)
    : positiveInteger(value)
      ? value
      : undefined
  const steps = isObject(raw)
    ? raw
    : {}
  if (isObject(raw))
    checkKnownKeys(raw, `${path}.`, ['start', 'step', 'max'], ctx)
  const [start, step, max] = (['start', 'step', 'max'] as const).map(key => parse(steps[key]))
  if (!isObject(raw) || !start || !step || !max || max < start) {
    ctx.problems.push(`${path} must be { start, step, max } with ${by === 'users'
      ? 'whole numbers of users'
      : 'rates'} above 0 and max ≥ start, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  const levels: number[] = []
  for (let level = start; level <= max + 1e-9 && levels.length <= MAX_STEPS; level += step)
    levels.push(Math.round(level * 1e9) / 1e9)
  if (levels.length > MAX_STEPS) {
    ctx.problems.push(`${path} makes more than ${MAX_STEPS} steps from ${start} to ${max} by ${step}; use a larger step. Example: ${example}`)
    return undefined
  }
  return levels
}

function validateUntil(raw: unknown, example: string, ctx: Context): { spec: BreakSpec, description: string } | undefined {
  if (!isObject(raw)) {
    ctx.problems.push(`load.breakingPoint.until must be an object of conditions such as { p95Above: '100ms', errorRateAbove: 0.01 }, got ${describeValue(raw)}. Example: ${example}`)
    return undefined
  }
  checkKnownKeys(raw, 'load.breakingPoint.until.', [
    'meanAbove',
    'p50Above',
    'p95Above',
    'p99Above',
    'errorRateAbove',
    'check',
  ], ctx)
  const spec: BreakSpec = {}
  const parts: string[] = []
  for (const percentile of ['mean', 'p50', 'p95', 'p99'] as const) {
    const value = raw[`${percentile}Above`]
    if (value === undefined)
      continue
    const ms = parseDurationMs(value)
    if (ms === undefined || ms <= 0) {
      ctx.problems.push(`load.breakingPoint.until.${percentile}Above must be a duration above 0 such as '100ms', got ${describeValue(value)}. Example: ${example}`)
      continue
    }
    spec[`${percentile}AboveMs`] = ms
    parts.push(`${percentile} > ${ms} ms`)
  }
  if (raw.errorRateAbove !== undefined) {
    if (typeof raw.errorRateAbove === 'number' && raw.errorRateAbove >= 0 && raw.errorRateAbove < 1) {
      spec.errorRateAbove = raw.errorRateAbove
      parts.push(`error rate > ${Number((raw.errorRateAbove * 100).toFixed(3))} %`)
    }
    else {
      ctx.problems.push(`load.breakingPoint.until.errorRateAbove must be a ratio from 0 to below 1 (0.01 is 1 %), got ${describeValue(raw.errorRateAbove)}. Example: until: { errorRateAbove: 0.01 }`)
    }
  }
  if (raw.check !== undefined) {
    if (typeof raw.check === 'function') {
      spec.check = raw.check as NonNullable<BreakSpec['check']>
      parts.push('check(step)')
    }
    else {
      ctx.problems.push(`load.breakingPoint.until.check must be a function (step) => boolean | string, got ${describeValue(raw.check)}. Example: until: { check: step => step.latency.p99Ms > 250 && \`p99 \${step.latency.p99Ms} ms > 250 ms\` }`)
    }
  }
  if (parts.length === 0 && Object.keys(raw).length === 0)
    ctx.problems.push(`load.breakingPoint.until needs at least one condition: meanAbove, p50Above, p95Above, p99Above, errorRateAbove or check. Example: ${example}`)
  return parts.length === 0
    ? undefined
    : {
        spec,
        description: parts.join(' or '),
      }
}

function checkUsers(value: unknown, path: string, example: string, ctx: Context): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    return value
  ctx.problems.push(`${path} must be a whole number of users, 0 or more, got ${describeValue(value)}. Example: ${example}`)
  return undefined
}

function validateWorkers(raw: unknown, load: LoadSpec | undefined, defaultWorkers: number, ctx: Context): number | undefined {
  if (raw === undefined)
    return Math.max(1, Math.min(defaultWorkers, load?.users ?? 1))
  if (!positiveInteger(raw)) {
    ctx.problems.push(`workers must be a whole number of worker threads above 0, got ${describeValue(raw)}. Example: workers: 2`)
    return undefined
  }
  if (load && raw > load.users) {
    const option = load.kind === 'closed'
      ? 'load.users'
      : load.kind === 'open'
        ? 'load.maxUsers'
        : 'the peak users of load.stages'
    ctx.problems.push(`workers: ${raw} is more than ${option}: ${load.users}; every worker needs at least one user. Use workers ≤ ${load.users} or ${option} ≥ ${raw}`)
    return undefined
  }
  return raw
}

function validateWorkerMemory(raw: unknown, ctx: Context): number {
  if (raw === undefined)
    return DEFAULT_WORKER_MEMORY_MB
  if (!positiveInteger(raw) || raw < MIN_WORKER_MEMORY_MB)
    ctx.problems.push(`workerMemoryMb must be a whole number of megabytes, ${MIN_WORKER_MEMORY_MB} or more: the heap each worker thread may use, got ${describeValue(raw)}. Example: workerMemoryMb: 2048`)
  return raw as number
}

/** A status that counts as success for `ranges`, e.g. 204 within `[[200, 399]]`. Used to build a lookup table once per run. */
export function isSuccessStatus(status: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([min, max]) => status >= min && status <= max)
}

export type { StatusMatcher }
