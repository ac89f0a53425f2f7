import type { LoadTestSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { DEFAULT_GRACEFUL_STOP_MS, DEFAULT_MAX_DURATION_MS, DEFAULT_REQUEST_TIMEOUT_MS, validateOptions } from '../../src/spec/validate.js'

const TARGET = 'http://127.0.0.1:3000'
const LOAD = { users: 10, duration: '30s' }
const LOAD_EXAMPLE = `load: { users: 10, duration: '30s' }`
const HEADERS_EXAMPLE = `request: { headers: { 'x-api-key': 'secret' } }`
const QUERY_EXAMPLE = `request: { query: { page: 2, tag: ['a', 'b'] } }`
const DURATION_EXPECTED = `must be a duration above zero such as '30s', '2m' or 1500 (ms)`
const LOAD_EXAMPLES = `${LOAD_EXAMPLE}, load: { users: 5, iterations: 20 } or load: { rate: 200, duration: '30s' }`
const OPEN_EXAMPLE = `load: { rate: 200, duration: '30s' }`
const RATE_STAGES_EXAMPLE = `load: { stages: [{ duration: '30s', rate: 100 }, { duration: '1m', rate: 100 }] }`
const USERS_STAGES_EXAMPLE = `load: { stages: [{ duration: '10s', users: 20 }, { duration: '1m', users: 20 }] }`
const RATE_EXPECTED = `must be a number of arrivals per second above 0, or a string such as '200/s' or '600/m'`
const STAGE_RATE_EXPECTED = `must be a number of arrivals per second, 0 or more, or a string such as '200/s' or '600/m'`
const MAX_USERS_EXPECTED = `load.maxUsers must be a whole number of users above 0 (the most requests in flight)`
const MAX_USERS_EXAMPLE = `load: { rate: 200, duration: '30s', maxUsers: 50 }`
/** Two stages of 10 s at 100 per second, with `extra` load options beside them. */
function rateStages(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    stages: [
      { duration: '10s', rate: 100 },
      { duration: '10s', rate: 100 },
    ],
    ...extra,
  }
}
/** A ramp to 20 users over 10 s and 10 s there, with `extra` load options beside it. */
function userStages(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    stages: [
      { duration: '10s', users: 20 },
      { duration: '10s', users: 20 },
    ],
    ...extra,
  }
}

/** Valid options with `request` and `load` replaced, and anything else added on top. */
function options(overrides: { request?: unknown, load?: unknown, [key: string]: unknown } = {}): Record<string, unknown> {
  return { target: TARGET, load: LOAD, ...overrides }
}

function validate(input: unknown, testName = 'GET /', defaultWorkers = 4): LoadTestSpec {
  return validateOptions(testName, input, defaultWorkers)
}

/** The InvalidOptionsError that `validateOptions` throws for `input`. Fails the test when it returns. */
function invalidOptionsErrorOf(input: unknown, testName = 'GET /', defaultWorkers = 4): InvalidOptionsError {
  try {
    validateOptions(testName, input, defaultWorkers)
  }
  catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError)
    return error as InvalidOptionsError
  }
  return expect.unreachable(`validateOptions accepted ${JSON.stringify(input)}`)
}

function problemsOf(input: unknown, testName?: string, defaultWorkers?: number): readonly string[] {
  return invalidOptionsErrorOf(input, testName, defaultWorkers).problems
}

describe('validateOptions: one line per problem, with path, value, expectation and example', () => {
  // Every message validate.ts can produce appears at least once in this table.
  const cases: Array<{ title: string, input: unknown, problem: string }> = [
    {
      title: 'rejects options: "http://x" (a string instead of an object)',
      input: 'http://x',
      problem: 'options must be an object, got `"http://x"` (string). Example: { target: \'http://127.0.0.1:3000\', load: { users: 10, duration: \'30s\' } }',
    },
    {
      title: 'rejects options: null',
      input: null,
      problem: 'options must be an object, got `null`. Example: { target: \'http://127.0.0.1:3000\', load: { users: 10, duration: \'30s\' } }',
    },
    {
      title: 'rejects request: "GET /users" (a string instead of an object)',
      input: options({ request: 'GET /users' }),
      problem: 'request must be an object, got `"GET /users"` (string). Example: request: { method: \'POST\', path: \'/users\', json: { name: \'jeremy\' } }',
    },
    {
      title: 'rejects request.method: "GET /" with the option path and an example',
      input: options({
        request: { method: 'GET /' },
      }),
      problem: 'request.method must be an HTTP method such as \'GET\' or \'POST\', got `"GET /"` (string). Example: request: { method: \'POST\' }',
    },
    {
      title: 'rejects request.method: 42',
      input: options({
        request: { method: 42 },
      }),
      problem: 'request.method must be an HTTP method such as \'GET\' or \'POST\', got `42` (number). Example: request: { method: \'POST\' }',
    },
    {
      title: 'rejects request.path: "users" without a leading slash',
      input: options({
        request: { path: 'users' },
      }),
      problem: 'request.path must be a path starting with \'/\' or a full http(s) URL, got `"users"` (string). Example: request: { path: \'/users?page=2\' }',
    },
    {
      title: 'rejects request.path: "ftp://h/file", which is not http(s)',
      input: options({
        request: { path: 'ftp://h/file' },
      }),
      problem: 'request.path must be a path starting with \'/\' or a full http(s) URL, got `"ftp://h/file"` (string). Example: request: { path: \'/users?page=2\' }',
    },
    {
      title: 'rejects a missing target when request.path is "/users"',
      input: {
        request: { path: '/users' },
        load: LOAD,
      },
      problem: 'target is required unless request.path is a full URL, got `undefined`. Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects target: "localhost:3000" without a scheme',
      input: options({ target: 'localhost:3000' }),
      problem: 'target must be an http(s) base URL without query or fragment, got `"localhost:3000"` (string). Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects target: 3000 (a port number)',
      input: options({ target: 3000 }),
      problem: 'target must be an http(s) base URL without query or fragment, got `3000` (number). Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects target: "ftp://127.0.0.1"',
      input: options({ target: 'ftp://127.0.0.1' }),
      problem: 'target must be an http(s) base URL without query or fragment, got `"ftp://127.0.0.1"` (string). Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects target: "http://127.0.0.1:3000/?v=1" with a query',
      input: options({ target: 'http://127.0.0.1:3000/?v=1' }),
      // a query value may be a token: only its names are shown
      problem: 'target must be an http(s) base URL without query or fragment, got `"http://127.0.0.1:3000/?v=[redacted]"` (string). Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects target: "http://127.0.0.1:3000/#top" with a fragment',
      input: options({ target: 'http://127.0.0.1:3000/#top' }),
      problem: 'target must be an http(s) base URL without query or fragment, got `"http://127.0.0.1:3000/#top"` (string). Example: target: \'http://127.0.0.1:3000\'',
    },
    {
      title: 'rejects request.headers given as a string, without showing it',
      input: options({
        request: { headers: 'authorization: Bearer abc' },
      }),
      problem: `request.headers must be a plain object of header names to string values, got a string (contents not shown). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects request.headers given as an array of 1 pair, without showing it',
      input: options({
        request: {
          headers: [
            ['authorization', 'Bearer abc'],
          ],
        },
      }),
      problem: `request.headers must be a plain object of header names to string values, got an array of 1 item (contents not shown). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects request.headers given as a Headers object, which would silently lose every header',
      input: options({
        request: {
          headers: new Headers({ authorization: 'Bearer abc' }),
        },
      }),
      problem: `request.headers must be a plain object of header names to string values, got a Headers object (contents not shown). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects the header name "x api key" with a space',
      input: options({
        request: {
          headers: { 'x api key': 'abc' },
        },
      }),
      problem: `request.headers has the header name \`"x api key"\` (string), which is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects a header value with a line break, without showing it',
      input: options({
        request: {
          headers: { authorization: 'Bearer abc\r\nx-injected: 1' },
        },
      }),
      problem: `request.headers.authorization must be a string without line breaks, got a string with a line break (value not shown). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects the header value 12345 (a number), without showing it',
      input: options({
        request: {
          headers: { 'x-api-key': 12_345 },
        },
      }),
      problem: `request.headers.x-api-key must be a string without line breaks, got a number (value not shown). Example: ${HEADERS_EXAMPLE}`,
    },
    {
      title: 'rejects request.query: "page=2" (a string instead of an object)',
      input: options({
        request: { query: 'page=2' },
      }),
      // a query written as text may hold a token: not shown
      problem: `request.query must be an object of parameter names to values, got a string (contents not shown). Example: ${QUERY_EXAMPLE}`,
    },
    {
      title: 'rejects request.query.tag: [["a"]] (a nested array)',
      input: options({
        request: {
          query: {
            tag: [
              ['a'],
            ],
          },
        },
      }),
      problem: `request.query.tag must be a string, number, boolean or an array of them, got \`[["a"]]\` (array). Example: ${QUERY_EXAMPLE}`,
    },
    {
      title: 'rejects request.query.page: null',
      input: options({
        request: {
          query: { page: null },
        },
      }),
      problem: `request.query.page must be a string, number, boolean or an array of them, got \`null\`. Example: ${QUERY_EXAMPLE}`,
    },
    {
      title: 'rejects request.json and request.body together, explaining the combination',
      input: options({
        request: {
          json: { a: 1 },
          body: 'a=1',
        },
      }),
      problem: 'request.json and request.body cannot both be set: json is sent as a JSON body, body as raw bytes. Example: request: { json: { name: \'jeremy\' } }',
    },
    {
      title: 'rejects request.json: 10n, which JSON.stringify cannot encode',
      input: options({
        request: { json: 10n },
      }),
      problem: 'request.json must be a value JSON.stringify can encode, got `10n` (bigint). Example: request: { json: { name: \'jeremy\', age: 23 } }',
    },
    {
      title: 'rejects request.json given a function',
      input: options({
        request: {
          json: function makeBody() {},
        },
      }),
      problem: 'request.json must be a value JSON.stringify can encode, got a function (makeBody). Example: request: { json: { name: \'jeremy\', age: 23 } }',
    },
    {
      title: 'rejects request.body: 42',
      input: options({
        request: { body: 42 },
      }),
      problem: 'request.body must be a string or a Uint8Array, got `42` (number). Example: request: { body: \'name=jeremy\', headers: { \'content-type\': \'application/x-www-form-urlencoded\' } }',
    },
    {
      title: 'rejects request.timeout: "10 seconds"',
      input: options({
        request: { timeout: '10 seconds' },
      }),
      problem: `request.timeout ${DURATION_EXPECTED}, got \`"10 seconds"\` (string). Example: request: { timeout: '5s' }`,
    },
    {
      title: 'rejects request.timeout: 0',
      input: options({
        request: { timeout: 0 },
      }),
      problem: `request.timeout ${DURATION_EXPECTED}, got \`0\` (number). Example: request: { timeout: '5s' }`,
    },
    {
      title: 'rejects request.expectStatus: 700',
      input: options({
        request: { expectStatus: 700 },
      }),
      problem: 'request.expectStatus must be a status code from 100 to 599, a class such as \'2xx\', or an array of them, got `700` (number). Example: request: { expectStatus: [200, 404] }',
    },
    {
      title: 'rejects request.expectStatus: "2XX" in upper case',
      input: options({
        request: { expectStatus: '2XX' },
      }),
      problem: 'request.expectStatus must be a status code from 100 to 599, a class such as \'2xx\', or an array of them, got `"2XX"` (string). Example: request: { expectStatus: [200, 404] }',
    },
    {
      title: 'rejects request.expectStatus: [200, "ok"] and shows the whole array',
      input: options({
        request: {
          expectStatus: [200, 'ok'],
        },
      }),
      problem: 'request.expectStatus must be a status code from 100 to 599, a class such as \'2xx\', or an array of them, got `[200,"ok"]` (array). Example: request: { expectStatus: [200, 404] }',
    },
    {
      title: 'rejects request.expectStatus: [] with no status',
      input: options({
        request: { expectStatus: [] },
      }),
      problem: 'request.expectStatus must list at least one status, got `[]` (array). Example: request: { expectStatus: \'2xx\' }',
    },
    {
      title: 'rejects request.name: "   " (blank)',
      input: options({
        request: { name: '   ' },
      }),
      problem: 'request.name must be a non-empty string that names the endpoint in results, got `"   "` (string). Example: request: { name: \'GET /items/[id]\' }',
    },
    {
      title: 'rejects a missing load',
      input: { target: TARGET },
      problem: `load must be an object describing the load model, got \`undefined\`. Example: ${LOAD_EXAMPLES}`,
    },
    {
      title: 'rejects load: 10 (a number instead of an object)',
      input: options({ load: 10 }),
      problem: `load must be an object describing the load model, got \`10\` (number). Example: ${LOAD_EXAMPLES}`,
    },
    {
      title: 'rejects load.rate: 0 of the open model, which would send nothing',
      input: options({
        load: { rate: 0, duration: '30s' },
      }),
      problem: `load.rate ${RATE_EXPECTED}, got \`0\` (number). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.rate: -5',
      input: options({
        load: { rate: -5, duration: '30s' },
      }),
      problem: `load.rate ${RATE_EXPECTED}, got \`-5\` (number). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.rate: "200 per second"',
      input: options({
        load: { rate: '200 per second', duration: '30s' },
      }),
      problem: `load.rate ${RATE_EXPECTED}, got \`"200 per second"\` (string). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.rate: "200" (a string without a unit)',
      input: options({
        load: { rate: '200', duration: '30s' },
      }),
      problem: `load.rate ${RATE_EXPECTED}, got \`"200"\` (string). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.rate: 200 without load.duration',
      input: options({
        load: { rate: 200 },
      }),
      problem: `load.rate needs load.duration: how long arrivals keep coming, got \`undefined\`. Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.duration: "30 seconds" of the open model with the open example',
      input: options({
        load: { rate: 200, duration: '30 seconds' },
      }),
      problem: `load.duration ${DURATION_EXPECTED}, got \`"30 seconds"\` (string). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.duration: 0 of the open model',
      input: options({
        load: { rate: 200, duration: 0 },
      }),
      problem: `load.duration ${DURATION_EXPECTED}, got \`0\` (number). Example: ${OPEN_EXAMPLE}`,
    },
    {
      title: 'rejects load.maxUsers: 0 of the open model',
      input: options({
        load: { rate: 200, duration: '30s', maxUsers: 0 },
      }),
      problem: `${MAX_USERS_EXPECTED}, got \`0\` (number). Example: ${MAX_USERS_EXAMPLE}`,
    },
    {
      title: 'rejects load.maxUsers: 2.5 of the open model',
      input: options({
        load: { rate: 200, duration: '30s', maxUsers: 2.5 },
      }),
      problem: `${MAX_USERS_EXPECTED}, got \`2.5\` (number). Example: ${MAX_USERS_EXAMPLE}`,
    },
    {
      title: 'rejects load.users: 10 beside load.rate and points to load.maxUsers',
      input: options({
        load: { rate: 200, duration: '30s', users: 10 },
      }),
      problem: 'load.users belongs to the closed model; the open model sets load.maxUsers for the most requests in flight',
    },
    {
      title: 'rejects load.iterations: 20 beside load.rate',
      input: options({
        load: { rate: 200, duration: '30s', iterations: 20 },
      }),
      problem: 'load.iterations belongs to the closed model { users, iterations }; the open model runs for a duration',
    },
    {
      title: 'rejects load.maxDuration beside load.rate',
      input: options({
        load: { rate: 200, duration: '30s', maxDuration: '1m' },
      }),
      problem: 'load.maxDuration only applies to the closed model with load.iterations',
    },
    {
      title: 'rejects load.startRate beside a constant load.rate',
      input: options({
        load: { rate: 200, duration: '30s', startRate: 10 },
      }),
      problem: 'load.startRate only applies to stages with rate',
    },
    {
      title: 'rejects load.startUsers beside load.rate',
      input: options({
        load: { rate: 200, duration: '30s', startUsers: 5 },
      }),
      problem: 'load.startUsers only applies to stages with users',
    },
    {
      title: 'rejects load.gracefulStop beside load.rate',
      input: options({
        load: { rate: 200, duration: '30s', gracefulStop: '10s' },
      }),
      problem: 'load.gracefulStop only applies to stages with users',
    },
    {
      title: 'rejects load.maxUser of the open model and suggests load.maxUsers',
      input: options({
        load: { rate: 200, duration: '30s', maxUser: 50 },
      }),
      problem: 'load.maxUser is not an option; the options here are rate, duration, maxUsers. Did you mean load.maxUsers?',
    },
    {
      title: 'rejects load.timeUnit of the open model without a far-fetched suggestion',
      input: options({
        load: { rate: 200, duration: '30s', timeUnit: '1s' },
      }),
      problem: 'load.timeUnit is not an option; the options here are rate, duration, maxUsers',
    },
    {
      title: 'rejects load.maxUsers: 50 beside load.users and points to load.users',
      input: options({
        load: { users: 10, duration: '30s', maxUsers: 50 },
      }),
      problem: 'load.maxUsers only applies to open models (load.rate, or stages with rate); for a closed model set load.users instead',
    },
    {
      title: 'rejects load.gracefulStop beside load.users',
      input: options({
        load: { users: 10, duration: '30s', gracefulStop: '10s' },
      }),
      problem: 'load.gracefulStop only applies to stages with users',
    },
    {
      title: 'rejects load.startRate beside load.users',
      input: options({
        load: { users: 10, duration: '30s', startRate: 10 },
      }),
      problem: 'load.startRate only applies to stages with rate',
    },
    {
      title: 'rejects load.stages: [] with no stage',
      input: options({
        load: { stages: [] },
      }),
      problem: `load.stages must be a non-empty array of { duration, rate } or { duration, users }, got \`[]\` (array). Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages: "10s:100" (a string instead of an array)',
      input: options({
        load: { stages: '10s:100' },
      }),
      problem: `load.stages must be a non-empty array of { duration, rate } or { duration, users }, got \`"10s:100"\` (string). Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages: [100] (a number instead of a stage)',
      input: options({
        load: {
          stages: [100],
        },
      }),
      problem: `load.stages must be a non-empty array of { duration, rate } or { duration, users }, got \`[100]\` (array). Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages that mix rate and users',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 100 },
            { duration: '10s', users: 10 },
          ],
        },
      }),
      problem: `load.stages must all set rate (open model) or all set users (closed model), not a mix. Example: ${RATE_STAGES_EXAMPLE} or ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages whose stages set neither rate nor users',
      input: options({
        load: {
          stages: [
            { duration: '10s', target: 100 },
          ],
        },
      }),
      problem: `load.stages[0] must set rate (arrivals per second) or users, got \`{"duration":"10s","target":100}\` (object). Example: ${RATE_STAGES_EXAMPLE} or ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages[0].note, an unknown option of a stage',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 100, note: 'warm-up' },
          ],
        },
      }),
      problem: 'load.stages[0].note is not an option; the options here are duration, rate',
    },
    {
      title: 'rejects load.stages[1].user beside users and suggests load.stages[1].users',
      input: options({
        load: {
          stages: [
            { duration: '10s', users: 20 },
            { duration: '10s', users: 20, user: 5 },
          ],
        },
      }),
      problem: 'load.stages[1].user is not an option; the options here are duration, users. Did you mean load.stages[1].users?',
    },
    {
      title: 'rejects load.stages[0].duration: "10 seconds"',
      input: options({
        load: {
          stages: [
            { duration: '10 seconds', rate: 100 },
          ],
        },
      }),
      problem: `load.stages[0].duration must be a duration such as '30s', '2m' or 1500 (ms), 0 for a step, got \`"10 seconds"\` (string). Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects a stage of users without a duration, with the users example',
      input: options({
        load: {
          stages: [
            { users: 10 },
          ],
        },
      }),
      problem: `load.stages[0].duration must be a duration such as '30s', '2m' or 1500 (ms), 0 for a step, got \`undefined\`. Example: ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages[1].rate: -1',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 100 },
            { duration: '10s', rate: -1 },
          ],
        },
      }),
      problem: `load.stages[1].rate ${STAGE_RATE_EXPECTED}, got \`-1\` (number). Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages[1] without a rate when load.stages[0] has one',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 100 },
            { duration: '10s' },
          ],
        },
      }),
      problem: `load.stages[1].rate ${STAGE_RATE_EXPECTED}, got \`undefined\`. Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.stages[0].users: 2.5',
      input: options({
        load: {
          stages: [
            { duration: '10s', users: 2.5 },
          ],
        },
      }),
      problem: `load.stages[0].users must be a whole number of users, 0 or more, got \`2.5\` (number). Example: ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.startRate: "10/sec"',
      input: options({
        load: rateStages({ startRate: '10/sec' }),
      }),
      problem: `load.startRate ${STAGE_RATE_EXPECTED}, got \`"10/sec"\` (string). Example: load: { startRate: 10, stages: [{ duration: '1m', rate: 100 }] }`,
    },
    {
      title: 'rejects load.startUsers: -1',
      input: options({
        load: userStages({ startUsers: -1 }),
      }),
      problem: 'load.startUsers must be a whole number of users, 0 or more, got `-1` (number). Example: load: { startUsers: 5, stages: [{ duration: \'1m\', users: 50 }] }',
    },
    {
      title: 'rejects rate stages that last 0 ms in all',
      input: options({
        load: {
          stages: [
            { duration: 0, rate: 100 },
          ],
        },
      }),
      problem: `load.stages must last longer than 0 in all, got stages of 0 ms. Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects user stages that last 0 ms in all',
      input: options({
        load: {
          stages: [
            { duration: '0s', users: 10 },
          ],
        },
      }),
      problem: `load.stages must last longer than 0 in all, got stages of 0 ms. Example: ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects rate stages at 0 per second throughout',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 0 },
            { duration: '10s', rate: '0/s' },
          ],
        },
      }),
      problem: `load.stages must reach a rate above 0 somewhere, got 0 throughout. Example: ${RATE_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects user stages at 0 users throughout',
      input: options({
        load: {
          stages: [
            { duration: '10s', users: 0 },
          ],
        },
      }),
      problem: `load.stages must reach a number of users above 0 somewhere, got 0 throughout. Example: ${USERS_STAGES_EXAMPLE}`,
    },
    {
      title: 'rejects load.maxUsers: 0 of a ramping rate',
      input: options({
        load: rateStages({ maxUsers: 0 }),
      }),
      problem: `${MAX_USERS_EXPECTED}, got \`0\` (number). Example: ${MAX_USERS_EXAMPLE}`,
    },
    {
      title: 'rejects load.gracefulStop: "10 seconds"',
      input: options({
        load: userStages({ gracefulStop: '10 seconds' }),
      }),
      problem: 'load.gracefulStop must be a duration such as \'30s\' or 0, got `"10 seconds"` (string). Example: load: { stages: [{ duration: \'1m\', users: 20 }], gracefulStop: \'10s\' }',
    },
    {
      title: 'rejects load.rate beside load.stages',
      input: options({
        load: rateStages({ rate: 100 }),
      }),
      problem: 'load.rate and load.stages cannot both be set: give a constant rate or stages',
    },
    {
      title: 'rejects load.duration beside load.stages',
      input: options({
        load: rateStages({ duration: '20s' }),
      }),
      problem: 'load.duration is not an option of a ramp: each stage has its own duration',
    },
    {
      title: 'rejects load.users beside rate stages and points to load.maxUsers',
      input: options({
        load: rateStages({ users: 10 }),
      }),
      problem: 'load.users belongs to the closed model; a ramping rate sets load.maxUsers for the most requests in flight',
    },
    {
      title: 'rejects load.users beside user stages and points to the stages and load.startUsers',
      input: options({
        load: userStages({ users: 20 }),
      }),
      problem: 'load.users is not an option of a ramp of users: each stage sets its users, and load.startUsers those at the start',
    },
    {
      title: 'rejects load.maxUsers beside user stages, which take their users from the stages',
      input: options({
        load: userStages({ maxUsers: 20 }),
      }),
      problem: 'load.maxUsers only applies to open models (load.rate, or stages with rate); a ramp of users runs as many users as its stages reach',
    },
    {
      title: 'rejects load.iterations beside user stages',
      input: options({
        load: userStages({ iterations: 20 }),
      }),
      problem: 'load.iterations belongs to the closed model { users, iterations }; a ramp of users runs for a duration',
    },
    {
      title: 'rejects load.maxDuration beside rate stages',
      input: options({
        load: rateStages({ maxDuration: '1m' }),
      }),
      problem: 'load.maxDuration only applies to the closed model with load.iterations',
    },
    {
      title: 'rejects load.startRate beside user stages',
      input: options({
        load: userStages({ startRate: 10 }),
      }),
      problem: 'load.startRate only applies to stages with rate',
    },
    {
      title: 'rejects load.startUsers beside rate stages',
      input: options({
        load: rateStages({ startUsers: 5 }),
      }),
      problem: 'load.startUsers only applies to stages with users',
    },
    {
      title: 'rejects load.gracefulStop beside rate stages',
      input: options({
        load: rateStages({ gracefulStop: '10s' }),
      }),
      problem: 'load.gracefulStop only applies to stages with users',
    },
    {
      title: 'rejects load.startrate beside rate stages and suggests load.startRate',
      input: options({
        load: rateStages({ startrate: 10 }),
      }),
      problem: 'load.startrate is not an option; the options here are stages, startRate, maxUsers. Did you mean load.startRate?',
    },
    {
      title: 'rejects load.gracefullStop beside user stages and suggests load.gracefulStop',
      input: options({
        load: userStages({ gracefullStop: '10s' }),
      }),
      problem: 'load.gracefullStop is not an option; the options here are stages, startUsers, gracefulStop. Did you mean load.gracefulStop?',
    },
    {
      title: 'rejects load.users: 0 with the option path and an example',
      input: options({
        load: { users: 0, duration: '30s' },
      }),
      problem: `load.users must be a whole number of virtual users above 0, got \`0\` (number). Example: ${LOAD_EXAMPLE}`,
    },
    {
      title: 'rejects load.users: 2.5',
      input: options({
        load: { users: 2.5, duration: '30s' },
      }),
      problem: `load.users must be a whole number of virtual users above 0, got \`2.5\` (number). Example: ${LOAD_EXAMPLE}`,
    },
    {
      title: 'rejects load.users: "10" (a string)',
      input: options({
        load: { users: '10', duration: '30s' },
      }),
      problem: `load.users must be a whole number of virtual users above 0, got \`"10"\` (string). Example: ${LOAD_EXAMPLE}`,
    },
    {
      title: 'rejects load.duration together with load.iterations',
      input: options({
        load: { users: 5, duration: '30s', iterations: 20 },
      }),
      problem: `load.duration and load.iterations cannot both be set: a closed model runs for a time or for a number of iterations. Example: ${LOAD_EXAMPLE} or load: { users: 5, iterations: 20 }`,
    },
    {
      title: 'rejects a load with neither load.duration nor load.iterations',
      input: options({
        load: { users: 5 },
      }),
      problem: `load needs load.duration or load.iterations (closed model), or load.rate (open model), got none of them. Example: ${LOAD_EXAMPLES}`,
    },
    {
      title: 'rejects load.iterations: 0',
      input: options({
        load: { users: 5, iterations: 0 },
      }),
      problem: 'load.iterations must be a whole number of requests per user above 0, got `0` (number). Example: load: { users: 5, iterations: 20 }',
    },
    {
      title: 'rejects load.maxDuration beside load.duration, explaining the combination',
      input: options({
        load: { users: 5, duration: '30s', maxDuration: '1m' },
      }),
      problem: 'load.maxDuration only applies with load.iterations; with load.duration the run ends on its own. Remove load.maxDuration or use load: { users: 5, iterations: 20, maxDuration: \'1m\' }',
    },
    {
      title: 'rejects load.duration: "30 seconds" with the option path and an example',
      input: options({
        load: { users: 5, duration: '30 seconds' },
      }),
      problem: `load.duration ${DURATION_EXPECTED}, got \`"30 seconds"\` (string). Example: ${LOAD_EXAMPLE}`,
    },
    {
      title: 'rejects load.duration: 0',
      input: options({
        load: { users: 5, duration: 0 },
      }),
      problem: `load.duration ${DURATION_EXPECTED}, got \`0\` (number). Example: ${LOAD_EXAMPLE}`,
    },
    {
      title: 'rejects load.maxDuration: -1',
      input: options({
        load: { users: 5, iterations: 20, maxDuration: -1 },
      }),
      problem: `load.maxDuration ${DURATION_EXPECTED}, got \`-1\` (number). Example: load: { users: 5, iterations: 20, maxDuration: '1m' }`,
    },
    {
      title: 'rejects errorBudget: 5 (a percentage instead of a ratio)',
      input: options({ errorBudget: 5 }),
      problem: 'errorBudget must be a ratio from 0 to 1 (0.01 is 1 %) of requests that may fail, or false to turn the check off, got `5` (number). Example: errorBudget: 0.05',
    },
    {
      title: 'rejects errorBudget: true',
      input: options({ errorBudget: true }),
      problem: 'errorBudget must be a ratio from 0 to 1 (0.01 is 1 %) of requests that may fail, or false to turn the check off, got `true` (boolean). Example: errorBudget: 0.05',
    },
    {
      title: 'rejects errorBudget: \'1%\'',
      input: options({ errorBudget: '1%' }),
      problem: 'errorBudget must be a ratio from 0 to 1 (0.01 is 1 %) of requests that may fail, or false to turn the check off, got `"1%"` (string). Example: errorBudget: 0.05',
    },
    {
      title: 'rejects workers: 0',
      input: options({ workers: 0 }),
      problem: 'workers must be a whole number of worker threads above 0, got `0` (number). Example: workers: 2',
    },
    {
      title: 'rejects workers: NaN and shows it as NaN',
      input: options({ workers: Number.NaN }),
      problem: 'workers must be a whole number of worker threads above 0, got `NaN` (number). Example: workers: 2',
    },
    {
      title: 'rejects workerMemoryMb: 16, below what a worker needs to start',
      input: options({ workerMemoryMb: 16 }),
      problem: 'workerMemoryMb must be a whole number of megabytes, 32 or more: the heap each worker thread may use, got `16` (number). Example: workerMemoryMb: 2048',
    },
    {
      title: 'rejects workerMemoryMb: \'512MB\'',
      input: options({ workerMemoryMb: '512MB' }),
      problem: 'workerMemoryMb must be a whole number of megabytes, 32 or more: the heap each worker thread may use, got `"512MB"` (string). Example: workerMemoryMb: 2048',
    },
    {
      title: 'rejects workers: 4 for load.users: 2, since every worker needs a user',
      input: options({
        load: { users: 2, duration: '30s' },
        workers: 4,
      }),
      problem: 'workers: 4 is more than load.users: 2; every worker needs at least one user. Use workers ≤ 2 or load.users ≥ 4',
    },
    {
      title: 'rejects workers: 4 for load.rate: 2, whose load.maxUsers defaults to 2',
      input: options({
        load: { rate: 2, duration: '30s' },
        workers: 4,
      }),
      problem: 'workers: 4 is more than load.maxUsers: 2; every worker needs at least one user. Use workers ≤ 2 or load.maxUsers ≥ 4',
    },
    {
      title: 'rejects workers: 4 for load.maxUsers: 3',
      input: options({
        load: { rate: 200, duration: '30s', maxUsers: 3 },
        workers: 4,
      }),
      problem: 'workers: 4 is more than load.maxUsers: 3; every worker needs at least one user. Use workers ≤ 3 or load.maxUsers ≥ 4',
    },
    {
      title: 'rejects workers: 3 for a ramping rate that peaks at 1.5 per second (load.maxUsers 2)',
      input: options({
        load: {
          stages: [
            { duration: '10s', rate: 1.5 },
          ],
        },
        workers: 3,
      }),
      problem: 'workers: 3 is more than load.maxUsers: 2; every worker needs at least one user. Use workers ≤ 2 or load.maxUsers ≥ 3',
    },
    {
      title: 'rejects workers: 4 for user stages that peak at 2 users',
      input: options({
        load: {
          startUsers: 1,
          stages: [
            { duration: '10s', users: 2 },
            { duration: '10s', users: 0 },
          ],
        },
        workers: 4,
      }),
      problem: 'workers: 4 is more than the peak users of load.stages: 2; every worker needs at least one user. Use workers ≤ 2 or the peak users of load.stages ≥ 4',
    },
    {
      title: 'rejects the unknown top-level option retries',
      input: options({ retries: 3 }),
      problem: 'retries is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe',
    },
    {
      title: 'rejects the top-level option worker and suggests workers',
      input: options({ worker: 2 }),
      problem: 'worker is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe. Did you mean workers?',
    },
    {
      title: 'rejects users written at the top level and suggests load.users',
      input: options({ users: 10 }),
      problem: 'users is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe. Did you mean load.users?',
    },
    {
      title: 'rejects rate written at the top level and suggests load.rate',
      input: options({ rate: 200 }),
      problem: 'rate is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe. Did you mean load.rate?',
    },
    {
      title: 'rejects stages written at the top level and suggests load.stages',
      input: options({
        stages: [
          { duration: '10s', rate: 100 },
        ],
      }),
      problem: 'stages is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe. Did you mean load.stages?',
    },
    {
      title: 'rejects method written at the top level and suggests request.method',
      input: options({ method: 'POST' }),
      problem: 'method is not an option; the options here are target, request, scenario, secrets, load, workers, distributed, workerMemoryMb, errorBudget, warmup, observe. Did you mean request.method?',
    },
    {
      title: 'rejects request.expectedStatus and suggests request.expectStatus',
      input: options({
        request: { expectedStatus: 200 },
      }),
      problem: 'request.expectedStatus is not an option; the options here are method, path, headers, query, json, body, timeout, expectStatus, name, secrets. Did you mean request.expectStatus?',
    },
    {
      title: 'rejects request.data without a far-fetched suggestion',
      input: options({
        request: { data: 'x' },
      }),
      problem: 'request.data is not an option; the options here are method, path, headers, query, json, body, timeout, expectStatus, name, secrets',
    },
    {
      title: 'rejects load.Duration and suggests load.duration',
      input: options({
        load: { users: 5, iterations: 20, Duration: '30s' },
      }),
      problem: 'load.Duration is not an option; the options here are users, duration, iterations, maxDuration, rampUp, spawnRate. Did you mean load.duration?',
    },
  ]
  for (const { title, input, problem } of cases) {
    it(title, () => {
      expect(problemsOf(input)).toEqual([problem])
    })
  }

  it('lists every problem at once in one InvalidOptionsError with code VL_ERR_INVALID_OPTIONS', () => {
    const error = invalidOptionsErrorOf({
      target: 'localhost:3000',
      request: { method: 42, timeout: '10 seconds' },
      load: { users: -5, duration: '30 seconds' },
      workers: 0,
    }, 'POST /users')

    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect(error.name).toBe('InvalidOptionsError')
    expect(error.code).toBe('VL_ERR_INVALID_OPTIONS')
    expect(error.testName).toBe('POST /users')
    expect(error.problems).toHaveLength(6)
    expect(error.message).toMatchInlineSnapshot(`
      "Invalid options for load test "POST /users":
        - request.method must be an HTTP method such as 'GET' or 'POST', got \`42\` (number). Example: request: { method: 'POST' }
        - target must be an http(s) base URL without query or fragment, got \`"localhost:3000"\` (string). Example: target: 'http://127.0.0.1:3000'
        - request.timeout must be a duration above zero such as '30s', '2m' or 1500 (ms), got \`"10 seconds"\` (string). Example: request: { timeout: '5s' }
        - load.users must be a whole number of virtual users above 0, got \`-5\` (number). Example: load: { users: 10, duration: '30s' }
        - load.duration must be a duration above zero such as '30s', '2m' or 1500 (ms), got \`"30 seconds"\` (string). Example: load: { users: 10, duration: '30s' }
        - workers must be a whole number of worker threads above 0, got \`0\` (number). Example: workers: 2"
    `)
  })

  it('reports an unknown load option beside the missing load.iterations it was meant to be', () => {
    expect(problemsOf(options({
      load: { users: 5, iteration: 20 },
    }))).toEqual([
      'load.iteration is not an option; the options here are users, duration, iterations, maxDuration, rampUp, spawnRate. Did you mean load.iterations?',
      `load needs load.duration or load.iterations (closed model), or load.rate (open model), got none of them. Example: ${LOAD_EXAMPLES}`,
    ])
  })

  it('reports each bad header on its own line: 2 bad headers give 2 problems', () => {
    expect(problemsOf(options({
      request: {
        headers: { 'a': 1, 'b': 'ok', 'c d': 'x' },
      },
    }))).toEqual([
      `request.headers.a must be a string without line breaks, got a number (value not shown). Example: ${HEADERS_EXAMPLE}`,
      `request.headers has the header name \`"c d"\` (string), which is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only). Example: ${HEADERS_EXAMPLE}`,
    ])
  })

  it('ignores an option explicitly set to undefined', () => {
    expect(() => validate(options({
      retries: undefined,
      request: { typo: undefined },
    }))).not.toThrow()
  })

  it('throws the error as it is documented: InvalidOptionsError with the test name in the message', () => {
    expect(() => validate(options({
      load: { users: 0, duration: '30s' },
    }), 'GET /health')).toThrowErrorMatchingInlineSnapshot(`
      [InvalidOptionsError: Invalid options for load test "GET /health":
        - load.users must be a whole number of virtual users above 0, got \`0\` (number). Example: load: { users: 10, duration: '30s' }]
    `)
  })
})

describe('validateOptions: secrets in headers', () => {
  const SECRET = 's3cr3t-t0ken'

  const cases: Array<{ title: string, request: unknown }> = [
    {
      title: 'a header value with \\r\\n',
      request: {
        headers: { authorization: `Bearer ${SECRET}\r\nx-injected: 1` },
      },
    },
    {
      title: 'a header value with \\n',
      request: {
        headers: { cookie: `session=${SECRET}\n` },
      },
    },
    {
      title: 'a header value that is not a string',
      request: {
        headers: {
          'x-api-key': [SECRET],
        },
      },
    },
    {
      title: 'headers given as a string',
      request: { headers: `authorization: Bearer ${SECRET}` },
    },
    {
      title: 'headers given as an array of pairs',
      request: {
        headers: [
          ['authorization', `Bearer ${SECRET}`],
        ],
      },
    },
    {
      title: 'headers given as a Map',
      request: {
        headers: new Map([
          ['authorization', `Bearer ${SECRET}`],
        ]),
      },
    },
    {
      title: 'headers under the misspelled option request.header',
      request: {
        header: { authorization: `Bearer ${SECRET}` },
      },
    },
  ]
  for (const { title, request } of cases) {
    it(`never echoes the header value in the error for ${title}`, () => {
      const error = invalidOptionsErrorOf(options({ request }))
      expect(error.problems).toHaveLength(1)
      expect(error.message).toContain('request.header')
      expect(error.message).not.toContain(SECRET)
    })
  }
})

describe('validateOptions: the request', () => {
  it('takes method POST and path /users from the test name \'POST /users\'', () => {
    const { request } = validate(options(), 'POST /users')
    expect(request).toMatchObject({
      name: 'POST /users',
      method: 'POST',
      origin: TARGET,
      path: '/users',
    })
  })

  it('takes a query from the test name \'GET /users?page=2\'', () => {
    const { request } = validate(options(), 'GET /users?page=2')
    expect(request).toMatchObject({ name: 'GET /users?page=2', method: 'GET', path: '/users?page=2' })
  })

  it('takes a full URL from the test name \'GET http://127.0.0.1:4000/health\', so no target is needed', () => {
    const { request } = validate({ load: LOAD }, 'GET http://127.0.0.1:4000/health')
    expect(request).toMatchObject({ method: 'GET', origin: 'http://127.0.0.1:4000', path: '/health' })
  })

  it('does not read a method and path from the test name \'returns 200 for GET /users\'', () => {
    const { request } = validate(options({
      request: { path: '/' },
    }), 'returns 200 for GET /users')
    expect(request).toMatchObject({ name: 'GET /', method: 'GET', path: '/' })
  })

  const NOTHING_TO_SEND = `the name does not say what to send, and neither request.path nor scenario does: name the load test 'METHOD /path', `
    + `e.g. loadTest('GET /users', { target, load }), or keep the name and add request: { method: 'GET', path: '/users' }`

  it.each([
    ['users list is fast', {}],
    [
      'users list is fast',
      {
        request: {
          headers: { accept: 'application/json' },
        },
      },
    ],
    [
      'POST users',
      {
        request: { method: 'POST' },
      },
    ],
    ['get /users', {}],
  ])('never sends a silent GET /: %j with %j names neither a request nor a path', (name, extra) => {
    expect(problemsOf(options(extra), name)).toEqual([NOTHING_TO_SEND])
  })

  it('sends GET / of the target for runLoad() without a name, which has no name to misread', () => {
    expect(validateOptions('runLoad()', options(), 4, { named: false }).request).toMatchObject({ method: 'GET', path: '/', name: 'GET /' })
  })

  it('accepts a name that is not a request when request.path says what to send, or a scenario does', () => {
    expect(validate(options({
      request: { path: '/users' },
    }), 'users list is fast').request).toMatchObject({ method: 'GET', path: '/users', name: 'GET /users' })
    expect(validate(options({
      request: { method: 'DELETE', path: '/users/1' },
    }), 'cleanup').request).toMatchObject({ name: 'DELETE /users/1' })
  })

  it('prefers request.method and request.path over the test name, and keeps the test name as endpoint name', () => {
    const { request } = validate(options({
      request: { method: 'put', path: '/users/1' },
    }), 'POST /users')
    expect(request).toMatchObject({ name: 'POST /users', method: 'PUT', path: '/users/1' })
  })

  it('uses request.name as endpoint name when given', () => {
    const { request } = validate(options({
      request: { path: '/items/17', name: 'GET /items/[id]' },
    }))
    expect(request.name).toBe('GET /items/[id]')
  })

  it('names the endpoint \'METHOD /path?query\' when neither the test name nor request.name does', () => {
    const { request } = validate(options({
      request: {
        method: 'DELETE',
        path: '/users/1',
        query: { force: true },
      },
    }), 'deletes a user')
    expect(request.name).toBe('DELETE /users/1?force=true')
  })

  it('accepts a full URL in request.path without a target', () => {
    const { request } = validate({
      request: { path: 'https://127.0.0.1:4443/health?deep=1' },
      load: LOAD,
    })
    expect(request).toMatchObject({ origin: 'https://127.0.0.1:4443', path: '/health?deep=1' })
  })

  it('lets a full URL in request.path win over the target', () => {
    const { request } = validate(options({
      request: { path: 'http://127.0.0.1:4000/health' },
    }))
    expect(request).toMatchObject({ origin: 'http://127.0.0.1:4000', path: '/health' })
  })

  it.each([
    ['http://127.0.0.1:3000/api', '/users', '/api/users'],
    ['http://127.0.0.1:3000/api/', '/users', '/api/users'],
    ['http://127.0.0.1:3000/api/v2', '/users?page=2', '/api/v2/users?page=2'],
    ['http://127.0.0.1:3000/', '/users', '/users'],
    ['http://127.0.0.1:3000', '/', '/'],
  ])('keeps the base path of target %s: path %s becomes %s', (target, path, expected) => {
    const { request } = validate({
      target,
      request: { path },
      load: LOAD,
    })
    expect(request).toMatchObject({ origin: 'http://127.0.0.1:3000', path: expected })
  })

  it('keeps request.path \'//users\' on the target host instead of reading users as a host', () => {
    const { request } = validate(options({
      request: { path: '//users' },
    }))
    expect(request).toMatchObject({ origin: TARGET, path: '//users' })
  })

  it('drops the default port: target http://127.0.0.1:80 has origin http://127.0.0.1', () => {
    expect(validate(options({ target: 'http://127.0.0.1:80' })).request.origin).toBe('http://127.0.0.1')
  })

  it('repeats the key for each item of a query array: tag: [\'a\', \'b\'] gives tag=a&tag=b', () => {
    const { request } = validate(options({
      request: {
        path: '/users',
        query: {
          tag: ['a', 'b'],
          page: 2,
          draft: false,
          empty: [],
        },
      },
    }))
    expect(request.path).toBe('/users?tag=a&tag=b&page=2&draft=false')
  })

  it('encodes query values: \'a b&c\' becomes a+b%26c', () => {
    const { request } = validate(options({
      request: {
        path: '/search',
        query: { q: 'a b&c' },
      },
    }))
    expect(request.path).toBe('/search?q=a+b%26c')
  })

  it('appends request.query to the query of the path and leaves that query as written', () => {
    const { request } = validate(options({
      request: {
        path: '/search?q=a%20b&flag',
        query: { page: 2 },
      },
    }))
    expect(request.path).toBe('/search?q=a%20b&flag&page=2')
  })

  it('lower-cases header names', () => {
    const { request } = validate(options({
      request: {
        headers: { 'X-Api-Key': 'abc', 'Accept': 'text/plain' },
      },
    }))
    expect(request.headers).toEqual({ 'x-api-key': 'abc', 'accept': 'text/plain' })
  })

  it('sends json as JSON text with content-type: application/json', () => {
    const { request } = validate(options({
      request: {
        method: 'POST',
        json: { name: 'jeremy', age: 23 },
      },
    }))
    expect(request.body).toBe('{"name":"jeremy","age":23}')
    expect(request.headers).toEqual({ 'content-type': 'application/json' })
  })

  it('keeps a content-type given in any case beside json', () => {
    const { request } = validate(options({
      request: {
        json: [1],
        headers: { 'Content-Type': 'application/vnd.api+json' },
      },
    }))
    expect(request.body).toBe('[1]')
    expect(request.headers).toEqual({ 'content-type': 'application/vnd.api+json' })
  })

  it('sends json: null as the text null', () => {
    expect(validate(options({
      request: { json: null },
    })).request.body).toBe('null')
  })

  it('sends a string or Uint8Array body as it is, without adding a content-type', () => {
    const bytes = new Uint8Array([1, 2, 3])
    expect(validate(options({
      request: { body: 'a=1' },
    })).request).toMatchObject({ body: 'a=1', headers: {} })
    expect(validate(options({
      request: { body: bytes },
    })).request).toMatchObject({ body: bytes, headers: {} })
  })

  it.each<{ expectStatus: unknown, ranges: Array<[number, number]> }>([
    {
      expectStatus: '2xx',
      ranges: [
        [200, 299],
      ],
    },
    {
      expectStatus: '5xx',
      ranges: [
        [500, 599],
      ],
    },
    {
      expectStatus: 204,
      ranges: [
        [204, 204],
      ],
    },
    {
      expectStatus: [200, '4xx'],
      ranges: [
        [200, 200],
        [400, 499],
      ],
    },
    {
      expectStatus: [100, 599],
      ranges: [
        [100, 100],
        [599, 599],
      ],
    },
  ])('turns expectStatus: $expectStatus into the ranges $ranges', ({ expectStatus, ranges }) => {
    expect(validate(options({
      request: { expectStatus },
    })).request.successStatuses).toEqual(ranges)
  })

  it('reads request.timeout \'1.5s\' as 1500 ms', () => {
    expect(validate(options({
      request: { timeout: '1.5s' },
    })).request.timeoutMs).toBe(1500)
  })

  it('fills in the defaults: GET /, no headers, no body, timeout 10 s, statuses 200–399', () => {
    const spec = validate({
      target: TARGET,
      request: { path: '/' },
      load: { users: 1, duration: '1s' },
    }, 'health check', 4)
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(10_000)
    expect(spec).toEqual({
      name: 'health check',
      request: {
        name: 'GET /',
        method: 'GET',
        origin: TARGET,
        path: '/',
        headers: {},
        body: null,
        timeoutMs: 10_000,
        successStatuses: [
          [200, 399],
        ],
      },
      load: {
        kind: 'closed',
        users: 1,
        durationMs: 1000,
        iterationsPerUser: null,
        maxDurationMs: 1000,
        rampUpMs: 0,
      },
      workers: 1,
      workerMemoryMb: 1024,
      errorBudget: 0.01,
    })
  })

  it('keeps a workerMemoryMb given', () => {
    expect(validate({
      target: TARGET,
      load: { users: 1, duration: '1s' },
      workerMemoryMb: 256,
    }).workerMemoryMb).toBe(256)
  })
})

describe('validateOptions: the load and the workers', () => {
  it('reads { users: 20, duration: \'5s\' } as 20 users for 5000 ms, which is also the limit', () => {
    expect(validate(options({
      load: { users: 20, duration: '5s' },
    })).load).toEqual({
      kind: 'closed',
      users: 20,
      durationMs: 5000,
      iterationsPerUser: null,
      maxDurationMs: 5000,
      rampUpMs: 0,
    })
  })

  it('reads { users: 5, iterations: 20 } with the default limit of 10 minutes', () => {
    expect(DEFAULT_MAX_DURATION_MS).toBe(600_000)
    expect(validate(options({
      load: { users: 5, iterations: 20 },
    })).load).toEqual({
      kind: 'closed',
      users: 5,
      durationMs: null,
      iterationsPerUser: 20,
      maxDurationMs: 600_000,
      rampUpMs: 0,
    })
  })

  it('takes load.maxDuration \'1m\' as a limit of 60000 ms with iterations', () => {
    expect(validate(options({
      load: { users: 5, iterations: 20, maxDuration: '1m' },
    })).load).toMatchObject({ kind: 'closed', maxDurationMs: 60_000 })
  })

  it('reads warmup as whole seconds in ms, absent without one', () => {
    expect(validate(options({
      load: { users: 5, duration: '30s' },
      warmup: '5s',
    })).warmupMs).toBe(5000)
    expect(validate(options({
      load: { rate: 10, duration: '10s' },
      warmup: 2000,
    })).warmupMs).toBe(2000)
    expect(validate(options({
      load: { users: 5, duration: '30s' },
    }))).not.toHaveProperty('warmupMs')
  })

  it('refuses a warm-up that is not whole seconds, not shorter than the run or a step, or with iterations', () => {
    expect(problemsOf(options({
      load: { users: 5, duration: '30s' },
      warmup: '1.5s',
    }))).toEqual([
      'warmup must be whole seconds, since the run is measured second by second, got \'1.5s\'. Example: warmup: \'5s\'',
    ])
    expect(problemsOf(options({
      load: { users: 5, duration: '5s' },
      warmup: '5s',
    }))).toEqual([
      'warmup \'5s\' must be shorter than the run (5 s), or nothing would be judged. Example: warmup: \'5s\' with load: { users: 10, duration: \'30s\' }',
    ])
    expect(problemsOf(options({
      load: { users: 5, iterations: 10 },
      warmup: '1s',
    }))).toEqual([
      'warmup needs a run of a known length: with load.iterations the run is a count of requests, and a warm-up would leave out an unknown share of them. Use load.duration instead, e.g. load: { users: 5, duration: \'30s\' }, warmup: \'5s\'',
    ])
    expect(problemsOf(options({
      load: {
        breakingPoint: {
          users: { start: 10, step: 10, max: 50 },
          stepDuration: '2s',
          until: { p95Above: '100ms' },
        },
      },
      warmup: '2s',
    }))).toEqual([
      'warmup \'2s\' must be shorter than a step (2 s): the first step is judged on its seconds after the warm-up. Example: warmup: \'5s\' with stepDuration: \'10s\'',
    ])
    expect(problemsOf(options({
      load: { users: 5, duration: '30s' },
      warmup: 'soon',
    }))[0]).toMatch(/^warmup must be a duration above zero/)
  })

  it('reads load.rampUp and load.spawnRate as the time over which the users start', () => {
    expect(validate(options({
      load: { users: 50, duration: '1m', rampUp: '10s' },
    })).load).toMatchObject({ kind: 'closed', rampUpMs: 10_000, durationMs: 60_000 })
    expect(validate(options({
      load: { users: 50, duration: '1m', spawnRate: 5 },
    })).load).toMatchObject({ kind: 'closed', rampUpMs: 10_000 })
    expect(validate(options({
      load: { users: 3, iterations: 10, spawnRate: 2 },
    })).load).toMatchObject({ kind: 'closed', rampUpMs: 1500, iterationsPerUser: 10 })
  })

  it('refuses a ramp-up given twice, not above zero, or as long as the run', () => {
    expect(problemsOf(options({
      load: {
        users: 50,
        duration: '1m',
        rampUp: '10s',
        spawnRate: 5,
      },
    }))).toEqual([
      'load.rampUp and load.spawnRate cannot both be set: both say how fast the users start. Example: load: { users: 50, duration: \'1m\', rampUp: \'10s\' } or load: { users: 50, duration: \'1m\', spawnRate: 5 }',
    ])
    expect(problemsOf(options({
      load: { users: 50, duration: '1m', spawnRate: 0 },
    }))).toEqual([
      'load.spawnRate must be a number of users started per second above 0, got `0` (number). Example: load: { users: 50, duration: \'1m\', spawnRate: 5 }',
    ])
    expect(problemsOf(options({
      load: { users: 50, duration: '1m', rampUp: 'soon' },
    }))).toEqual([
      'load.rampUp must be a duration above zero such as \'30s\', \'2m\' or 1500 (ms), got `"soon"` (string). Example: load: { users: 50, duration: \'1m\', rampUp: \'10s\' }',
    ])
    expect(problemsOf(options({
      load: { users: 50, duration: '10s', spawnRate: 5 },
    }))).toEqual([
      'load.spawnRate 5 (50 users over 10 s) must start the users before the run ends, within 10 s: the ramp is part of the run\'s length, not added to it. Example: load: { users: 50, duration: \'1m\', rampUp: \'10s\' }',
    ])
    expect(problemsOf(options({
      load: { users: 5, duration: '10s', rampUp: '20s' },
    }))).toEqual([
      'load.rampUp \'20s\' must start the users before the run ends, within 10 s: the ramp is part of the run\'s length, not added to it. Example: load: { users: 50, duration: \'1m\', rampUp: \'10s\' }',
    ])
    expect(problemsOf(options({
      load: { rate: 10, duration: '10s', rampUp: '2s' },
    }))[0]).toMatch(/^load\.rampUp is not an option/)
  })

  it('reads { rate: 200, duration: \'30s\' } as the open model at 200 per second for 30000 ms, with up to 200 users', () => {
    expect(validate(options({
      load: { rate: 200, duration: '30s' },
    })).load).toEqual({
      kind: 'open',
      users: 200,
      rate: {
        start: 200,
        stages: [
          { durationMs: 30_000, target: 200 },
        ],
      },
      durationMs: 30_000,
      constantRate: true,
    })
  })

  it.each([
    ['600/m', 10, 10],
    ['1/100ms', 10, 10],
    [0.5, 0.5, 1],
    [2.5, 2.5, 3],
  ])('reads load.rate %j as %d per second with up to %d users by default (the rate rounded up)', (rate, perSec, users) => {
    expect(validate(options({
      load: { rate, duration: '1m' },
    })).load).toMatchObject({
      kind: 'open',
      users,
      rate: { start: perSec },
    })
  })

  it('keeps load.maxUsers: 50 at 200 per second', () => {
    expect(validate(options({
      load: { rate: '200/s', duration: '30s', maxUsers: 50 },
    })).load).toMatchObject({ kind: 'open', users: 50 })
  })

  it('reads rate stages from startRate \'60/m\' as a ramp 1 → 100 → 100 → 0 per second over 40000 ms, with up to 100 users', () => {
    expect(validate(options({
      load: {
        startRate: '60/m',
        stages: [
          { duration: '10s', rate: 100 },
          { duration: '20s', rate: '100/s' },
          { duration: 10_000, rate: 0 },
        ],
      },
    })).load).toEqual({
      kind: 'open',
      users: 100,
      rate: {
        start: 1,
        stages: [
          { durationMs: 10_000, target: 100 },
          { durationMs: 20_000, target: 100 },
          { durationMs: 10_000, target: 0 },
        ],
      },
      durationMs: 40_000,
      constantRate: false,
    })
  })

  it('starts rate stages at 0 per second by default and takes a stage of 0 ms as a step', () => {
    expect(validate(options({
      load: {
        stages: [
          { duration: 0, rate: 50 },
          { duration: '1m', rate: 50 },
        ],
        maxUsers: 20,
      },
    })).load).toEqual({
      kind: 'open',
      users: 20,
      rate: {
        start: 0,
        stages: [
          { durationMs: 0, target: 50 },
          { durationMs: 60_000, target: 50 },
        ],
      },
      durationMs: 60_000,
      constantRate: false,
    })
  })

  it('reads user stages 0 → 20 → 20 → 0 as ramping users for 80000 ms, 20 users at the peak, graceful stop 30000 ms', () => {
    expect(DEFAULT_GRACEFUL_STOP_MS).toBe(30_000)
    expect(validate(options({
      load: {
        stages: [
          { duration: '10s', users: 20 },
          { duration: '1m', users: 20 },
          { duration: '10s', users: 0 },
        ],
      },
    })).load).toEqual({
      kind: 'ramping-users',
      users: 20,
      profile: {
        start: 0,
        stages: [
          { durationMs: 10_000, target: 20 },
          { durationMs: 60_000, target: 20 },
          { durationMs: 10_000, target: 0 },
        ],
      },
      durationMs: 80_000,
      gracefulStopMs: 30_000,
    })
  })

  it('counts load.startUsers: 30 as the peak of user stages that ramp down to 10', () => {
    expect(validate(options({
      load: {
        startUsers: 30,
        stages: [
          { duration: '10s', users: 10 },
        ],
      },
    })).load).toMatchObject({
      kind: 'ramping-users',
      users: 30,
      profile: { start: 30 },
    })
  })

  it.each([
    ['10s', 10_000],
    [0, 0],
    ['1.5s', 1500],
  ])('reads load.gracefulStop %j as %d ms', (gracefulStop, gracefulStopMs) => {
    expect(validate(options({
      load: userStages({ gracefulStop }),
    })).load).toMatchObject({ kind: 'ramping-users', gracefulStopMs })
  })

  it('uses 2 workers by default for load.rate: 2 (up to 2 users) when 4 are available', () => {
    expect(validate(options({
      load: { rate: 2, duration: '1s' },
    }), 'GET /', 4).workers).toBe(2)
  })

  it('uses 3 workers by default for user stages that peak at 3 users when 8 are available', () => {
    expect(validate(options({
      load: {
        stages: [
          { duration: '1s', users: 3 },
        ],
      },
    }), 'GET /', 8).workers).toBe(3)
  })

  it('lists 4 problems of the open model at once: a closed option, the rate, the duration and maxUsers', () => {
    expect(problemsOf(options({
      load: {
        rate: 0,
        duration: 'soon',
        maxUsers: -1,
        users: 5,
      },
    }))).toEqual([
      'load.users belongs to the closed model; the open model sets load.maxUsers for the most requests in flight',
      `load.rate ${RATE_EXPECTED}, got \`0\` (number). Example: ${OPEN_EXAMPLE}`,
      `load.duration ${DURATION_EXPECTED}, got \`"soon"\` (string). Example: ${OPEN_EXAMPLE}`,
      `${MAX_USERS_EXPECTED}, got \`-1\` (number). Example: ${MAX_USERS_EXAMPLE}`,
    ])
  })

  it('lists 4 problems of rate stages at once: a foreign option, a stage duration, a stage rate and startRate', () => {
    expect(problemsOf(options({
      load: {
        duration: '1m',
        startRate: -1,
        stages: [
          { duration: 'soon', rate: 100 },
          { duration: '10s', rate: 'fast' },
        ],
      },
    }))).toEqual([
      'load.duration is not an option of a ramp: each stage has its own duration',
      `load.stages[0].duration must be a duration such as '30s', '2m' or 1500 (ms), 0 for a step, got \`"soon"\` (string). Example: ${RATE_STAGES_EXAMPLE}`,
      `load.stages[1].rate ${STAGE_RATE_EXPECTED}, got \`"fast"\` (string). Example: ${RATE_STAGES_EXAMPLE}`,
      `load.startRate ${STAGE_RATE_EXPECTED}, got \`-1\` (number). Example: load: { startRate: 10, stages: [{ duration: '1m', rate: 100 }] }`,
    ])
  })

  it('ignores options of another model that are explicitly set to undefined', () => {
    expect(validate(options({
      load: {
        rate: 200,
        duration: '30s',
        users: undefined,
        iterations: undefined,
      },
    })).load.kind).toBe('open')
    expect(validate(options({
      load: userStages({ maxUsers: undefined, rate: undefined }),
    })).load.kind).toBe('ramping-users')
  })

  const defaults = [
    {
      title: 'uses 4 workers by default for 10 users when 4 are available',
      defaultWorkers: 4,
      users: 10,
      workers: 4,
    },
    {
      title: 'uses 3 workers by default for 3 users when 8 are available',
      defaultWorkers: 8,
      users: 3,
      workers: 3,
    },
    {
      title: 'uses 2 workers by default for 2 users when 2 are available',
      defaultWorkers: 2,
      users: 2,
      workers: 2,
    },
    {
      title: 'uses at least 1 worker by default, even when 0 are reported available',
      defaultWorkers: 0,
      users: 5,
      workers: 1,
    },
  ]
  for (const { title, defaultWorkers, users, workers } of defaults) {
    it(title, () => {
      expect(validate(options({
        load: { users, duration: '1s' },
      }), 'GET /', defaultWorkers).workers).toBe(workers)
    })
  }

  it('keeps workers: 3 for 3 users, even on 1 core', () => {
    expect(validate(options({
      load: { users: 3, duration: '1s' },
      workers: 3,
    }), 'GET /', 1).workers).toBe(3)
  })
})

describe('validateOptions: errorBudget', () => {
  it.each([
    [undefined, 0.01],
    [0, 0],
    [0.05, 0.05],
    [1, 1],
    [false, false],
  ])('errorBudget: %s becomes %s', (errorBudget, expected) => {
    const spec = validateOptions('GET /', {
      target: 'http://127.0.0.1:3000',
      load: { users: 1, iterations: 1 },
      ...(errorBudget !== undefined && { errorBudget }),
    }, 1)
    expect(spec.errorBudget).toBe(expected)
  })
})

describe('validateOptions: errorBudget with a breaking-point search', () => {
  const breakingPoint = (until: object) => ({
    breakingPoint: {
      users: { start: 5, step: 5, max: 20 },
      stepDuration: '1s',
      until,
    },
  })

  it('is off by default when the search stops on an error rate: the search judges errors itself', () => {
    expect(validateOptions('GET /', {
      target: 'http://127.0.0.1:3000',
      load: breakingPoint({ errorRateAbove: 0.01 }),
    }, 1).errorBudget).toBe(false)
  })

  it('stays 1 % for a search on latency alone, and as set when set', () => {
    expect(validateOptions('GET /', {
      target: 'http://127.0.0.1:3000',
      load: breakingPoint({ p95Above: '100ms' }),
    }, 1).errorBudget).toBe(0.01)
    expect(validateOptions('GET /', {
      target: 'http://127.0.0.1:3000',
      load: breakingPoint({ errorRateAbove: 0.01 }),
      errorBudget: 0.05,
    }, 1).errorBudget).toBe(0.05)
  })
})
