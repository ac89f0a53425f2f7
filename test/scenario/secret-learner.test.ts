import { describe, expect, it } from 'vitest'
import { MAX_ERROR_MESSAGE_CHARS } from '../../src/http/classify-error.js'
import { ScenarioHttpClient } from '../../src/scenario/http-client.js'
import { EndpointRecorders } from '../../src/scenario/recorders.js'
import { MAX_KNOWN_SECRETS, SecretLearner } from '../../src/scenario/secret-learner.js'
import { validateOptions } from '../../src/spec/validate.js'

function learner(secrets: string[] = []): { learner: SecretLearner, sent: string[][] } {
  const sent: string[][] = []
  return {
    learner: new SecretLearner(secrets, values => sent.push(values)),
    sent,
  }
}

describe('secretLearner', () => {
  it('sends a bearer token once, whole and alone, however often it is sent', () => {
    const { learner: l, sent } = learner()
    for (let i = 0; i < 3; i++)
      l.header('authorization', 'Bearer tok-1a2b3c')
    expect(sent).toEqual([
      ['Bearer tok-1a2b3c', 'tok-1a2b3c'],
    ])
  })

  it('sends each cookie\'s value of \'sid=s-77aa; theme=dark; a=b\', not the 1-character one', () => {
    const { learner: l, sent } = learner()
    l.header('cookie', 'sid=s-77aa; theme=dark; a=b')
    expect(sent).toEqual([
      ['sid=s-77aa; theme=dark; a=b', 's-77aa', 'dark'],
    ])
  })

  it('knows the always-secret headers, and the options\' names as headers too', () => {
    expect([
      ...learner(['x-api-key']).learner.headerNames,
    ].sort()).toEqual([
      'authorization',
      'cookie',
      'proxy-authorization',
      'set-cookie',
      'x-api-key',
    ])
  })

  it('finds the values of secret fields in a JSON body at any depth, and of secret query parameters in a path', () => {
    const { learner: l, sent } = learner(['password', 'token'])
    l.json({
      user: 'grace',
      password: 'pw-5fa2b8',
      profile: { Token: 'tk-77c0d1', pin: 4242 },
      list: [
        { password: 12345678 },
      ],
    })
    l.path('/login?token=tk-path-01&page=2')
    expect(sent.flat()).toEqual([
      'pw-5fa2b8',
      'tk-77c0d1',
      '12345678',
      'tk-path-01',
    ])
  })

  it('never sends a value shorter than 4 characters, nor looks at it again', () => {
    const { learner: l, sent } = learner(['pin'])
    l.value('123')
    l.value('123')
    expect(sent).toEqual([])
  })

  it(`cuts error messages past the shown ${MAX_ERROR_MESSAGE_CHARS} characters by 3 times the longest value sent`, () => {
    const { learner: l } = learner()
    expect(l.messageChars).toBe(MAX_ERROR_MESSAGE_CHARS)
    l.header('authorization', `Bearer ${'x'.repeat(93)}`)
    expect(l.messageChars).toBe(MAX_ERROR_MESSAGE_CHARS + 3 * 100)
  })

  it(`remembers at most ${MAX_KNOWN_SECRETS} values, then starts again (sending a value twice is harmless)`, () => {
    const { learner: l, sent } = learner(['token'])
    for (let i = 0; i <= MAX_KNOWN_SECRETS; i++)
      l.value(`token-${i}`)
    l.value('token-0')
    expect(sent.length).toBe(MAX_KNOWN_SECRETS + 2)
  })
})

describe('ctx.http\'s own errors', () => {
  it('never show the value of a secret query parameter, in the query or in a path written without \'/\'', async () => {
    const request = validateOptions('s', {
      target: 'http://127.0.0.1:9',
      scenario: new URL('../fixtures/scenarios/login.scenario.ts', import.meta.url),
      secrets: ['token'],
      load: { users: 1, iterations: 1 },
    }, 1).request
    const { learner: l } = learner(request.secrets)
    const client = new ScenarioHttpClient(request, new EndpointRecorders(), () => {}, l)
    try {
      // both are misuses, thrown before anything is sent
      const inQuery = await client.http.get('/x', {
        query: {
          token: ['tk-5e0a7c19', {} as string],
        },
      }).catch((error: Error) => error.message)
      const inPath = await client.http.get('x?token=tk-5e0a7c19').catch((error: Error) => error.message)
      expect(inQuery).toBe('ctx.http: query.token must be a string, number, boolean or an array of them, got an array of 2 items (value not shown: token is secret). Example: ctx.http.request({ path: \'/users\', query: { page: 2, tag: [\'a\', \'b\'] } })')
      expect(inPath).toContain('got `"x?token=[redacted]"` (string)')
    }
    finally {
      await client.close()
    }
  })
})
