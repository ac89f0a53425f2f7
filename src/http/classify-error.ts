import type { ErrorKind } from '../metrics/recorder.js'

/** Raised by our own per-request deadline, which covers the whole request, not just one read. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError'
  readonly code = 'VL_REQUEST_TIMEOUT'

  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`)
  }
}

const TIMEOUT_CODES = new Set([
  'VL_REQUEST_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
])

/** Error messages are shown cut to this many characters. */
export const MAX_ERROR_MESSAGE_CHARS = 200

/**
 * An error without a response → its kind and a short message that groups alike errors: `'ECONNRESET: other side closed'`.
 * `maxChars`: where the message is cut; a scenario's worker keeps more, so that a secret value across
 * the cut can still be found whole and removed in the test thread (`scrubSnapshot`), which then cuts it.
 */
export function classifyError(error: unknown, maxChars = MAX_ERROR_MESSAGE_CHARS): { kind: ErrorKind, message: string } {
  const err = error as { code?: unknown, message?: unknown, cause?: { code?: unknown } } | null
  const code = typeof err?.code === 'string'
    ? err.code
    : typeof err?.cause?.code === 'string'
      ? err.cause.code
      : undefined
  const text = typeof err?.message === 'string'
    ? err.message
    : String(error)
  const kind: ErrorKind = code !== undefined && TIMEOUT_CODES.has(code)
    ? 'timeout'
    : 'network'
  // keep messages short and free of per-request detail so equal errors group together
  const message = (code && !text.startsWith(code)
    ? `${code}: ${text}`
    : text).replace(/:\d{2,5}\b/g, ':<port>').slice(0, maxChars)
  return { kind, message }
}
