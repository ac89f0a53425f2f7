import type { ProgressListener, ProgressServerOptions } from '../../src/progress/channel.js'
import type { ProgressFigures, ProgressStart } from '../../src/progress/messages.js'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createConnection } from 'node:net'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { newProgressSocketPath, ProgressClient, ProgressServer } from '../../src/progress/channel.js'

const start: ProgressStart = {
  name: 'GET /users',
  plannedMs: 3000,
  plannedIsLimit: false,
  startAtEpochMs: 1,
}
const figures: ProgressFigures = {
  second: 0,
  activeUsers: 2,
  requestsPerSec: 40,
  requests: 40,
  errors: 1,
  p95Ms: 5,
}

/** Records what the server hands the display, and says when a run has ended. */
function recordingListener() {
  const events: string[] = []
  let onEnd = (): void => {}
  const listener: ProgressListener = {
    start: (received) => {
      events.push(`start ${received.name}`)
      return {
        update: update => events.push(`update ${update.second} ${update.requests}`),
        end: () => {
          events.push('end')
          onEnd()
        },
      }
    },
  }
  return {
    events,
    listener,
    ended: () => new Promise<void>(resolve => onEnd = resolve),
  }
}

async function startServer(listener: ProgressListener, options?: ProgressServerOptions): Promise<{ path: string, server: ProgressServer }> {
  const path = newProgressSocketPath()
  const server = new ProgressServer(path, listener, options)
  onTestFinished(() => server.close())
  expect(await server.listening).toBeUndefined()
  return { path, server }
}

describe('the progress channel between a test and the reporter', () => {
  it('carries a run\'s start and updates, and ends the run when the test closes its connection', async () => {
    const { events, listener, ended } = recordingListener()
    const { path } = await startServer(listener)

    const client = new ProgressClient(path)
    const end = ended()
    client.send({ type: 'start', ...start })
    client.send({ type: 'update', ...figures })
    client.send({
      type: 'update',
      ...figures,
      second: 1,
      requests: 80,
    })
    await client.close()
    await end
    expect(events).toEqual([
      'start GET /users',
      'update 0 40',
      'update 1 80',
      'end',
    ])
  })

  it('ends the run of a connection that drops without a word, and ignores lines that are not ours', async () => {
    const { events, listener, ended } = recordingListener()
    const { path } = await startServer(listener)

    const socket = createConnection(path)
    const end = ended()
    socket.write('GET / HTTP/1.1\r\n\r\n')
    socket.write(`${JSON.stringify({ type: 'start', ...start })}\n{"type":"update","second":"x"}\n`)
    socket.write(`${JSON.stringify({ type: 'update', ...figures }).slice(0, 20)}`)
    socket.write(`${JSON.stringify({ type: 'update', ...figures }).slice(20)}\n`)
    await new Promise(resolve => setTimeout(resolve, 20))
    socket.destroy()
    await end
    expect(events).toEqual(['start GET /users', 'update 0 40', 'end'])
  })

  it('removes its socket file when it closes, and a client then loses only its messages', async () => {
    const { listener } = recordingListener()
    const { path, server } = await startServer(listener)
    expect(existsSync(path)).toBe(true)
    await server.close()
    expect(existsSync(path)).toBe(false)

    const client = new ProgressClient(path)
    client.send({ type: 'start', ...start })
    await client.close()
  })

  it('drops a connection that sends a line longer than 64 KiB', async () => {
    const { events, listener } = recordingListener()
    const { path } = await startServer(listener)
    const socket = createConnection(path)
    socket.on('error', () => {})
    socket.write('x'.repeat(70 * 1024))
    await once(socket, 'close')
    expect(events).toEqual([])
  })

  it('answers a run\'s end with the runs of other test files that overlapped it, and for how long', async () => {
    const { events, listener } = recordingListener()
    let clock = 0
    const { path } = await startServer(listener, {
      now: () => clock,
      fileName: file => file.replace('/root/', ''),
    })
    const connect = async (name: string, group: string, file: string): Promise<ProgressClient> => {
      const client = new ProgressClient(path)
      client.send({
        type: 'start',
        ...start,
        name,
        group,
        file,
        // overlaps count from the load's common start, which the test process sends
        startAtEpochMs: clock,
      })
      await vi.waitFor(() => expect(events).toContain(`start ${name}`))
      return client
    }

    clock = 1000
    const a = await connect('GET /a', 'file-a', '/root/a.load.test.ts')
    clock = 1500
    const b = await connect('GET /b', 'file-b', '/root/b.load.test.ts')
    // a second run of a's test file: that file marks it itself, the reporter does not name it to a
    const c = await connect('GET /c', 'file-a', '/root/a.load.test.ts')

    clock = 4000
    expect(await a.finish()).toEqual([
      { name: 'GET /b', file: 'b.load.test.ts', ms: 2500 },
    ])
    clock = 5000
    expect(await b.finish()).toEqual([
      { name: 'GET /c', file: 'a.load.test.ts', ms: 3500 },
      { name: 'GET /a', file: 'a.load.test.ts', ms: 2500 },
    ])
    clock = 6000
    expect(await c.finish()).toEqual([
      { name: 'GET /b', file: 'b.load.test.ts', ms: 3500 },
    ])

    // a run alone, after the others: nothing
    clock = 7000
    const alone = await connect('GET /alone', 'file-d', '/root/d.load.test.ts')
    clock = 9000
    expect(await alone.finish()).toEqual([])
  })

  it('finishes at once with no overlaps when no reporter listens', async () => {
    const client = new ProgressClient(newProgressSocketPath())
    client.send({ type: 'start', ...start })
    const startedAt = Date.now()
    expect(await client.finish()).toEqual([])
    expect(Date.now() - startedAt).toBeLessThan(900)
  })
})
