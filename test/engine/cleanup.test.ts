import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { expect, it, onTestFinished } from 'vitest'
import { newProgressSocketPath, PROGRESS_SOCKET_ENV, ProgressServer } from '../../src/progress/channel.js'
import { fixed, stalling, startServer } from '../helpers/server.js'

const script = fileURLToPath(new URL('../fixtures/scripts/runs-then-idles.ts', import.meta.url))

it('nothing keeps the process alive after runs that pass, time out, are aborted or fail', async () => {
  const ok = await startServer(fixed())
  const stalled = await startServer(stalling())
  const closed = await startServer(fixed())
  await closed.close()
  // the runs send their live progress to a socket, as under the plugin: that connection must go too
  const progress: string[] = []
  const socketPath = newProgressSocketPath()
  const progressServer = new ProgressServer(socketPath, {
    start: ({ name }) => {
      progress.push(`start ${name}`)
      return {
        update: () => {},
        end: () => progress.push(`end ${name}`),
      }
    },
  })
  onTestFinished(() => progressServer.close())
  expect(await progressServer.listening).toBeUndefined()

  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    script,
    ok.url,
    stalled.url,
    closed.url,
  ], {
    env: { ...process.env, [PROGRESS_SOCKET_ENV]: socketPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => stdout += chunk)
  child.stderr.on('data', (chunk: Buffer) => stderr += chunk)
  // the script never calls process.exit(): it ends only when nothing of ours is left running
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const [code, signal] = await once(child, 'exit') as [number | null, string | null]
  clearTimeout(killer)

  expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' })
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { outcomes: string[], resources: string[] }
  expect(report.outcomes).toEqual([
    'passes: ok',
    'times out: LoadTimeoutError',
    'aborted: LoadAbortedError',
    'unreachable: TargetUnreachableError',
    'invalid: InvalidOptionsError',
  ])
  // what is still registered once the last run has returned: no worker, socket, port or timer
  // (the pipes are this child's stdout and stderr)
  expect(report.resources.filter(resource => resource !== 'PipeWrap' && resource !== 'TTYWrap')).toEqual([])
  // each run that started (the one passing, the one timing out, and the aborted one unless it was
  // aborted before its workers were ready) opened a progress connection, and closed it
  const starts = progress.filter(event => event === 'start GET /').length
  expect(starts).toBeGreaterThanOrEqual(2)
  expect(progress.filter(event => event === 'end GET /')).toHaveLength(starts)
}, 40_000)
