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

export interface WsTransportOptions {
  url: string
  /** the WebSocket constructor: `globalThis.WebSocket` in a browser, `ws` in Node. */
  WebSocketImpl: new (url: string) => SocketLike
  /** called when the host closes the socket (4001 = session ended). */
  onClose?: (code: number, reason: string) => void
  /** ms before a request without answer fails. */
  timeoutMs?: number
}

const OPEN = 1

/**
 * Requests over one WebSocket, matched by id; pushed events fan out to listeners.
 * Reconnects on the next request after the socket dropped.
 */
export function wsTransport(opts: WsTransportOptions): Transport {
  let socket: SocketLike | null = null
  let opening: Promise<SocketLike> | null = null
  let nextId = 1
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>()
  const listeners = new Set<(name: EventName, payload: unknown) => void>()
  const timeoutMs = opts.timeoutMs ?? 30_000

  function failAll(message: string) {
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      p.resolve({ ok: false, error: { code: 'OFFLINE', message } })
      pending.delete(id)
    }
  }

  function connect(): Promise<SocketLike> {
    if (socket && socket.readyState === OPEN) return Promise.resolve(socket)
    if (opening) return opening
    opening = new Promise<SocketLike>((resolve, reject) => {
      const ws = new opts.WebSocketImpl(opts.url)
      ws.onopen = () => {
        socket = ws
        opening = null
        resolve(ws)
      }
      ws.onerror = () => {
        opening = null
        reject(new Error(`cannot reach the host at ${opts.url}`))
      }
      ws.onclose = (ev: { code: number; reason: string }) => {
        if (socket === ws) socket = null
        failAll('the connection to the host was lost')
        opts.onClose?.(ev.code, ev.reason)
      }
      ws.onmessage = (ev: { data: unknown }) => {
        const frame = JSON.parse(String(ev.data)) as ServerFrame
        if (frame.type === 'event') {
          for (const l of listeners) l(frame.name, frame.payload)
          return
        }
        const p = pending.get(frame.id)
        if (!p) return
        pending.delete(frame.id)
        clearTimeout(p.timer)
        p.resolve(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error as never })
      }
    })
    return opening
  }

  return {
    async request(method, input, token) {
      let ws: SocketLike
      try {
        ws = await connect()
      } catch (err) {
        return { ok: false, error: { code: 'OFFLINE', message: (err as Error).message } }
      }
      const id = nextId++
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
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
    close() {
      socket?.close()
      socket = null
    },
  }
}
