import { describe, expect, it } from 'vitest'
import { RequestTimeoutError } from '../../src/http/classify-error.js'
import { backoffMs, failedToConnect, isConnectFailure } from '../../src/http/connect-backoff.js'

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code })
}

describe('the connect back-off', () => {
  it('waits 0 ms after no failure, then 10, 20, 40 … ms, at most 1 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map(backoffMs)).toEqual([
      0,
      10,
      20,
      40,
      80,
      160,
      320,
      640,
      1000,
      1000,
      1000,
    ])
  })

  it('takes refused, unresolved and timed-out connects and TLS handshake failures as sending nothing', () => {
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'UND_ERR_CONNECT_TIMEOUT',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    ])
      expect(failedToConnect(systemError(code)), code).toBe(true)
    expect(failedToConnect(new Error('fetch failed', {
      cause: systemError('ECONNREFUSED'),
    }))).toBe(true)
    expect(failedToConnect(systemError('ECONNRESET'))).toBe(false)
    expect(failedToConnect(new RequestTimeoutError(100))).toBe(false)
  })

  it('backs off after a failed connect or a connection closed before any response byte, not after a timeout or a response', () => {
    expect(isConnectFailure(systemError('ECONNREFUSED'), false)).toBe(true)
    expect(isConnectFailure(systemError('ECONNRESET'), false)).toBe(true)
    expect(isConnectFailure(systemError('UND_ERR_SOCKET'), false)).toBe(true)
    // a response had begun: the connect worked
    expect(isConnectFailure(systemError('ECONNRESET'), true)).toBe(false)
    expect(isConnectFailure(new RequestTimeoutError(100), false)).toBe(false)
    // a run stopped early aborts with a plain error
    expect(isConnectFailure(new Error('run stopped early'), false)).toBe(false)
  })
})
