import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import { delayed, startServer } from '../helpers/server.js'

const script = fileURLToPath(new URL('../fixtures/scripts/load-until-orphaned.ts', import.meta.url))
/** Processes the test started, ended by PID if an assertion left them running. */
const started: number[] = []
let folder = ''

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    }
    catch {}
  }
  rmSync(folder, { recursive: true, force: true })
})

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  }
  catch {
    return false
  }
}

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const endAt = Date.now() + limitMs
  while (!condition() && Date.now() < endAt)
    await sleep(50)
  return condition()
}

it('a run whose parent process dies (no IPC channel: the PID watch) stops its load and ends its process', async () => {
  const server = await startServer(delayed(20))
  folder = mkdtempSync(join(tmpdir(), 'vitest-load-parent-'))
  const pidFile = join(folder, 'pid')
  const resultFile = join(folder, 'result')
  // a parent that starts the load process without IPC, then only waits, until this test kills it
  const parent = spawn(process.execPath, [
    '-e',
    `
    const { spawn } = require('node:child_process')
    spawn(process.execPath, ['--import', 'tsx', ...process.argv.slice(1)], { stdio: 'ignore' })
    setInterval(() => {}, 1000)
  `,
    script,
    server.url,
    pidFile,
    resultFile,
  ], { stdio: 'ignore' })
  started.push(parent.pid!)
  expect(await until(() => server.requests() > 50, 60_000)).toBe(true)
  const loadPid = Number(readFileSync(pidFile, 'utf8'))
  started.push(loadPid)

  process.kill(parent.pid!, 'SIGKILL')
  expect(await until(() => existsSync(resultFile), 5_000)).toBe(true)
  await sleep(1000)
  const afterOneSecond = server.requests()
  await sleep(1000)

  expect(server.requests()).toBe(afterOneSecond)
  const [first, second] = readFileSync(resultFile, 'utf8').split('\n')
  expect(first).toMatch(/^LoadAbortedError: Load test "GET \/" was aborted \(the process that started this test process is gone: its parent process \d+ has exited\); requests in flight were cancelled\.$/)
  expect(Number(second!.replace('requests kept: ', ''))).toBeGreaterThan(50)
  // nothing of the run keeps the orphan alive: it ends by itself
  expect(await until(() => !isAlive(loadPid), 10_000)).toBe(true)
})
