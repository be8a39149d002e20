import type { ErrorCode, Result } from './common'
import type { Transport } from './client'
import type { EventName, ResumeResult, ServerFrame } from './events'

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
  /** a fresh idempotency key (unique per staff member for a day); random UUIDs unless a test names them. */
  newKey?: () => string
  /** ms of silence on a signed-in socket before the transport checks the host is still there (default 40 s). */
  idlePingMs?: number
}

/** What a reconnect brought: `refetch` when pushes were missed that the host no longer keeps (or it restarted). */
export interface Reconnected {
  refetch: boolean
}

/** A WebSocket transport that keeps itself connected and says how the connection stands. */
export interface WsTransport extends Transport {
  connection(): ConnectionState
  /** hears every change of the connection state. */
  onConnection(fn: (state: ConnectionState) => void): () => void
  /**
   * Hears each time a socket opens again after one was lost. The transport has already
   * identified it with the last token (ResumeFrame), so pushes reach it, and has passed on the
   * events missed meanwhile; `refetch` says they were not all kept, so views must be fetched again.
   */
  onReconnected(fn: (info: Reconnected) => void): () => void
  /** Tries to connect now instead of waiting for the back-off (a "retry now" button, the browser coming online). */
  retryNow(): void
  close(): void
}

const OPEN = 1

// answers that mean the token is no good any more: a resume would only be refused
const SESSION_GONE: readonly ErrorCode[] = ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ACCOUNT_DISABLED']
// writes whose answer was lost, remembered for a retry of the same call (their keys)
const MAX_UNCONFIRMED = 64

function randomKey(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  if (c?.randomUUID) return c.randomUUID()
  // no Web Crypto (an old test runtime): time and two random draws are unique enough per person and day
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`
}

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
 * fails its open requests with OFFLINE at once and is reopened on its own with back-off; the new
 * socket is identified with the last token and hears the events it missed (catch-up). Every call
 * carries an idempotency key; a call whose answer was lost, sent again as it was, carries the same
 * key, so the host applies a write once however often it is retried.
 */
export function wsTransport(opts: WsTransportOptions): WsTransport {
  const timers = opts.timers ?? defaultTimers
  const random = opts.random ?? Math.random
  const policy: ReconnectPolicy = { ...DEFAULT_RECONNECT, ...opts.reconnect }
  const timeoutMs = opts.timeoutMs ?? 30_000
  const newKey = opts.newKey ?? randomKey
  const idlePingMs = opts.idlePingMs ?? 40_000

  let socket: SocketLike | null = null
  let opening: Promise<SocketLike | null> | null = null
  /** a socket that replaced a lost one, open but still being identified and caught up */
  let resuming: SocketLike | null = null
  /** fires after a silence on the open socket (heardFrom) */
  let idleTimer: unknown = null
  let everOpened = false
  /** tries that failed since the socket was lost (or since the start) */
  let failures = 0
  let retryTimer: unknown = null
  let stopped = false
  let state: ConnectionState = { kind: 'idle' }
  let nextId = 1
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: unknown; call: string | null; key: string }>()
  const listeners = new Set<(name: EventName, payload: unknown) => void>()
  const stateListeners = new Set<(s: ConnectionState) => void>()
  const reconnectListeners = new Set<(info: Reconnected) => void>()
  /** the token the last calls carried (or sign-in gave): a new socket is identified with it */
  let lastToken: string | undefined
  /** the host run and last event number heard so far: where a catch-up starts */
  let heard: { epoch: string; seq: number } | null = null
  /** the current socket's host run (from its hello) and the last event number seen on it */
  let here: { epoch: string | null; seq: number } = { epoch: null, seq: 0 }
  /** call (method, token, input) -> key, for calls sent whose answer never came */
  const unconfirmed = new Map<string, string>()

  function setState(next: ConnectionState) {
    state = next
    for (const l of [...stateListeners]) l(next)
  }

  /** Remembers the key of a call sent and never answered: the same call sent again reuses it. */
  function unanswered(call: string | null, key: string) {
    if (call === null) return
    unconfirmed.delete(call)
    unconfirmed.set(call, key)
    if (unconfirmed.size > MAX_UNCONFIRMED) unconfirmed.delete(unconfirmed.keys().next().value!)
  }

  function failAll(message: string) {
    for (const [id, p] of pending) {
      timers.clearTimeout(p.timer)
      unanswered(p.call, p.key)
      p.resolve({ ok: false, error: { code: 'OFFLINE', message } })
      pending.delete(id)
    }
  }

  /** Keeps the token a new socket is identified with, from each call's answer. */
  function noteToken(method: string, token: string | undefined, r: Result<unknown>) {
    if (r.ok && method === 'auth.login') lastToken = (r.value as { token: string }).token
    else if (r.ok && method === 'auth.logout') lastToken = undefined
    else if (!r.ok && token !== undefined && SESSION_GONE.includes(r.error.code)) lastToken = undefined
    else if (token !== undefined && (r.ok || r.error.code !== 'OFFLINE')) lastToken = token
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
    if (frame.type === 'hello') {
      here = { epoch: frame.epoch, seq: frame.seq }
      // the first socket: nothing was missed before it
      heard ??= { epoch: frame.epoch, seq: frame.seq }
      return
    }
    if (frame.type === 'event') {
      if (typeof frame.seq === 'number') {
        here.seq = Math.max(here.seq, frame.seq)
        if (heard && heard.epoch === here.epoch) heard.seq = Math.max(heard.seq, frame.seq)
      }
      for (const l of listeners) l(frame.name, frame.payload)
      return
    }
    const p = pending.get(frame.id)
    if (!p) return
    pending.delete(frame.id)
    timers.clearTimeout(p.timer)
    p.resolve(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error as never })
  }

  /** Sends one frame on an open socket and waits for its answer (OFFLINE after `waitMs` or when the socket is lost). */
  function exchange(ws: SocketLike, frame: Record<string, unknown>, waitMs: number, call: string | null, key: string): Promise<Result<unknown>> {
    const id = nextId++
    return new Promise<Result<unknown>>((resolve) => {
      const timer = timers.setTimeout(() => {
        pending.delete(id)
        unanswered(call, key)
        resolve({ ok: false, error: { code: 'OFFLINE', message: 'the host did not answer in time' } })
      }, waitMs)
      pending.set(id, { resolve, timer, call, key })
      ws.send(JSON.stringify({ id, ...frame }))
    })
  }

  /**
   * On a socket that replaced a lost one: identifies it with the last token and asks for the
   * events missed (they arrive before the answer); says whether views must be fetched again.
   */
  async function resume(ws: SocketLike, token: string, from: { epoch: string; seq: number }): Promise<Reconnected> {
    let refetch = true
    const r = await exchange(ws, { resume: { epoch: from.epoch, after: from.seq }, token }, policy.connectTimeoutMs, null, '')
    if (r.ok) refetch = (r.value as ResumeResult).refetch
    else if (SESSION_GONE.includes(r.error.code)) lastToken = undefined
    // from now on the numbers of this host run count (a restarted host starts again at 1)
    if (refetch && here.epoch !== null) heard = { epoch: here.epoch, seq: here.seq }
    return { refetch }
  }

  /** The socket is gone (closed, or found dead): its calls fail, and a new one is opened at once. */
  function lost(ws: SocketLike, code: number, reason: string) {
    if (socket !== ws) return // replaced or closed on purpose
    socket = null
    stopIdle()
    if (resuming === ws) {
      // lost while catching up: that try is over (its calls hear OFFLINE below)
      resuming = null
      opening = null
    }
    failAll('the connection to the host was lost')
    opts.onClose?.(code, reason)
    if (stopped) return
    // first try again at once: a host that closed one socket (a session ended, an idle limit) is still there
    failures = 0
    void open()
  }

  function stopIdle() {
    if (idleTimer !== null) timers.clearTimeout(idleTimer)
    idleTimer = null
  }

  /**
   * A frame came: the host is there. After `idlePingMs` of silence a signed-in socket asks
   * (`system.ping`); no answer within the connect timeout means the line is dead (a cable pulled on
   * the host PC, a Wi-Fi drop: the browser may not see the close for minutes), so it is dropped
   * and the reconnect starts, banner and all.
   */
  function heardFrom(ws: SocketLike) {
    stopIdle()
    idleTimer = timers.setTimeout(() => {
      if (socket !== ws || resuming === ws) return
      // a signed-out page has no session to ping with; the host closes it when idle and it reopens
      if (lastToken === undefined) return heardFrom(ws)
      void exchange(ws, { method: 'system.ping', input: {}, token: lastToken }, policy.connectTimeoutMs, null, '').then((r) => {
        if (socket !== ws) return
        if (r.ok || r.error.code !== 'OFFLINE') return heardFrom(ws)
        try {
          ws.close()
        } catch {
          // a dead socket may refuse even that; it is dropped either way
        }
        lost(ws, 1006, 'no answer to a ping')
      })
    }, idlePingMs)
  }

  /** Opens a socket (or joins the try under way); resolves null when the try failed. */
  function open(): Promise<SocketLike | null> {
    // a socket being caught up is joined like one opening
    if (opening) return opening
    if (socket) return Promise.resolve(socket)
    clearRetry()
    setState(everOpened || failures > 0 ? { kind: 'reconnecting', attempt: failures + 1, retryInMs: null } : { kind: 'connecting' })
    const ws = new opts.WebSocketImpl(opts.url)
    here = { epoch: null, seq: 0 }
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
        heardFrom(ws)
        const again = everOpened
        everOpened = true
        failures = 0
        if (!again || lastToken === undefined || heard === null) {
          // nobody to identify, or nothing heard yet to catch up from: the views are fetched as they are
          opening = null
          if (again && here.epoch !== null) heard = { epoch: here.epoch, seq: here.seq }
          setState({ kind: 'online' })
          resolve(ws)
          if (again) for (const l of [...reconnectListeners]) l({ refetch: true })
          return
        }
        // calls wait until the new socket is identified and caught up: their answers then follow what was missed
        resuming = ws
        void resume(ws, lastToken, heard).then((info) => {
          // lost again meanwhile: its close handler has started the next try
          if (resuming !== ws) return resolve(null)
          resuming = null
          opening = null
          setState({ kind: 'online' })
          resolve(ws)
          for (const l of [...reconnectListeners]) l(info)
        })
      }
      ws.onerror = () => notOpened()
      ws.onclose = (ev: { code: number; reason: string }) => {
        if (!settled) return notOpened()
        lost(ws, ev.code, ev.reason)
      }
      ws.onmessage = (ev: { data: unknown }) => {
        if (socket === ws) heardFrom(ws)
        onFrame(ev.data)
      }
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
      // the same call again after its answer was lost: the same key, so a write already applied is not applied again
      const call = `${method}\n${token ?? ''}\n${JSON.stringify(input) ?? ''}`
      const key = unconfirmed.get(call) ?? newKey()
      unconfirmed.delete(call)
      const r = await exchange(ws, { method, input, token, key }, timeoutMs, call, key)
      noteToken(method, token, r)
      return r
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
      resuming = null
      opening = null
      stopIdle()
      failAll('the connection was closed')
      ws?.close()
      setState({ kind: 'closed' })
    },
  }
}
