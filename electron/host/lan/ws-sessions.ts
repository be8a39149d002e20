import { randomBytes } from 'node:crypto'
import type { RawData, WebSocket } from 'ws'
import type { ApiErrorShape, Result } from '@shared/contract/common'
import { ClientFrame, type ResumeResult, type ServerFrame } from '@shared/contract/events'
import { mayHear } from '@shared/domain/permissions'
import type { Role } from '@shared/domain/roles'
import type { CallMeta, Dispatcher } from '../api/dispatcher'
import type { Audience, HostEvents, PushedEvent } from '../api/events'
import type { Clock } from '../clock'
import { hashToken } from '../domains/auth/sessions.repository'
import { rateKey, rateRefusal, type CallRate } from './call-rate'
import { EventBacklog, type KeptEvent } from './event-backlog'
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

/** The session a socket's calls carry, learnt from every signed-in call (and sign-in). */
interface SocketSession {
  tokenHash: string
  staffId: number
  role: Role
}

interface SocketState {
  /** names the socket's own rate bucket (calls without a token) */
  id: number
  address: string
  /** the last session its calls carried; null until one did: such a socket hears no pushes */
  session: SocketSession | null
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
  /** calls per session, shared with HTTP */
  rate: CallRate
  /** ms on a monotonic clock, for the call rate (the host clock may stand still in tests, or jump). */
  rateNow: () => number
}

/**
 * The WebSocket side of the server: one call per frame through the dispatcher, pushes to the
 * signed-in sockets each event is for (numbered, and kept a while for terminals that come back:
 * ResumeFrame), and the per-socket bounds (calls in flight, calls per second, frames before
 * sign-in, idle before sign-in, heartbeat after it, bytes queued to a slow reader).
 */
export class WsSessions {
  private readonly sockets = new Map<WebSocket, SocketState>()
  // token hash -> sockets that used it, so a revoked session is cut at once
  private readonly socketsBySession = new Map<string, Set<WebSocket>>()
  private readonly unsubscribe: Array<() => void>
  private readonly sweepTimer: ReturnType<typeof setInterval>
  private stopping = false
  private nextSocketId = 1
  /** this run of the host: event numbers start again at 1 when it restarts */
  private readonly epoch = randomBytes(9).toString('base64url')
  private readonly backlog: EventBacklog

  constructor(private readonly deps: WsSessionsDeps) {
    this.backlog = new EventBacklog(deps.limits.eventBacklog, deps.limits.eventBacklogBytes)
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
      id: this.nextSocketId++,
      address,
      session: null,
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
    ws.on('close', () => this.forget(ws, state))
    this.send(ws, JSON.stringify({ type: 'hello', epoch: this.epoch, seq: this.backlog.seq } satisfies ServerFrame))
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
    if (!state.session && ++state.framesBeforeSignIn > this.deps.limits.maxUnauthenticatedFrames) {
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
    const { id, token } = frame.data
    // the same buckets as over HTTP (rateKey); a call without a token that is no sign-in counts on this socket
    const call = 'resume' in frame.data ? { method: '', input: null } : frame.data
    const wait = this.deps.rate.take(rateKey({ token, address: state.address, method: call.method, input: call.input }, `s:${state.id}`), this.deps.rateNow())
    if (wait > 0) return this.answer(ws, id, { ok: false, error: rateRefusal(wait) })
    if (state.inFlight >= this.deps.limits.maxFramesInFlight) {
      return this.answer(ws, id, {
        ok: false,
        error: { code: 'BUSY', message: `more than ${this.deps.limits.maxFramesInFlight} calls unanswered on this connection; wait for answers` },
      })
    }
    const meta: CallMeta = { token, address: state.address, onSession: (s) => this.identify(ws, state, s) }
    if ('resume' in frame.data) {
      const { epoch, after } = frame.data.resume
      let refetch = true
      // on identification, not after the answer: no live push can come between the replay and the ones after it
      meta.onSession = (s) => {
        this.identify(ws, state, s)
        refetch = !this.replay(ws, state, epoch, after)
      }
      return this.run(ws, state, id, 'resume', () =>
        this.deps.dispatcher.dispatch('auth.whoami', {}, meta).then((r): Result<ResumeResult> => (r.ok ? { ok: true, value: { refetch } } : r)),
      )
    }
    const { method, input, key } = frame.data
    const checked = checkedInput(input, this.deps.limits.maxJsonDepth)
    if (!checked.ok) return this.answer(ws, id, checked)
    meta.idempotencyKey = key
    this.run(ws, state, id, method, () =>
      this.deps.dispatcher.dispatch(method, input, meta).then((result) => {
        if (result.ok && method === 'auth.login') {
          const { token: t, staff } = result.value as { token: string; staff: { id: number; role: Role } }
          this.identify(ws, state, { tokenHash: hashToken(t), staffId: staff.id, role: staff.role })
        }
        return result
      }),
    )
  }

  /** Runs one call of a socket, counted in flight, and answers it. */
  private run(ws: WebSocket, state: SocketState, id: number, what: string, call: () => Promise<Result<unknown>>): void {
    state.inFlight++
    const end = this.deps.inFlight.begin()
    void call()
      .then((result) => this.answer(ws, id, result))
      .catch((err: unknown) => {
        // the dispatcher never throws; this keeps a future bug from ending the process
        this.deps.log.event('websocket call failed', `${what}: ${err instanceof Error ? err.message : String(err)}`)
        this.answer(ws, id, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } })
      })
      .finally(() => {
        state.inFlight--
        end()
      })
  }

  /** The socket carries this session from now on: it hears the pushes for it, and is cut when it is revoked. */
  private identify(ws: WebSocket, state: SocketState, s: SocketSession): void {
    const before = state.session
    state.session = { tokenHash: s.tokenHash, staffId: s.staffId, role: s.role }
    if (before?.tokenHash === s.tokenHash) return
    if (before) this.leaveSession(ws, before.tokenHash)
    let set = this.socketsBySession.get(s.tokenHash)
    if (!set) this.socketsBySession.set(s.tokenHash, (set = new Set()))
    set.add(ws)
  }

  /** Sends a resuming socket the kept events after `after` that it may hear; false when they are not all kept. */
  private replay(ws: WebSocket, state: SocketState, epoch: string, after: number): boolean {
    const missed = epoch === this.epoch ? this.backlog.since(after) : null
    if (!missed) return false
    for (const e of missed) if (this.mayReceive(state, e)) this.send(ws, e.frame)
    return true
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
    const kept = this.backlog.add(e.name, e.audience, (seq) =>
      JSON.stringify({ type: 'event', name: e.name, payload: e.payload, seq } satisfies ServerFrame),
    )
    for (const [ws, state] of this.sockets) if (this.mayReceive(state, kept)) this.send(ws, kept.frame)
  }

  /** Whether a socket may hear an event: signed in, in its audience, and of a role that may read what it announces. */
  private mayReceive(state: SocketState, e: Pick<KeptEvent, 'name' | 'audience'>): boolean {
    const s = state.session
    // a socket that never signed in hears nothing
    if (!s || !mayHear(e.name, s.role)) return false
    const a: Audience = e.audience
    if (a.kind === 'staff') return s.staffId === a.staffId
    if (a.kind === 'session') return s.tokenHash === a.tokenHash
    return true
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
      if (state.session) {
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

  private forget(ws: WebSocket, state: SocketState): void {
    this.sockets.delete(ws)
    this.deps.rate.forget(`s:${state.id}`)
    if (state.session) this.leaveSession(ws, state.session.tokenHash)
  }

  private leaveSession(ws: WebSocket, tokenHash: string): void {
    const set = this.socketsBySession.get(tokenHash)
    set?.delete(ws)
    if (set?.size === 0) this.socketsBySession.delete(tokenHash)
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
