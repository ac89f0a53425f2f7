import type { ProgressListener } from '../../src/progress/channel.js'
import type { ProgressFigures, ProgressStart } from '../../src/progress/messages.js'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createConnection } from 'node:net'
import { describe, expect, it, onTestFinished } from 'vitest'
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

async function startServer(listener: ProgressListener): Promise<{ path: string, server: ProgressServer }> {
  const path = newProgressSocketPath()
  const server = new ProgressServer(path, listener)
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
})
