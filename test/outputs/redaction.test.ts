import type { TaskMeta } from 'vitest'
import type { RunReport } from '../../src/report/run-report.js'
import type { TestServer } from '../helpers/server.js'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { InvalidOptionsError, loadTest, runLoad, TargetUnreachableError } from '../../src/index.js'
import { META_KEY } from '../../src/report/run-report.js'
import { formatSummary } from '../../src/report/terminal.js'
import { ReportWriter } from '../../src/report/write-reports.js'
import { startServer } from '../helpers/server.js'

/** Each secret is unique text, so finding it anywhere means it leaked. */
const SECRET = {
  authorization: 'Bearer auth-7f3c9e1d',
  cookie: 'sid=ck-5b2e8a44',
  proxyAuthorization: 'Basic cHJveHktNmQ0YjE=',
  apiKey: 'key-0d6f2a9b',
  token: 'tok-93ac1e77',
  password: 'pw-c81e44b2',
  /** Sent by the server; never recorded, but checked all the same. */
  setCookie: 'srv-6e1f0c3d',
}
/** The parts a careless redaction would leave behind: a bearer token without its scheme, a cookie's value. */
const FRAGMENTS = ['auth-7f3c9e1d', 'ck-5b2e8a44', 'cHJveHktNmQ0YjE=']

const HEADERS = {
  'Authorization': SECRET.authorization,
  'Cookie': SECRET.cookie,
  'Proxy-Authorization': SECRET.proxyAuthorization,
  'X-Api-Key': SECRET.apiKey,
}

function leaksIn(text: string): string[] {
  return [
    ...Object.values(SECRET),
    ...FRAGMENTS,
  ].filter(secret => text.includes(secret))
}

describe('a load test that sends 6 secrets: headers, a query parameter and a JSON field', () => {
  let server: TestServer
  /** Requests whose secrets did not arrive as sent: must stay 0, or the test proves nothing. */
  let mismatches = 0
  let meta: TaskMeta | undefined
  let failure = ''
  const printed: string[] = []

  beforeAll(async () => {
    server = await startServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => body += chunk)
      req.on('end', () => {
        const url = new URL(req.url!, 'http://127.0.0.1')
        const arrived = req.headers.authorization === SECRET.authorization
          && req.headers.cookie === SECRET.cookie
          && req.headers['proxy-authorization'] === SECRET.proxyAuthorization
          && req.headers['x-api-key'] === SECRET.apiKey
          && url.searchParams.get('token') === SECRET.token
          && (JSON.parse(body) as { password?: string }).password === SECRET.password
        if (!arrived)
          mismatches++
        res.setHeader('set-cookie', `session=${SECRET.setCookie}`)
        res.statusCode = arrived ? 200 : 400
        res.end('ok')
      })
    }, { closeOnTestFinished: false })
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '))
    })
  })

  afterEach(({ task }) => {
    if (task.name === 'logs in with secrets')
      meta = task.meta
  })

  afterAll(async () => {
    vi.restoreAllMocks()
    await server?.close()
  })

  // not named 'POST /login': the endpoint's name then comes from the path, query included
  loadTest('logs in with secrets', () => ({
    target: server.url,
    request: {
      method: 'POST',
      path: '/login',
      query: { token: SECRET.token, page: 2 },
      headers: HEADERS,
      json: { user: 'grace', password: SECRET.password },
      secrets: ['x-api-key', 'token', 'password'],
    },
    load: { users: 2, iterations: 10 },
    workers: 1,
  }), (run) => {
    expect(run).toHaveErrorRateBelow(0.01)
    try {
      expect(run.endpoint(run.endpoints[0]!.name)).toHaveP95Below('1µs')
    }
    catch (error) {
      failure = (error as Error).message
    }
  })

  it('sent every secret as given: 20 requests, none with a secret missing', () => {
    expect(server.requests()).toBe(20)
    expect(mismatches).toBe(0)
  })

  it('never shows a secret in the terminal summary or a matcher\'s failure message', () => {
    const terminal = printed.join('\n')
    expect(terminal).toContain('POST /login?token=[redacted]&page=2')
    expect(leaksIn(terminal)).toEqual([])
    expect(failure).toContain('expected p95 latency of "POST /login?token=[redacted]&page=2" to be below 1 µs')
    expect(leaksIn(failure)).toEqual([])
  })

  it('never writes a secret into the JSON, HTML or Markdown report, or $GITHUB_STEP_SUMMARY', () => {
    const [report] = (meta as Record<string, unknown>)[META_KEY] as RunReport[]
    const dir = mkdtempSync(join(tmpdir(), 'vitest-load-redaction-'))
    try {
      const stepSummary = join(dir, 'step-summary.md')
      const writer = new ReportWriter({
        outputDir: join(dir, 'reports'),
        formats: ['json', 'html', 'markdown'],
        stepSummaryFile: stepSummary,
      })
      writer.writeRun({
        report: report!,
        test: { file: 'test/outputs/redaction.test.ts', name: 'logs in with secrets', state: 'passed' },
      })
      const written = writer.finish()
      const outputs = {
        json: readFileSync(written.json[0]!, 'utf8'),
        html: readFileSync(written.html[0]!, 'utf8'),
        markdown: readFileSync(written.markdown!, 'utf8'),
        stepSummary: readFileSync(stepSummary, 'utf8'),
        terminal: formatSummary(report!, { colors: true }),
      }
      for (const [format, text] of Object.entries(outputs))
        expect(leaksIn(text), format).toEqual([])
      // redacted, not merely left out: the request is described with [redacted] in place of each value
      expect(JSON.parse(outputs.json)).toMatchObject({
        request: {
          url: `${server.url}/login?token=[redacted]&page=2`,
          headers: {
            'authorization': '[redacted]',
            'cookie': '[redacted]',
            'proxy-authorization': '[redacted]',
            'x-api-key': '[redacted]',
          },
          json: { user: 'grace', password: '[redacted]' },
        },
      })
      expect(outputs.html.match(/\[redacted\]/g)!.length).toBeGreaterThanOrEqual(6)
      expect(outputs.markdown).toContain('| POST /login?token=\\[redacted\\]&page=2 |')
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('never shows a header value in an error: invalid options, and an unreachable target', async () => {
    const invalid = await runLoad({
      target: server.url,
      request: {
        headers: { ...HEADERS, 'X-Api-Key': `${SECRET.apiKey}\r\n` },
        secrets: ['x-api-key'],
      },
      load: { users: 1, iterations: 1 },
    }).catch((error: unknown) => error as Error)
    expect(invalid).toBeInstanceOf(InvalidOptionsError)
    expect(leaksIn((invalid as Error).message)).toEqual([])

    // port 9 (discard) on 127.0.0.1 takes no connection here
    const unreachable = await runLoad({
      target: 'http://127.0.0.1:9',
      request: {
        path: '/login',
        query: { token: SECRET.token },
        headers: HEADERS,
        secrets: ['token'],
      },
      load: { users: 1, iterations: 1 },
    }).catch((error: unknown) => error as Error)
    expect(unreachable).toBeInstanceOf(TargetUnreachableError)
    expect(leaksIn(`${(unreachable as Error).message} ${String((unreachable as Error).cause)}`)).toEqual([])
  })
})
