import { readFileSync, rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach } from 'vitest'

/** Running, that is: a zombie waiting for an adoptive parent to reap it sends nothing. */
export function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  }
  catch {
    return false
  }
}

/** Whether `condition` came true within `limitMs`, looked at every 50 ms. */
export async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const endAt = Date.now() + limitMs
  while (!condition() && Date.now() < endAt)
    await sleep(50)
  return condition()
}

/**
 * What a test file's tests leave behind, cleaned after each test: the processes they started (by
 * PID, killed if still running) and the folders they made.
 */
export function cleanedAfterEach(): { started: number[], folders: string[] } {
  const started: number[] = []
  const folders: string[] = []
  afterEach(() => {
    for (const pid of started.splice(0)) {
      if (isAlive(pid))
        process.kill(pid, 'SIGKILL')
    }
    for (const folder of folders.splice(0))
      rmSync(folder, { recursive: true, force: true })
  })
  return { started, folders }
}
