// Starts bench child processes and talks to them: one request, one reply, each with a time limit.
import { fork } from 'node:child_process'
import process from 'node:process'

/**
 * Forks `file` with a fresh Node (no inherited flags unless `execArgv` says so) and returns a
 * handle to send it requests. Every request has a deadline; past it the child is killed by its PID.
 * Results come back over IPC; `quiet` drops the child's stdout (runLoad() prints a summary).
 */
export function startChild(file, { execArgv = [], env = {}, quiet = false } = {}) {
  const child = fork(file, [], {
    execArgv,
    env: {
      ...process.env,
      ...env,
    },
    stdio: [
      'ignore',
      quiet ? 'ignore' : 'inherit',
      'inherit',
      'ipc',
    ],
  })
  let nextId = 0
  const pending = new Map()
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)))
  child.on('message', (message) => {
    const entry = pending.get(message.id)
    if (!entry)
      return
    pending.delete(message.id)
    clearTimeout(entry.timer)
    if (message.error)
      entry.reject(new Error(`${file}: ${message.error}`))
    else
      entry.resolve(message.result)
  })
  child.once('exit', (code, signal) => {
    for (const entry of pending.values()) {
      clearTimeout(entry.timer)
      entry.reject(new Error(`${file} exited (code ${code}, signal ${signal}) before replying`))
    }
    pending.clear()
  })
  return {
    pid: child.pid,
    /** Sends `message` and resolves with the child's reply; kills the child after `timeoutMs`. */
    request: (message, timeoutMs) => new Promise((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        child.kill('SIGKILL')
        reject(new Error(`${file} did not reply to ${message.type} within ${Math.round(timeoutMs / 1000)} s and was killed (pid ${child.pid})`))
      }, timeoutMs)
      pending.set(id, { resolve, reject, timer })
      child.send({ ...message, id })
    }),
    /** Disconnects (the child then exits by itself) and waits; kills it if it lingers. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        return
      if (child.connected)
        child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
