/**
 * How a virtual user treats a target it cannot connect to: it waits before its next attempt,
 * 10 ms after the first failure, doubling up to 1 s, and back to no wait after any response.
 * Every attempt is still counted; the back-off only stops ~11,000 refused connects a second per
 * worker from drowning the run's figures (and the machine) when the target is down.
 */

/** The wait after the first connect failure in a row. */
export const BACKOFF_BASE_MS = 10
/** The longest wait between attempts. */
export const BACKOFF_MAX_MS = 1000
/** A wait is slept in slices this long, so a user in back-off notices a stop within one slice. */
export const BACKOFF_SLICE_MS = 100

/** Failures before any connection existed: nothing was written to a socket. */
const NO_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
])
/** TLS handshake failures (`ERR_TLS_CERT_ALTNAME_INVALID`, `ERR_SSL_WRONG_VERSION_NUMBER`, `DEPTH_ZERO_SELF_SIGNED_CERT` …). */
const TLS_CODE = /^ERR_(?:TLS|SSL)_|CERT/
/** The target closed the connection: before any byte of a response, the connect did not really succeed. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

function errorCode(error: unknown): string | undefined {
  const err = error as { code?: unknown, cause?: { code?: unknown } } | null
  if (typeof err?.code === 'string')
    return err.code
  return typeof err?.cause?.code === 'string'
    ? err.cause.code
    : undefined
}

/** The request never reached a connected socket (refused, unresolved, unreachable, connect timeout, TLS handshake failed): it sent no byte. */
export function failedToConnect(error: unknown): boolean {
  const code = errorCode(error)
  return code !== undefined && (NO_CONNECTION_CODES.has(code) || TLS_CODE.test(code))
}

/** A connect that failed, or a connection closed before any byte of a response arrived: the user should back off. */
export function isConnectFailure(error: unknown, responded: boolean): boolean {
  if (responded)
    return false
  const code = errorCode(error)
  return failedToConnect(error) || (code !== undefined && CLOSED_CODES.has(code))
}

/** The wait after `failures` connect failures in a row: 10, 20, 40 … ms, at most 1 s; 0 after none. */
export function backoffMs(failures: number): number {
  if (failures <= 0)
    return 0
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30))
}
