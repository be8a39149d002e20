import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ApiClient } from '@shared/contract/client'
import type { ApiErrorShape } from '@shared/contract/common'
import type { StaffSelf } from '@shared/contract/staff'
import { appConnection, ConnectionContext, reconnectedSignal } from './connection'
import { createHostClient, type SessionLoss } from './host-client'
import { clearToken, loadToken, saveToken } from './token-store'

/** Why the sign-in page shows: the user signed out, or the session was lost (a key under `session.*`). */
export type SessionNotice = 'signedOut' | SessionLoss

/** Where the renderer stands: checking a kept token, signed out (with why), or signed in. */
type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; notice: SessionNotice | null; error?: ApiErrorShape }
  | { status: 'signed-in'; me: StaffSelf }

interface SessionApi {
  state: SessionState
  client: ApiClient
  signIn(username: string, password: string): Promise<ApiErrorShape | null>
  signOut(): Promise<void>
  refreshMe(): Promise<void>
}

const SessionContext = createContext<SessionApi | null>(null)

/**
 * Owns the API client, its connection and the session: restores it on reload, keeps it across a
 * lost connection, ends it on the host's word.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(() =>
    loadToken() ? { status: 'checking' } : { status: 'signed-out', notice: null },
  )
  const signingOut = useRef(false)
  const onLost = useRef<(why: SessionLoss) => void>(() => {})
  const [host] = useState(() => {
    const { client, connection } = createHostClient((why) => onLost.current(why))
    return { client, socket: connection, reconnected: reconnectedSignal() }
  })
  const client = host.client
  const [connection] = useState(() => appConnection(host.socket, host.reconnected))

  onLost.current = (why) => {
    if (signingOut.current || client.token === undefined) return
    client.token = undefined
    clearToken()
    setState({ status: 'signed-out', notice: why })
  }

  useEffect(() => {
    if (!client.token) return
    let live = true
    let off = () => {}
    const check = () =>
      void client.try('auth.whoami', {}).then((r) => {
        if (!live) return
        if (r.ok) return setState({ status: 'signed-in', me: r.value })
        if (r.error.code === 'OFFLINE') {
          // the host is not reachable yet (the banner says so): keep the token and check again once it is
          off = host.socket.onState((st) => {
            if (st.kind !== 'online') return
            off()
            check()
          })
          if (host.socket.state().kind === 'online') {
            off()
            check()
          }
          return
        }
        setState((s) => (s.status === 'checking' ? { status: 'signed-out', notice: null, error: r.error } : s))
      })
    check()
    return () => {
      live = false
      off()
    }
  }, [client, host])

  // the transport has identified the new socket and replayed the pushes it missed; who we are may
  // have changed meanwhile (a role, a deactivation), so ask, then let pages refetch what they must
  useEffect(
    () =>
      host.socket.onSocketBack((info) => {
        if (!client.token) return host.reconnected.fire(info)
        void client.try('auth.whoami', {}).then((r) => {
          // another drop meanwhile: the next reconnect tries again; a dead session signs out (watchSession)
          if (!r.ok) return
          setState((s) => (s.status === 'signed-out' ? s : { status: 'signed-in', me: r.value }))
          host.reconnected.fire(info)
        })
      }),
    [host, client],
  )

  const signIn = useCallback(
    async (username: string, password: string) => {
      const r = await client.try('auth.login', { username, password })
      if (!r.ok) return r.error
      saveToken(r.value.token)
      setState({ status: 'signed-in', me: r.value.staff })
      return null
    },
    [client],
  )

  const signOut = useCallback(async () => {
    signingOut.current = true
    try {
      await client.try('auth.logout', {})
    } finally {
      client.token = undefined
      clearToken()
      signingOut.current = false
      setState({ status: 'signed-out', notice: 'signedOut' })
    }
  }, [client])

  const refreshMe = useCallback(async () => {
    const r = await client.try('auth.whoami', {})
    if (r.ok) setState({ status: 'signed-in', me: r.value })
  }, [client])

  const value = useMemo(() => ({ state, client, signIn, signOut, refreshMe }), [state, client, signIn, signOut, refreshMe])
  return (
    <ConnectionContext.Provider value={connection}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </ConnectionContext.Provider>
  )
}

/** The session and its actions (sign in, sign out). */
export function useSession(): SessionApi {
  const s = useContext(SessionContext)
  if (!s) throw new Error('useSession needs a <SessionProvider>')
  return s
}

/** The typed API client: the only way pages reach data. */
export function useApi(): ApiClient {
  return useSession().client
}

/** The signed-in staff member; only for pages shown after sign-in. */
export function useMe(): StaffSelf {
  const { state } = useSession()
  if (state.status !== 'signed-in') throw new Error('useMe outside a signed-in page')
  return state.me
}
