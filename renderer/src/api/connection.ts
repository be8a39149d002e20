import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react'
import type { ConnectionState, Reconnected } from '@shared/contract/ws-transport'
import type { HostConnection } from './host-client'

/** The connection as pages see it: its state, and "back and signed in again" to refetch on. */
interface AppConnection {
  state(): ConnectionState
  onState(fn: (s: ConnectionState) => void): () => void
  /** the socket is back, re-identified and caught up (see Reconnected): pushes reach it again. */
  onReconnected(fn: (info: Reconnected) => void): () => void
  retryNow(): void
}

export const ConnectionContext = createContext<AppConnection | null>(null)

/** A listener list for "reconnected", fired by the session once the new socket is identified. */
export function reconnectedSignal() {
  const listeners = new Set<(info: Reconnected) => void>()
  return {
    on(fn: (info: Reconnected) => void) {
      listeners.add(fn)
      return () => void listeners.delete(fn)
    },
    fire(info: Reconnected) {
      for (const l of [...listeners]) l(info)
    },
  }
}

/** Joins the socket's state with the session's "reconnected" signal. */
export function appConnection(socket: HostConnection, reconnected: ReturnType<typeof reconnectedSignal>): AppConnection {
  return { state: socket.state, onState: socket.onState, retryNow: socket.retryNow, onReconnected: reconnected.on }
}

function useConnection(): AppConnection {
  const c = useContext(ConnectionContext)
  if (!c) throw new Error('useConnection needs a <SessionProvider>')
  return c
}

/** The connection state, re-rendering only the component that asks (not every page). */
export function useConnectionState(): ConnectionState {
  const c = useConnection()
  return useSyncExternalStore(c.onState, c.state)
}

/** The connection state as it is at the moment of asking, for code that runs after an await (a render's value may be older). */
export function useConnectionNow(): () => ConnectionState {
  return useConnection().state
}

/** "Try now" for the reconnect banner. */
export function useRetryNow(): () => void {
  return useConnection().retryNow
}

/**
 * Calls `fn` each time the connection is back after a loss (and the session re-identified). A
 * page whose data changes without pushes refetches always; one kept current by pushes only when
 * `refetch` says some were missed for good (the missed ones that were kept have been replayed).
 */
export function useReconnected(fn: (info: Reconnected) => void): void {
  const c = useConnection()
  const latest = useRef(fn)
  latest.current = fn
  useEffect(() => c.onReconnected((info) => latest.current(info)), [c])
}
