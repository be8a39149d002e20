import type { Result } from './common'
import type { Transport } from './client'
import type { EventName, ServerFrame } from './events'

/** The WebSocket surface shared by browsers and the `ws` package. */
interface SocketLike {
  readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  // handler slots typed loosely so both the DOM WebSocket and `ws` fit without casts
  onopen: ((ev: never) => void) | null
  onclose: ((ev: never) => void) | null
  onerror: ((ev: never) => void) | null
  onmessage: ((ev: never) => void) | null
}

/** Timers, injected so tests drive reconnects without waiting. */
export interface TransportTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Where the connection to the host stands:
 * - `idle`: no socket yet (opened on the first call or `retryNow`);
 * - `connecting`: the first socket is opening; calls wait for it;
 * - `online`;
 * - `reconnecting`: the socket was lost (or never opened). `attempt` is the try under way or the
 *   next one, `retryInMs` the wait before it (null while a try is under way). Calls fail at once
 *   with OFFLINE once a try has failed, instead of waiting for the host;
 * - `closed`: `close()` was called; the next call opens again.
 */
export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'online' }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number | null }
  | { kind: 'closed' }

/** How reconnecting backs off: the first retry after a drop is at once, then jittered doubling up to a cap. */
export interface ReconnectPolicy {
  /** the wait after the first failed try (before jitter). */
  firstDelayMs: number
  /** the longest wait between tries: a clerk waits at most this long after the host is back. */
  maxDelayMs: number
  /** a socket that has not opened by then counts as a failed try (a PC switched off on the LAN never answers). */
  connectTimeoutMs: number
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { firstDelayMs: 500, maxDelayMs: 10_000, connectTimeoutMs: 10_000 }

export interface WsTransportOptions {
  url: string
  /** the WebSocket constructor: `globalThis.WebSocket` in a browser, `ws` in Node. */
  WebSocketImpl: new (url: string) => SocketLike
  /** called when the host closes the socket (4001 = session ended). */
  onClose?: (code: number, reason: string) => void
  /** ms before a request without answer fails. */
  timeoutMs?: number
  reconnect?: Partial<ReconnectPolicy>
  timers?: TransportTimers
  /** 0..1; jitters the back-off so thirty terminals do not all knock at the same instant. */
  random?: () => number
}

/** A WebSocket transport that keeps itself connected and says how the connection stands. */
export interface WsTransport extends Transport {
  connection(): ConnectionState
  /** hears every change of the connection state. */
  onConnection(fn: (state: ConnectionState) => void): () => void
  /**
   * Hears each time a socket opens again after one was lost. The new socket is anonymous to the
   * host until a call carries the token: the listener re-identifies (`auth.whoami`) so pushes
   * reach it, and refetches what pushes may have missed.
   */
  onReconnected(fn: () => void): () => void
  /** Tries to connect now instead of waiting for the back-off (a "retry now" button, the browser coming online). */
  retryNow(): void
  close(): void
}

const OPEN = 1

// timers never keep a Node process (a test, a benchmark) alive on their own
const defaultTimers: TransportTimers = {
  setTimeout(fn, ms) {
    const handle = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void }
    handle.unref?.()
    return handle
  },
  clearTimeout(handle) {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0])
  },
}

/** The wait before try `failures + 1`: doubling from `firstDelayMs`, capped, with "equal jitter" (half fixed, half random). */
export function reconnectDelay(failures: number, policy: ReconnectPolicy, random: () => number): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, failures - 1))
  return Math.round(base / 2 + (Math.min(1, Math.max(0, random())) * base) / 2)
}

/**
 * Requests over one WebSocket, matched by id; pushed events fan out to listeners. A lost socket
 * fails its open requests with OFFLINE at once and is reopened on its own with back-off.
 */
export function wsTransport(opts: WsTransportOptions): WsTransport {
  const timers = opts.timers ?? defaultTimers
  const random = opts.random ?? Math.random
  const policy: ReconnectPolicy = { ...DEFAULT_RECONNECT, ...opts.reconnect }
  const timeoutMs = opts.timeoutMs ?? 30_000

  let socket: SocketLike | null = null
  let opening: Promise<SocketLike | null> | null = null
  let everOpened = false
  /** tries that failed since the socket was lost (or since the start) */
  let failures = 0
  let retryTimer: unknown = null
  let stopped = false
  let state: ConnectionState = { kind: 'idle' }
  let nextId = 1
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: unknown }>()
  const listeners = new Set<(name: EventName, payload: unknown) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const reconnectListeners = new Set<() => void>()

  function setState(next: ConnectionState) {
    state = next
    for (const l of [...stateListeners]) l(next)
  }

  function failAll(message: string) {
    for (const [id, p] of pending) {
      timers.clearTimeout(p.timer)
      p.resolve({ ok: false, error: { code: 'OFFLINE', message } })
      pending.delete(id)
    }
  }

  function clearRetry() {
    if (retryTimer !== null) timers.clearTimeout(retryTimer)
    retryTimer = null
  }

  function tryFailed() {
    failures++
    if (stopped) return
    const wait = reconnectDelay(failures, policy, random)
    setState({ kind: 'reconnecting', attempt: failures + 1, retryInMs: wait })
    clearRetry()
    retryTimer = timers.setTimeout(() => {
      retryTimer = null
      void open()
    }, wait)
  }

  function onFrame(data: unknown) {
    let frame: ServerFrame
    try {
      frame = JSON.parse(String(data)) as ServerFrame
    } catch {
      return // not ours to crash on: the host sends JSON only
    }
    if (frame.type === 'event') {
      for (const l of listeners) l(frame.name, frame.payload)
      return
    }
    const p = pending.get(frame.id)
    if (!p) return
    pending.delete(frame.id)
    timers.clearTimeout(p.timer)
    p.resolve(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error as never })
  }

  /** Opens a socket (or joins the try under way); resolves null when the try failed. */
  function open(): Promise<SocketLike | null> {
    if (socket) return Promise.resolve(socket)
    if (opening) return opening
    clearRetry()
    setState(everOpened || failures > 0 ? { kind: 'reconnecting', attempt: failures + 1, retryInMs: null } : { kind: 'connecting' })
    const ws = new opts.WebSocketImpl(opts.url)
    opening = new Promise<SocketLike | null>((resolve) => {
      let settled = false
      const notOpened = () => {
        if (settled) return
        settled = true
        timers.clearTimeout(giveUp)
        opening = null
        resolve(null)
        tryFailed()
      }
      const giveUp = timers.setTimeout(() => {
        notOpened()
        try {
          ws.close()
        } catch {
          // closing a socket that never opened may throw in some implementations; it is dropped either way
        }
      }, policy.connectTimeoutMs)
      ws.onopen = () => {
        if (settled) return
        settled = true
        timers.clearTimeout(giveUp)
        if (stopped) {
          // close() was called while this socket was opening
          opening = null
          ws.close()
          resolve(null)
          return
        }
        socket = ws
        opening = null
        const again = everOpened
        everOpened = true
        failures = 0
        setState({ kind: 'online' })
        resolve(ws)
        if (again) for (const l of [...reconnectListeners]) l()
      }
      ws.onerror = () => notOpened()
      ws.onclose = (ev: { code: number; reason: string }) => {
        if (!settled) return notOpened()
        if (socket !== ws) return // replaced or closed on purpose
        socket = null
        failAll('the connection to the host was lost')
        opts.onClose?.(ev.code, ev.reason)
        if (stopped) return
        // first try again at once: a host that closed one socket (a session ended, an idle limit) is still there
        failures = 0
        void open()
      }
      ws.onmessage = (ev: { data: unknown }) => onFrame(ev.data)
    })
    return opening
  }

  return {
    async request(method, input, token) {
      stopped = false
      if (!socket && failures > 0) {
        // known to be unreachable: say so now rather than after the request timeout
        return { ok: false, error: { code: 'OFFLINE', message: 'the host cannot be reached; reconnecting' } }
      }
      const ws = await open()
      if (!ws || ws.readyState !== OPEN) return { ok: false, error: { code: 'OFFLINE', message: `cannot reach the host at ${opts.url}` } }
      const id = nextId++
      return new Promise<Result<unknown>>((resolve) => {
        const timer = timers.setTimeout(() => {
          pending.delete(id)
          resolve({ ok: false, error: { code: 'OFFLINE', message: 'the host did not answer in time' } })
        }, timeoutMs)
        pending.set(id, { resolve, timer })
        ws.send(JSON.stringify({ id, method, input, token }))
      })
    },
    onEvent(fn) {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },
    connection: () => state,
    onConnection(fn) {
      stateListeners.add(fn)
      return () => stateListeners.delete(fn)
    },
    onReconnected(fn) {
      reconnectListeners.add(fn)
      return () => reconnectListeners.delete(fn)
    },
    retryNow() {
      stopped = false
      if (socket || opening) return
      void open()
    },
    close() {
      stopped = true
      clearRetry()
      failures = 0
      const ws = socket
      socket = null
      failAll('the connection was closed')
      ws?.close()
      setState({ kind: 'closed' })
    },
  }
}
