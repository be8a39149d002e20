import { ApiClient, type Transport } from '@shared/contract/client'
import type { ErrorCode } from '@shared/contract/common'
import { wsTransport, type ConnectionState, type Reconnected } from '@shared/contract/ws-transport'
import { loadToken } from './token-store'

const LOST_CODES = ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ACCOUNT_DISABLED'] as const

/** Why the renderer lost its session: an error code of a call, or the reason the host pushed. */
export type SessionLoss = (typeof LOST_CODES)[number] | 'ended' | 'logout' | 'deactivated' | 'password_changed' | 'expired'

/** Whether a call's error code means the session is gone. */
function isLostCode(code: ErrorCode): code is (typeof LOST_CODES)[number] {
  return (LOST_CODES as readonly ErrorCode[]).includes(code)
}

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
      if (!r.ok && method !== 'auth.login' && isLostCode(r.error.code)) onLost(r.error.code)
      return r
    },
    onEvent: inner.onEvent,
    close: inner.close,
  }
}

/** The socket to the host as the app shell sees it: its state, "it is back", and "try now". */
export interface HostConnection {
  state(): ConnectionState
  onState(fn: (s: ConnectionState) => void): () => void
  /** a lost socket opened again, identified with the kept token and caught up (see Reconnected) */
  onSocketBack(fn: (info: Reconnected) => void): () => void
  retryNow(): void
}

/**
 * The typed API client of the renderer, over one WebSocket to the host, starting with the
 * token this tab kept, and the connection it runs on (opened at once, so a host that goes away
 * shows even on the sign-in page). `onLost` hears every sign that the session ended.
 */
export function createHostClient(onLost: (why: SessionLoss) => void): { client: ApiClient; connection: HostConnection } {
  const transport = wsTransport({
    url: hostSocketUrl(),
    WebSocketImpl: WebSocket,
    onClose: (code) => {
      if (code === SESSION_CLOSED) onLost('ended')
    },
  })
  const client = new ApiClient(watchSession(transport, onLost), loadToken())
  client.on('session.ended', ({ reason }) => onLost(reason))
  // the network came back (a cable, Wi-Fi): no need to wait for the back-off
  window.addEventListener('online', () => transport.retryNow())
  transport.retryNow()
  return {
    client,
    connection: {
      state: transport.connection,
      onState: transport.onConnection,
      onSocketBack: transport.onReconnected,
      retryNow: transport.retryNow,
    },
  }
}
