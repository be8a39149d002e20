import { describe, expect, it } from 'vitest'
import { ManualScheduler } from '../../electron/card-reader'
import { settle } from '../../electron/card-reader/scheduler'
import { DEFAULT_RECONNECT, reconnectDelay, wsTransport, type ConnectionState } from '@shared/contract/ws-transport'

/** A socket the test opens, answers and drops by hand (the shape of the DOM WebSocket). */
class FakeSocket {
  static made: FakeSocket[] = []
  readyState = 0
  sent: Array<{ id: number; method?: string; token?: string; key?: string; input?: unknown; resume?: { epoch: string; after: number } }> = []
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
    this.frame({ type: 'result', id: last.id, ok: true, value })
  }
  /** any frame from the host (hello, event) */
  frame(f: unknown) {
    ;(this.onmessage as ((ev: unknown) => void) | null)?.({ data: JSON.stringify(f) })
  }
}

function setup() {
  FakeSocket.made = []
  const scheduler = new ManualScheduler()
  const states: ConnectionState[] = []
  let keys = 0
  const t = wsTransport({
    url: 'ws://127.0.0.1:8640/ws',
    WebSocketImpl: FakeSocket,
    timers: scheduler,
    // jitter at its middle: waits are 3/4 of the doubling base
    random: () => 0.5,
    newKey: () => `k${++keys}`,
  })
  t.onConnection((s) => states.push(s))
  let reconnects = 0
  const infos: Array<{ refetch: boolean }> = []
  t.onReconnected((info) => {
    reconnects++
    infos.push(info)
  })
  const heard: unknown[] = []
  t.onEvent?.((_name, payload) => heard.push(payload))
  const latest = () => FakeSocket.made.at(-1)!
  return { t, scheduler, states, latest, reconnected: () => reconnects, infos, heard }
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

/** Drops the socket and lets the transport open the next one, which the host accepts. */
async function dropAndReopen(s: ReturnType<typeof setup>) {
  s.latest().drop()
  // the first retry after a drop is at once
  expect(FakeSocket.made.length).toBeGreaterThan(1)
  s.latest().accept()
  await settle()
}

describe('ws transport: catching up and retrying', () => {
  it('identifies a reconnected socket with the last token, hears the missed events, and only then serves calls', async () => {
    const s = setup()
    const first = s.t.request('system.ping', {}, 'tok')
    s.latest().accept()
    s.latest().frame({ type: 'hello', epoch: 'run1', seq: 3 })
    await settle()
    s.latest().answer({ pong: true })
    await first
    s.latest().frame({ type: 'event', name: 'board.changed', payload: { n: 4 }, seq: 4 })

    await dropAndReopen(s)
    s.latest().frame({ type: 'hello', epoch: 'run1', seq: 6 })
    expect(s.latest().sent).toEqual([{ id: expect.any(Number), resume: { epoch: 'run1', after: 4 }, token: 'tok' }])
    expect(s.t.connection().kind).toBe('reconnecting')
    // a call made meanwhile waits for the catch-up
    const waiting = s.t.request('system.ping', {}, 'tok')
    await settle()
    expect(s.latest().sent).toHaveLength(1)
    s.latest().frame({ type: 'event', name: 'board.changed', payload: { n: 5 }, seq: 5 })
    s.latest().frame({ type: 'event', name: 'board.changed', payload: { n: 6 }, seq: 6 })
    s.latest().answer({ refetch: false })
    await settle()
    expect(s.t.connection()).toEqual({ kind: 'online' })
    expect(s.infos).toEqual([{ refetch: false }])
    expect(s.heard).toEqual([{ n: 4 }, { n: 5 }, { n: 6 }])
    expect(s.latest().sent.at(-1)).toMatchObject({ method: 'system.ping', token: 'tok' })
    s.latest().answer({ pong: true })
    expect(await waiting).toEqual({ ok: true, value: { pong: true } })

    // the next catch-up starts after the last event heard
    await dropAndReopen(s)
    expect(s.latest().sent[0]).toMatchObject({ resume: { epoch: 'run1', after: 6 } })
  })

  it('says refetch when the host restarted, and counts from the new run after that', async () => {
    const s = setup()
    const first = s.t.request('system.ping', {}, 'tok')
    s.latest().accept()
    s.latest().frame({ type: 'hello', epoch: 'run1', seq: 9 })
    await settle()
    s.latest().answer({ pong: true })
    await first

    await dropAndReopen(s)
    s.latest().frame({ type: 'hello', epoch: 'run2', seq: 0 })
    s.latest().frame({ type: 'event', name: 'board.changed', payload: {}, seq: 1 })
    s.latest().answer({ refetch: true })
    await settle()
    expect(s.infos).toEqual([{ refetch: true }])
    await dropAndReopen(s)
    expect(s.latest().sent[0]).toMatchObject({ resume: { epoch: 'run2', after: 1 } })
  })

  it('does not resume without a token (signed out) and says refetch', async () => {
    const s = setup()
    const first = s.t.request('auth.login', { username: 'a', password: 'b' }, undefined)
    s.latest().accept()
    s.latest().frame({ type: 'hello', epoch: 'run1', seq: 0 })
    await settle()
    s.latest().answer({ token: 'new' })
    await first
    const out = s.t.request('auth.logout', {}, 'new')
    await settle()
    s.latest().answer({ ok: true })
    await out
    await dropAndReopen(s)
    expect(s.latest().sent).toEqual([])
    expect(s.infos).toEqual([{ refetch: true }])
  })

  it('resumes with the token sign-in gave', async () => {
    const s = setup()
    const first = s.t.request('auth.login', { username: 'a', password: 'b' }, undefined)
    s.latest().accept()
    s.latest().frame({ type: 'hello', epoch: 'run1', seq: 2 })
    await settle()
    s.latest().answer({ token: 'fresh' })
    await first
    await dropAndReopen(s)
    expect(s.latest().sent[0]).toMatchObject({ resume: { epoch: 'run1', after: 2 }, token: 'fresh' })
  })

  it('sends a call whose answer was lost again with the same idempotency key; any other call gets a new one', async () => {
    const s = setup()
    await online(s)
    const input = { clientId: 7, note: '看房' }
    const lost = s.t.request('followups.add', input, 'tok')
    await settle()
    const firstKey = s.latest().sent.at(-1)!.key
    expect(firstKey).toBeDefined()
    s.latest().drop()
    expect(await lost).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    s.latest().accept()
    await settle()

    const other = s.t.request('followups.add', { ...input, note: '签约' }, 'tok')
    await settle()
    expect(s.latest().sent.at(-1)!.key).not.toBe(firstKey)
    s.latest().answer({ id: 2 })
    await other
    const again = s.t.request('followups.add', input, 'tok')
    await settle()
    expect(s.latest().sent.at(-1)!.key).toBe(firstKey)
    s.latest().answer({ id: 1 })
    await again
    // answered: a third identical call is a new write
    const third = s.t.request('followups.add', input, 'tok')
    await settle()
    expect(s.latest().sent.at(-1)!.key).not.toBe(firstKey)
    s.latest().answer({ id: 3 })
    await third
  })

  it('keeps the key of a call that timed out, too', async () => {
    const s = setup()
    await online(s)
    const slow = s.t.request('followups.add', { a: 1 }, 'tok')
    await settle()
    const key = s.latest().sent.at(-1)!.key
    await s.scheduler.advance(30_000)
    expect(await slow).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    const again = s.t.request('followups.add', { a: 1 }, 'tok')
    await settle()
    expect(s.latest().sent.at(-1)!.key).toBe(key)
    s.latest().answer({})
    await again
  })
})

describe('ws transport: a host that went silent', () => {
  it('pings a signed-in socket after a silence and drops it when no answer comes, so the reconnect (and the banner) starts', async () => {
    const s = setup()
    await online(s)
    const first = s.latest()
    await s.scheduler.advance(40_000)
    expect(first.sent.at(-1)).toMatchObject({ method: 'system.ping', token: 'tok' })
    // answered: still the same socket, and the silence is measured again from there
    first.answer({ pong: true })
    await settle()
    expect(FakeSocket.made).toHaveLength(1)
    await s.scheduler.advance(40_000)
    const sentBefore = first.sent.length
    expect(first.sent.at(-1)).toMatchObject({ method: 'system.ping' })
    await s.scheduler.advance(DEFAULT_RECONNECT.connectTimeoutMs)
    expect(FakeSocket.made).toHaveLength(2)
    expect(s.t.connection().kind).toBe('reconnecting')
    expect(first.sent).toHaveLength(sentBefore)
  })

  it('does not ping while frames keep coming, nor a signed-out socket', async () => {
    const s = setup()
    await online(s)
    for (let i = 0; i < 3; i++) {
      await s.scheduler.advance(30_000)
      s.latest().frame({ type: 'event', name: 'board.changed', payload: {}, seq: i + 1 })
    }
    expect(s.latest().sent.filter((f) => f.method === 'system.ping')).toHaveLength(1) // the one online() made

    const out = setup()
    const login = out.t.request('auth.login', { username: 'a', password: 'b' }, undefined)
    out.latest().accept()
    await settle()
    out.latest().frame({ type: 'result', id: out.latest().sent[0]!.id, ok: false, error: { code: 'BAD_CREDENTIALS', message: 'x' } })
    await login
    await out.scheduler.advance(200_000)
    expect(out.latest().sent).toHaveLength(1)
    expect(FakeSocket.made).toHaveLength(1)
  })
})
