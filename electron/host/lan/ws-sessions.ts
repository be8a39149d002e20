import type { RawData, WebSocket } from 'ws'
import type { ApiErrorShape } from '@shared/contract/common'
import { ClientFrame, type ServerFrame } from '@shared/contract/events'
import type { Dispatcher } from '../api/dispatcher'
import type { HostEvents, PushedEvent } from '../api/events'
import type { Clock } from '../clock'
import { hashToken } from '../domains/auth/sessions.repository'
import type { EventLog } from './event-log'
import type { InFlight } from './in-flight'
import { checkedInput } from './json-input'
import type { TransportLimits } from './limits'

/** Close codes the host sends (1000-1015 are the protocol's; 4001 is ours, see host-client.ts). */
export const CLOSE = {
  /** the host is shutting down */
  stopping: 1001,
  /** a frame the protocol allows but we do not read (binary, not JSON, not a call) */
  unsupported: 1003,
  /** a limit of this socket was crossed (sign-in never came, idle without sign-in) */
  policy: 1008,
  sessionEnded: 4001,
} as const

interface SocketState {
  address: string
  /** a call on this socket succeeded: it carries a real session (the only public method is sign-in) */
  signedIn: boolean
  framesBeforeSignIn: number
  inFlight: number
  /** host clock ms of the last frame */
  lastFrameAt: number
  /** answered the last ping */
  alive: boolean
}

export interface WsSessionsDeps {
  dispatcher: Dispatcher
  events: HostEvents
  limits: TransportLimits
  clock: Clock
  log: EventLog
  inFlight: InFlight
}

/**
 * The WebSocket side of the server: one call per frame through the dispatcher, pushes to the
 * sockets each event is for, and the per-socket bounds (calls in flight, frames before sign-in,
 * idle before sign-in, heartbeat after it).
 */
export class WsSessions {
  private readonly sockets = new Map<WebSocket, SocketState>()
  // token hash -> sockets that used it, so a revoked session is cut at once
  private readonly socketsBySession = new Map<string, Set<WebSocket>>()
  private readonly staffOfSocket = new Map<WebSocket, number>()
  private readonly unsubscribe: Array<() => void>
  private readonly sweepTimer: ReturnType<typeof setInterval>
  private stopping = false

  constructor(private readonly deps: WsSessionsDeps) {
    this.unsubscribe = [
      deps.events.onRevoked((hashes) => this.revoke(hashes)),
      deps.events.onEvent((e) => this.push(e)),
    ]
    this.sweepTimer = setInterval(() => this.sweep(), deps.limits.heartbeatMs)
    this.sweepTimer.unref()
  }

  /** Takes over an upgraded socket. */
  attach(ws: WebSocket, address: string): void {
    const state: SocketState = {
      address,
      signedIn: false,
      framesBeforeSignIn: 0,
      inFlight: 0,
      lastFrameAt: this.deps.clock.now().getTime(),
      alive: true,
    }
    this.sockets.set(ws, state)
    // protocol errors (bad opcode, unmasked or oversized frame, invalid UTF-8): ws has already
    // sent the close code (1002, 1007, 1009); without this listener the error would end the process
    ws.on('error', (err) => this.deps.log.event('websocket error', `${address}: ${err.message}`))
    ws.on('pong', () => {
      state.alive = true
    })
    ws.on('message', (data, isBinary) => this.onFrame(ws, state, data, isBinary))
    ws.on('close', () => this.forget(ws))
  }

  /** Starts the shutdown: every socket is told the host is stopping; later frames are ignored. */
  closeAll(): void {
    this.stopping = true
    clearInterval(this.sweepTimer)
    for (const off of this.unsubscribe) off()
    for (const ws of this.sockets.keys()) ws.close(CLOSE.stopping, 'host stopping')
  }

  /** Ends every socket now, answered or not (the last step of a shutdown). */
  terminateAll(): void {
    for (const ws of this.sockets.keys()) ws.terminate()
  }

  private onFrame(ws: WebSocket, state: SocketState, data: RawData, isBinary: boolean): void {
    if (this.stopping) return
    state.lastFrameAt = this.deps.clock.now().getTime()
    if (!state.signedIn && ++state.framesBeforeSignIn > this.deps.limits.maxUnauthenticatedFrames) {
      this.deps.log.event('websocket closed', `${state.address}: ${this.deps.limits.maxUnauthenticatedFrames} frames without signing in`)
      ws.close(CLOSE.policy, 'sign in first')
      return
    }
    if (isBinary) return ws.close(CLOSE.unsupported, 'text frames only')
    let json: unknown
    try {
      json = JSON.parse(rawText(data))
    } catch {
      return ws.close(CLOSE.unsupported, 'bad frame')
    }
    // the envelope's schema does not look inside `input`, so an input of any depth is safe here
    const frame = ClientFrame.safeParse(json)
    if (!frame.success) return ws.close(CLOSE.unsupported, 'bad frame')
    const { id, method, input, token } = frame.data
    const checked = checkedInput(input, this.deps.limits.maxJsonDepth)
    if (!checked.ok) return this.answer(ws, id, checked)
    if (state.inFlight >= this.deps.limits.maxFramesInFlight) {
      return this.answer(ws, id, {
        ok: false,
        error: { code: 'BUSY', message: `more than ${this.deps.limits.maxFramesInFlight} calls unanswered on this connection; wait for answers` },
      })
    }
    state.inFlight++
    const end = this.deps.inFlight.begin()
    void this.deps.dispatcher
      .dispatch(method, input, { token, address: state.address })
      .then((result) => {
        if (result.ok) this.signedIn(ws, state, method === 'auth.login' ? (result.value as { token: string }).token : token, method, result.value)
        this.answer(ws, id, result)
      })
      .catch((err: unknown) => {
        // the dispatcher never throws; this keeps a future bug from ending the process
        this.deps.log.event('websocket call failed', `${method}: ${err instanceof Error ? err.message : String(err)}`)
        this.answer(ws, id, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } })
      })
      .finally(() => {
        state.inFlight--
        end()
      })
  }

  private signedIn(ws: WebSocket, state: SocketState, token: string | undefined, method: string, value: unknown): void {
    state.signedIn = true
    if (!token) return
    const staffId =
      method === 'auth.login' ? (value as { staff: { id: number } }).staff.id : method === 'auth.whoami' ? (value as { id: number }).id : undefined
    const h = hashToken(token)
    let set = this.socketsBySession.get(h)
    if (!set) this.socketsBySession.set(h, (set = new Set()))
    set.add(ws)
    if (staffId !== undefined) this.staffOfSocket.set(ws, staffId)
  }

  private answer(ws: WebSocket, id: number, result: { ok: true; value: unknown } | { ok: false; error: ApiErrorShape }): void {
    const out: ServerFrame = result.ok
      ? { type: 'result', id, ok: true, value: result.value }
      : { type: 'result', id, ok: false, error: result.error }
    this.send(ws, JSON.stringify(out))
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > this.deps.limits.maxSendBufferBytes) {
      this.deps.log.event('websocket dropped', `${this.sockets.get(ws)?.address ?? '?'}: stopped reading (${ws.bufferedAmount} bytes queued)`)
      ws.terminate()
      return
    }
    ws.send(text)
  }

  private push(e: PushedEvent): void {
    const frame = JSON.stringify({ type: 'event', name: e.name, payload: e.payload } satisfies ServerFrame)
    const a = e.audience
    for (const [ws, state] of this.sockets) {
      // a socket that never signed in hears nothing
      if (!state.signedIn) continue
      if (a.kind === 'staff' && this.staffOfSocket.get(ws) !== a.staffId) continue
      if (a.kind === 'session' && !this.socketsBySession.get(a.tokenHash)?.has(ws)) continue
      this.send(ws, frame)
    }
  }

  private revoke(hashes: readonly string[]): void {
    for (const h of hashes) {
      const set = this.socketsBySession.get(h)
      this.socketsBySession.delete(h)
      for (const ws of set ?? []) ws.close(CLOSE.sessionEnded, 'session ended')
    }
  }

  /** Pings signed-in sockets and ends dead ones; closes sockets idle without a sign-in. Never closes a live signed-in socket. */
  private sweep(): void {
    const now = this.deps.clock.now().getTime()
    for (const [ws, state] of this.sockets) {
      if (ws.readyState !== ws.OPEN) continue
      if (state.signedIn) {
        if (!state.alive) {
          this.deps.log.event('websocket dropped', `${state.address}: no answer to a ping`)
          ws.terminate()
          continue
        }
        state.alive = false
        ws.ping()
      } else if (now - state.lastFrameAt >= this.deps.limits.unauthenticatedIdleMs) {
        ws.close(CLOSE.policy, 'idle without signing in')
      }
    }
  }

  private forget(ws: WebSocket): void {
    this.sockets.delete(ws)
    this.staffOfSocket.delete(ws)
    for (const [h, set] of this.socketsBySession) {
      set.delete(ws)
      if (set.size === 0) this.socketsBySession.delete(h)
    }
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
