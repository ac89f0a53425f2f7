// A small in-memory users API on node:http, the system under test of the demo and the examples.
//
//   GET  /users        the users as a JSON array; `?limit=` (1–100, default 20) and `?offset=`
//   GET  /users/:id    one user, or 404
//   POST /users        JSON body { name, age }: 201 with the created user, 400 on bad input
//
// It binds 127.0.0.1 on a free port: load tests send their load to this machine only.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { createServer } from 'node:http'

export interface User {
  id: number
  name: string
  age: number
}

export interface DemoApi {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** How many users the store holds now. */
  userCount: () => number
  /** Closes the server and its keep-alive connections. Safe to call twice. */
  close: () => Promise<void>
}

export interface DemoApiOptions {
  /**
   * Users in the store at start, with ids 1…n.
   * @default 10
   */
  seedUsers?: number
  /**
   * The most users POST /users keeps: past it, each new user evicts the oldest created one (never a
   * seeded one), so a long POST load cannot grow memory without bound.
   * @default 10_000
   */
  maxUsers?: number
}

const MAX_BODY_BYTES = 16 * 1024
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100
const NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Ken',
  'Radia',
  'Linus',
]

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`))
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.once('error', reject)
  })
}

/** Checks a POST /users body; returns the new user's fields or throws a 400 naming every problem. */
function parseNewUser(text: string): Omit<User, 'id'> {
  let value: unknown
  try {
    value = JSON.parse(text)
  }
  catch {
    throw new HttpError(400, 'body is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HttpError(400, 'body must be a JSON object { name, age }')
  const { name, age } = value as Record<string, unknown>
  const problems: string[] = []
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100)
    problems.push('name must be a non-empty string of at most 100 characters')
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 150)
    problems.push('age must be an integer from 0 to 150')
  if (problems.length > 0)
    throw new HttpError(400, problems.join('; '))
  return {
    name: (name as string).trim(),
    age: age as number,
  }
}

function intParam(params: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = params.get(key)
  if (raw === null)
    return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max)
    throw new HttpError(400, `${key} must be an integer from ${min} to ${max}`)
  return value
}

/** Starts the demo API on 127.0.0.1, on a free port. */
export async function startDemoApi(options: DemoApiOptions = {}): Promise<DemoApi> {
  const maxUsers = options.maxUsers ?? 10_000
  const seeded = new Map<number, User>()
  const created = new Map<number, User>()
  let nextId = 1
  for (let i = 0; i < (options.seedUsers ?? 10); i++) {
    const user = { id: nextId++, name: NAMES[i % NAMES.length]!, age: 20 + (i * 7) % 50 }
    seeded.set(user.id, user)
  }
  const add = (fields: Omit<User, 'id'>): User => {
    const user = { id: nextId++, ...fields }
    created.set(user.id, user)
    if (created.size > maxUsers)
      created.delete(created.keys().next().value!) // a Map iterates in insertion order: the oldest first
    return user
  }
  function* allUsers(): Generator<User> {
    yield* seeded.values()
    yield* created.values()
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const parts = url.pathname.split('/').filter(Boolean)
    if (parts[0] !== 'users' || parts.length > 2)
      throw new HttpError(404, `no route for ${url.pathname}`)

    if (parts.length === 1) {
      if (req.method === 'GET') {
        const limit = intParam(url.searchParams, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT)
        const offset = intParam(url.searchParams, 'offset', 0, 0, Number.MAX_SAFE_INTEGER)
        const page: User[] = []
        let index = 0
        for (const user of allUsers()) {
          if (page.length === limit)
            break
          if (index++ >= offset)
            page.push(user)
        }
        req.resume()
        sendJson(res, 200, page)
        return
      }
      if (req.method === 'POST') {
        const type = req.headers['content-type'] ?? ''
        if (!/^application\/json\b/i.test(type)) {
          req.resume()
          throw new HttpError(415, 'content-type must be application/json')
        }
        sendJson(res, 201, add(parseNewUser(await readBody(req))))
        return
      }
      res.setHeader('allow', 'GET, POST')
      throw new HttpError(405, `${req.method} not allowed on /users`)
    }

    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET')
      throw new HttpError(405, `${req.method} not allowed on /users/:id`)
    }
    req.resume()
    const id = Number(parts[1])
    const user = Number.isInteger(id)
      ? seeded.get(id) ?? created.get(id)
      : undefined
    if (!user)
      throw new HttpError(404, `no user ${parts[1]}`)
    sendJson(res, 200, user)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError
        ? error.status
        : 500
      const message = error instanceof Error
        ? error.message
        : String(error)
      if (res.headersSent)
        res.destroy()
      else
        sendJson(res, status, { error: message })
    })
  })
  // load generators keep their connections alive between requests; so does the server
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')

  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    userCount: () => seeded.size + created.size,
    close: () => closing ??= new Promise<void>((resolve, reject) => {
      server.close(error => error
        ? reject(error)
        : resolve())
      server.closeAllConnections() // idle keep-alive sockets would otherwise hold close() open
    }),
  }
}
