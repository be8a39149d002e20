import { ApiClient, type Transport } from '../../../shared/contract/client'
import type { ErrorCode } from '../../../shared/contract/common'
import { wsTransport } from '../../../shared/contract/ws-transport'
import { loadToken } from './token-store'

/** Why the renderer lost its session: an error code of a call, or the reason the host pushed. */
export type SessionLoss = ErrorCode | 'ended' | 'logout' | 'deactivated' | 'password_changed' | 'expired'

const LOST_CODES: ReadonlySet<ErrorCode> = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ACCOUNT_DISABLED'])

// The host closes a socket with 4001 when its session was revoked.
const SESSION_CLOSED = 4001

/** The host's WebSocket address, on the same host and port that served this page. */
export function hostSocketUrl(loc: Location = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`
}

/** Reports calls that failed because the session is gone (sign-in itself excluded). */
function watchSession(inner: Transport, onLost: (why: SessionLoss) => void): Transport {
  return {
    async request(method, input, token) {
      const r = await inner.request(method, input, token)
      if (!r.ok && method !== 'auth.login' && LOST_CODES.has(r.error.code)) onLost(r.error.code)
      return r
    },
    onEvent: inner.onEvent,
    close: inner.close,
  }
}

/**
 * The typed API client of the renderer, over one WebSocket to the host, starting with the
 * token this tab kept. `onLost` hears every sign that the session ended.
 */
export function createHostClient(onLost: (why: SessionLoss) => void): ApiClient {
  const transport = wsTransport({
    url: hostSocketUrl(),
    WebSocketImpl: WebSocket,
    onClose: (code) => {
      if (code === SESSION_CLOSED) onLost('ended')
    },
  })
  const client = new ApiClient(watchSession(transport, onLost), loadToken())
  client.on('session.ended', ({ reason }) => onLost(reason))
  return client
}
