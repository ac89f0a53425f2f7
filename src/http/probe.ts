import { connect } from 'node:net'
import { TargetUnreachableError } from '../errors.js'

/**
 * Opens one TCP connection to `origin` and closes it: proof the target listens, with no HTTP
 * request sent. Rejects with `TargetUnreachableError` naming the address and the system error.
 * Settles only once the socket is closed, so a caller that returns leaves no socket behind.
 */
export async function probeTarget(origin: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(origin)
  const port = Number(url.port || (url.protocol === 'https:'
    ? 443
    : 80))
  const host = url.hostname.replace(/^\[|\]$/g, '')
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port })
    let failure: TargetUnreachableError | undefined
    const fail = (systemError: string, cause?: Error): void => {
      failure ??= new TargetUnreachableError(origin, systemError, { cause })
      socket.destroy()
    }
    socket.setTimeout(timeoutMs, () => fail(`connect timed out after ${timeoutMs} ms`))
    socket.once('error', (error: NodeJS.ErrnoException) => fail(`${error.syscall ?? 'connect'} ${error.code ?? error.message}`, error))
    socket.once('connect', () => socket.destroy())
    socket.once('close', () => failure
      ? reject(failure)
      : resolve())
  })
}
