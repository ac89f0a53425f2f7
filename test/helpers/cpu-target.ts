import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { repoRoot } from './run-vitest.js'

// Targets that behave like real services, for claims that must hold beyond a sleep. Each process
// started is pushed to `started` (from `cleanedAfterEach()`), which ends it after the test.

/**
 * A CPU-bound service in its own process, started fresh as a deployment is: each request hashes a
 * 4 KiB buffer `work` times (bench/targets/cpu-server.js). Resolves with its URL.
 */
export async function cpuServer(started: number[], work: number): Promise<string> {
  const child = spawn(process.execPath, [
    join(repoRoot, 'bench/targets/cpu-server.js'),
  ], {
    env: {
      ...process.env,
      WORK: String(work),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  started.push(child.pid!)
  const [line] = await once(child.stdout!, 'data') as [Buffer]
  return `http://127.0.0.1:${(JSON.parse(line.toString()) as { port: number }).port}`
}

/**
 * A neighbour that takes a core in bursts (0.3 to 0.9 s on, 0.4 to 1.2 s off, a fixed pattern), as
 * another job on a shared CI runner does; it ends by itself after 60 s.
 */
export function noisyNeighbour(started: number[]): ChildProcess {
  const code = `const on=[300,900,500,700,400],off=[700,400,1200,500,900];let i=0;const end=Date.now()+60000;`
    + `(function burst(){if(Date.now()>end)process.exit(0);const until=Date.now()+on[i%5];while(Date.now()<until);setTimeout(burst,off[i++%5])})()`
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' })
  started.push(child.pid!)
  return child
}
