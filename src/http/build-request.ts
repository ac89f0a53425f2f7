import type { Dispatcher } from 'undici'
import type { RequestSpec } from '../spec/spec.js'
import { Buffer } from 'node:buffer'

/** A request built once per run and sent unchanged by every user of a worker. */
export interface PreparedRequest {
  /** Passed to `client.dispatch()` as it is, every time. */
  options: Dispatcher.DispatchOptions
  /** Request line, headers (ours and undici's) and body, in bytes. */
  bytesSent: number
  /** `isSuccess[status] === 1` for statuses the test expects: one array read per response. */
  isSuccess: Uint8Array
}

/** Builds the dispatch options, the byte count and the success table of `spec`, once per run. */
export function prepareRequest(spec: RequestSpec): PreparedRequest {
  const body = spec.body === null
    ? null
    : Buffer.from(spec.body)
  const headers: Record<string, string> = { ...spec.headers }
  const isSuccess = new Uint8Array(600)
  for (const [min, max] of spec.successStatuses) {
    for (let status = min; status <= max; status++)
      isSuccess[status] = 1
  }
  // undici adds host and connection; content-length when there is a body
  const host = new URL(spec.origin).host
  let headerBytes = `host: ${host}\r\nconnection: keep-alive\r\n`.length
  for (const [name, value] of Object.entries(headers))
    headerBytes += name.length + value.length + 4
  if (body)
    headerBytes += `content-length: ${body.byteLength}\r\n`.length
  const requestLine = `${spec.method} ${spec.path} HTTP/1.1\r\n`.length
  return {
    options: {
      origin: spec.origin,
      method: spec.method as Dispatcher.HttpMethod,
      path: spec.path,
      headers,
      body,
      headersTimeout: spec.timeoutMs,
      bodyTimeout: spec.timeoutMs,
    },
    bytesSent: requestLine + headerBytes + 2 + (body?.byteLength ?? 0),
    isSuccess,
  }
}
