import { describe, expect, it } from 'vitest'
import { ManualScheduler } from '../../electron/card-reader'
import { settle } from '../../electron/card-reader/scheduler'
import { DEFAULT_RECONNECT, reconnectDelay, wsTransport, type ConnectionState } from '@shared/contract/ws-transport'

/** A socket the test opens, answers and drops by hand (the shape of the DOM WebSocket). */
class FakeSocket {
  static made: FakeSocket[] = []
  readyState = 0
  sent: Array<{ id: number; method: string; token?: string }> = []
  onopen: ((ev: never) => void) | null = null
  onclose: ((ev: never) => void) | null = null
  onerror: ((ev: never) => void) | null = null
  onmessage: ((ev: never) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.made.push(this)
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as { id: number; method: string; token?: string })
  }
  close() {
    this.drop(1000)
  }
  /** the host accepts the socket */
  accept() {
    this.readyState = 1
    ;(this.onopen as ((ev: unknown) => void) | null)?.({})
  }
  /** the host is not there: the browser reports an error, then the close */
  refuse() {
    this.readyState = 3
    ;(this.onerror as ((ev: unknown) => void) | null)?.({})
    ;(this.onclose as ((ev: unknown) => void) | null)?.({ code: 1006, reason: '' })
  }
  /** the connection ends (the host process died: 1006) */
  drop(code = 1006) {
    if (this.readyState === 3) return
    this.readyState = 3
    ;(this.onclose as ((ev: unknown) => void) | null)?.({ code, reason: '' })
  }
  answer(value: unknown) {
    const last = this.sent.at(-1)!
    ;(this.onmessage as ((ev: unknown) => void) | null)?.({ data: JSON.stringify({ type: 'result', id: last.id, ok: true, value }) })
  }
}

function setup() {
  FakeSocket.made = []
  const scheduler = new ManualScheduler()
  const states: ConnectionState[] = []
  const t = wsTransport({
    url: 'ws://127.0.0.1:8640/ws',
    WebSocketImpl: FakeSocket,
    timers: scheduler,
    // jitter at its middle: waits are 3/4 of the doubling base
    random: () => 0.5,
  })
  t.onConnection((s) => states.push(s))
  let reconnects = 0
  t.onReconnected(() => reconnects++)
  const latest = () => FakeSocket.made.at(-1)!
  return { t, scheduler, states, latest, reconnected: () => reconnects }
}

/** Opens the transport and answers one call, so it has been online. */
async function online(s: ReturnType<typeof setup>) {
  const call = s.t.request('system.ping', {}, 'tok')
  s.latest().accept()
  await settle()
  s.latest().answer({ pong: true })
  expect(await call).toEqual({ ok: true, value: { pong: true } })
}

describe('ws transport: reconnecting', () => {
  it('notices a dropped socket at once: open calls fail with OFFLINE and a retry starts without waiting', async () => {
    const s = setup()
    await online(s)
    const inFlight = s.t.request('clients.search', {}, 'tok')
    await settle()
    s.latest().drop()
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    expect(s.t.connection()).toEqual({ kind: 'reconnecting', attempt: 1, retryInMs: null })
    expect(FakeSocket.made).toHaveLength(2)
  })

  it('backs off with jitter, doubling up to the cap, and counts the tries', async () => {
    const s = setup()
    await online(s)
    s.latest().drop()
    const waits: number[] = []
    for (let i = 0; i < 8; i++) {
      s.latest().refuse()
      const st = s.t.connection()
      expect(st).toMatchObject({ kind: 'reconnecting', attempt: i + 2 })
      const wait = (st as { retryInMs: number }).retryInMs
      waits.push(wait)
      await s.scheduler.advance(wait - 1)
      expect(FakeSocket.made).toHaveLength(i + 2) // not before its time
      await s.scheduler.advance(1)
      expect(FakeSocket.made).toHaveLength(i + 3)
    }
    expect(waits).toEqual([375, 750, 1500, 3000, 6000, 7500, 7500, 7500])
  })

  it('jitters within half to all of the base and never past the cap', () => {
    for (const r of [0, 0.25, 1]) {
      for (let failures = 1; failures < 20; failures++) {
        const base = Math.min(DEFAULT_RECONNECT.maxDelayMs, DEFAULT_RECONNECT.firstDelayMs * 2 ** (failures - 1))
        const d = reconnectDelay(failures, DEFAULT_RECONNECT, () => r)
        expect(d).toBeGreaterThanOrEqual(base / 2)
        expect(d).toBeLessThanOrEqual(base)
      }
    }
  })

  it('fails calls at once while the host is known to be unreachable, instead of waiting for the timeout', async () => {
    const s = setup()
    await online(s)
    s.latest().drop()
    s.latest().refuse()
    const sockets = FakeSocket.made.length
    expect(await s.t.request('clients.search', {}, 'tok')).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    expect(FakeSocket.made).toHaveLength(sockets) // no socket opened for it
    expect(s.scheduler.pending()).toBe(1) // only the retry timer: the call left nothing behind
  })

  it('waits for the immediate retry after a drop, so a host that only closed one socket still answers', async () => {
    const s = setup()
    await online(s)
    s.latest().drop(4001)
    const call = s.t.request('system.ping', {}, 'tok')
    s.latest().accept()
    await settle()
    s.latest().answer({ pong: true })
    expect(await call).toEqual({ ok: true, value: { pong: true } })
  })

  it('says "reconnected" once the socket is back, and then serves calls again', async () => {
    const s = setup()
    await online(s)
    expect(s.reconnected()).toBe(0) // the first open is not a reconnect
    s.latest().drop()
    s.latest().refuse()
    await s.scheduler.advance((s.t.connection() as { retryInMs: number }).retryInMs)
    s.latest().accept()
    expect(s.t.connection()).toEqual({ kind: 'online' })
    expect(s.reconnected()).toBe(1)
    await online(s)
    expect(s.states.map((x) => x.kind)).toEqual(['connecting', 'online', 'reconnecting', 'reconnecting', 'reconnecting', 'online'])
  })

  it('retries now when asked, without waiting for the back-off', async () => {
    const s = setup()
    await online(s)
    s.latest().drop()
    s.latest().refuse()
    s.latest().drop() // (a second close event of the same socket changes nothing)
    expect(FakeSocket.made).toHaveLength(2)
    s.t.retryNow()
    expect(FakeSocket.made).toHaveLength(3)
    s.t.retryNow() // a try is under way: no second socket
    expect(FakeSocket.made).toHaveLength(3)
    expect(s.scheduler.pending()).toBe(1) // the try's own connect timeout; the back-off timer is gone
  })

  it('gives up on a socket that never opens (a PC switched off on the LAN) and tries again later', async () => {
    const s = setup()
    s.t.retryNow()
    const first = s.latest()
    await s.scheduler.advance(DEFAULT_RECONNECT.connectTimeoutMs)
    expect(first.readyState).toBe(3)
    expect(s.t.connection()).toMatchObject({ kind: 'reconnecting', attempt: 2 })
  })

  it('stops reconnecting when closed, and opens again on the next call', async () => {
    const s = setup()
    await online(s)
    s.t.close()
    expect(s.t.connection()).toEqual({ kind: 'closed' })
    await s.scheduler.advance(60_000)
    expect(FakeSocket.made).toHaveLength(1)
    const call = s.t.request('system.ping', {}, 'tok')
    s.latest().accept()
    await settle()
    s.latest().answer({ pong: true })
    expect(await call).toMatchObject({ ok: true })
  })

  it('ignores a frame that is not JSON instead of throwing', async () => {
    const s = setup()
    await online(s)
    const call = s.t.request('system.ping', {}, 'tok')
    await settle()
    expect(() => (s.latest().onmessage as ((ev: unknown) => void) | null)?.({ data: '{oops' })).not.toThrow()
    s.latest().answer({ pong: true })
    expect(await call).toMatchObject({ ok: true })
  })
})
