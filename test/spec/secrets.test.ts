import type { RequestSpec } from '../../src/spec/spec.js'
import { describe, expect, it } from 'vitest'
import { InvalidOptionsError } from '../../src/errors.js'
import { describeRequest, isSecretName, MIN_SECRET_LENGTH, redactDeep, redactPath, redactText, secretValuesOf } from '../../src/spec/redact.js'
import { validateOptions } from '../../src/spec/validate.js'

const TARGET = 'http://127.0.0.1:3000'

/** A name that is not a request, so the endpoint is named from `request`; it must then say its path. */
function requestOf(request: Record<string, unknown>, testName = 'path' in request
  ? 'load test'
  : 'GET /'): RequestSpec {
  return validateOptions(testName, {
    target: TARGET,
    request,
    load: { users: 1, iterations: 1 },
  }, 1).request
}

describe('request.secrets in the options', () => {
  it('keeps [\'X-Api-Key\', \'token\', \'x-api-key\'] as 2 lower-case names', () => {
    expect(requestOf({
      secrets: ['X-Api-Key', 'token', 'x-api-key'],
    }).secrets).toEqual(['x-api-key', 'token'])
  })

  it('leaves secrets out of the spec when none are given', () => {
    expect('secrets' in requestOf({})).toBe(false)
  })

  it.each([
    ['a string', 'x-api-key', '`"x-api-key"` (string)'],
    [
      'an empty name',
      ['x-api-key', ''],
      '`["x-api-key",""]` (array)',
    ],
    [
      'a number',
      [42],
      '`[42]` (array)',
    ],
  ])('rejects %s with the option, the value and an example', (_, secrets, described) => {
    expect(() => requestOf({ secrets })).toThrow(InvalidOptionsError)
    expect(() => requestOf({ secrets })).toThrow(`request.secrets must be an array of names of headers, query parameters or JSON fields whose values are secret, got ${described}. Example: request: { secrets: ['x-api-key', 'password'] }`)
  })

  it('names the endpoint \'GET /users?token=[redacted]&page=2\' when the query\'s token is secret', () => {
    const request = requestOf({
      path: '/users',
      query: { token: 'tk-91f3', page: 2 },
      secrets: ['token'],
    })
    expect(request.path).toBe('/users?token=tk-91f3&page=2')
    expect(request.name).toBe('GET /users?token=[redacted]&page=2')
  })

  it('keeps a query value in the name when nobody marked it secret', () => {
    expect(requestOf({ path: '/users?page=2' }).name).toBe('GET /users?page=2')
  })
})

describe('isSecretName', () => {
  it.each([
    'Authorization',
    'cookie',
    'SET-COOKIE',
    'proxy-authorization',
  ])('always treats %s as secret', (name) => {
    expect(isSecretName(name)).toBe(true)
  })

  it('treats x-api-key as secret only when listed', () => {
    expect(isSecretName('X-API-Key')).toBe(false)
    expect(isSecretName('X-API-Key', ['x-api-key'])).toBe(true)
  })
})

describe('redactPath', () => {
  it('redacts token and keeps page in \'/a?token=abc&page=2#top\'', () => {
    expect(redactPath('/a?token=abc&page=2#top', ['token'])).toBe('/a?token=[redacted]&page=2#top')
  })

  it('matches an encoded name: \'/a?api%5Fkey=abc\' with api_key secret', () => {
    expect(redactPath('/a?api%5Fkey=abc', ['api_key'])).toBe('/a?api%5Fkey=[redacted]')
  })

  it('leaves a path without a query, or with a malformed escape, readable', () => {
    expect(redactPath('/users', ['token'])).toBe('/users')
    expect(redactPath('/a?%E0%A4%A=1&token=x', ['token'])).toBe('/a?%E0%A4%A=1&token=[redacted]')
  })
})

describe('describeRequest', () => {
  const request = requestOf({
    method: 'POST',
    path: '/login?token=tk-91f3',
    headers: { 'Authorization': 'Bearer abc.def.ghi', 'X-Api-Key': 'key-5521', 'X-Trace': 'load-test' },
    json: {
      user: 'grace',
      password: 'hunter2-pw',
      profile: { pin: 4242 },
    },
    secrets: [
      'x-api-key',
      'token',
      'password',
      'pin',
    ],
  })

  it('shows method, URL and headers with the 3 secret values [redacted], the others as they are', () => {
    expect(describeRequest(request)).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:3000/login?token=[redacted]',
      headers: {
        'authorization': '[redacted]',
        'x-api-key': '[redacted]',
        'x-trace': 'load-test',
        'content-type': 'application/json',
      },
      bodyBytes: 63,
      json: {
        user: 'grace',
        password: '[redacted]',
        profile: { pin: '[redacted]' },
      },
    })
  })

  it('lists every secret value, the bearer token alone included, longest first', () => {
    const values = secretValuesOf(request)
    expect(values).toEqual(expect.arrayContaining([
      'Bearer abc.def.ghi',
      'abc.def.ghi',
      'key-5521',
      'tk-91f3',
      'hunter2-pw',
      '4242',
    ]))
    expect(values).not.toContain('grace')
    expect(values.map(value => value.length)).toEqual([
      ...values.map(value => value.length),
    ].sort((a, b) => b - a))
  })

  it('counts a cookie\'s values one by one: \'sid=s-77aa; theme=dark\'', () => {
    const values = secretValuesOf(requestOf({
      headers: { cookie: 'sid=s-77aa; theme=dark' },
    }))
    expect(values).toEqual(expect.arrayContaining(['sid=s-77aa; theme=dark', 's-77aa', 'dark']))
  })

  it('adds the URL-encoded form of a value with spaces: \'a b&c\' → \'a%20b%26c\' and \'a+b%26c\'', () => {
    const values = secretValuesOf(requestOf({
      headers: { 'x-api-key': 'a b&c' },
      secrets: ['x-api-key'],
    }))
    expect(values).toEqual(expect.arrayContaining(['a b&c', 'a%20b%26c', 'a+b%26c']))
  })

  it('shows a body that is not JSON only by its size: 10 B', () => {
    const described = describeRequest(requestOf({
      method: 'POST',
      body: 'name=grace',
      headers: { 'content-type': 'text/plain' },
    }))
    expect(described.bodyBytes).toBe(10)
    expect('json' in described).toBe(false)
  })
})

describe('redactText and redactDeep', () => {
  it('replaces every occurrence in a text: 2 of \'s3cr3t\'', () => {
    expect(redactText('a s3cr3t and s3cr3t again', ['s3cr3t'])).toBe('a [redacted] and [redacted] again')
  })

  it('walks strings and keys at any depth, leaving numbers and histograms alone', () => {
    const report = {
      name: 'GET /x?k=s3cr3t',
      count: 3,
      errorMessages: { 'bad key s3cr3t': 2 },
      endpoints: [
        { name: 's3cr3t', histogram: 'HISTs3cr3t==' },
      ],
    }
    expect(redactDeep(report, ['s3cr3t'])).toEqual({
      name: 'GET /x?k=[redacted]',
      count: 3,
      errorMessages: { 'bad key [redacted]': 2 },
      endpoints: [
        { name: '[redacted]', histogram: 'HISTs3cr3t==' },
      ],
    })
    expect(report.name).toBe('GET /x?k=s3cr3t')
  })
})

describe('secrets at the top level', () => {
  const scenario = new URL('../fixtures/scenarios/login.scenario.ts', import.meta.url)

  it('applies to a scenario\'s ctx.http: [\'X-Api-Key\', \'token\'] reach the spec as 2 lower-case names', () => {
    const spec = validateOptions('login', {
      target: TARGET,
      scenario,
      secrets: ['X-Api-Key', 'token'],
      load: { users: 1, iterations: 1 },
    }, 1)
    expect(spec.scenario).toBeDefined()
    expect(spec.request.secrets).toEqual(['x-api-key', 'token'])
  })

  it('adds to request.secrets: [\'token\'] and [\'password\', \'token\'] are 2 names', () => {
    const spec = validateOptions('login', {
      target: TARGET,
      request: {
        path: '/login',
        secrets: ['password', 'token'],
      },
      secrets: ['token'],
      load: { users: 1, iterations: 1 },
    }, 1)
    expect([...spec.request.secrets!].sort()).toEqual(['password', 'token'])
  })

  it('rejects a string with the option, the value and an example', () => {
    expect(() => validateOptions('login', {
      target: TARGET,
      scenario,
      secrets: 'token',
      load: { users: 1, iterations: 1 },
    }, 1)).toThrow(`secrets must be an array of names of headers, query parameters or JSON fields whose values are secret, got \`"token"\` (string). Example: secrets: ['x-api-key', 'password']`)
  })
})

describe('invalidOptionsError never shows a secret value', () => {
  const QUERY_SECRET = 'tk-5e0a7c19'

  function messageOf(options: Record<string, unknown>): string {
    try {
      validateOptions('load test', {
        target: TARGET,
        load: { users: 1, iterations: 1 },
        ...options,
      }, 1)
    }
    catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionsError)
      return (error as Error).message
    }
    throw new Error('the options were accepted')
  }

  it('says what a secret query value is, not what it holds: [token, {}] with token secret', () => {
    const message = messageOf({
      request: {
        query: {
          token: [QUERY_SECRET, {}],
        },
        secrets: ['token'],
      },
    })
    expect(message).toContain('request.query.token must be a string, number, boolean or an array of them, got an array of 2 items (value not shown: token is secret)')
    expect(message).not.toContain(QUERY_SECRET)
  })

  it('still shows a value nobody marked secret: page: [2, {}]', () => {
    expect(messageOf({
      request: {
        query: {
          page: [2, {}],
        },
      },
    })).toContain('request.query.page must be a string, number, boolean or an array of them, got `[2,{}]` (array)')
  })

  it('redacts a secret query value in a path that does not start with \'/\'', () => {
    const message = messageOf({
      request: {
        path: `login?token=${QUERY_SECRET}`,
        secrets: ['token'],
      },
    })
    expect(message).toContain('request.path must be a path starting with \'/\' or a full http(s) URL, got `"login?token=[redacted]"` (string)')
    expect(message).not.toContain(QUERY_SECRET)
  })

  it('shows a target\'s query by its names only: \'http://127.0.0.1:3000/?token=…\'', () => {
    const message = messageOf({ target: `http://127.0.0.1:3000/?token=${QUERY_SECRET}` })
    expect(message).toContain('got `"http://127.0.0.1:3000/?token=[redacted]"` (string)')
    expect(message).not.toContain(QUERY_SECRET)
  })

  it('does not show a query written as text', () => {
    expect(messageOf({
      request: { query: `token=${QUERY_SECRET}` },
    })).not.toContain(QUERY_SECRET)
  })
})

describe('short values', () => {
  it(`are not searched for in texts: below ${MIN_SECRET_LENGTH} characters ('abc', 'a b') they would match everywhere`, () => {
    const values = secretValuesOf(requestOf({
      headers: { 'cookie': 'a=abc; sid=s-77aa', 'x-api-key': 'a b' },
      secrets: ['x-api-key'],
    }))
    expect(values).toContain('s-77aa')
    expect(values).not.toContain('abc')
    expect(values).not.toContain('a b')
    expect(values).not.toContain('a%20b')
  })

  it('never break the report\'s own field names: a secret \'http\' leaves errors.http a number', () => {
    const report = {
      totals: {
        errors: { http: 3 },
        errorMessages: { 'http failed': 1 },
      },
      metrics: {
        'http calls': { count: 1 },
      },
    }
    expect(redactDeep(report, ['http'])).toEqual({
      totals: {
        errors: { http: 3 },
        errorMessages: { '[redacted] failed': 1 },
      },
      metrics: {
        '[redacted] calls': { count: 1 },
      },
    })
  })
})
