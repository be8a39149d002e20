import fs from 'node:fs'
import net from 'node:net'
import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ManualClock } from '../../electron/host/clock'
import type { TransportLimits } from '../../electron/host/lan/limits'
import { startServer, type RunningServer } from '../../electron/host/lan/server'
import { holdWriter } from '../helpers/beside-the-host'
import { fakeRenderer } from '../helpers/host-process'
import { httpRequest, rawExchange } from '../helpers/raw-traffic'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'

// Every bound of the transport, each set small on a server of its own over one real host.
let host: Awaited<ReturnType<typeof startTempHost>>
let rendererDir: string
const running: RunningServer[] = []
beforeAll(async () => {
  rendererDir = fakeRenderer()
  host = await startTempHost()
})
afterEach(async () => {
  for (const s of running.splice(0)) await s.close()
})
afterAll(async () => {
  await host.cleanup()
  fs.rmSync(rendererDir, { recursive: true, force: true })
})

async function serve(limits: Partial<TransportLimits>) {
  const logs: string[] = []
  const server = await startServer({
    dispatcher: host.dispatcher,
    events: host.events,
    rendererDir,
    health: () => ({ status: 'ok' }),
    host: '127.0.0.1',
    port: 0,
    limits,
    clock: host.clock,
    log: (m) => logs.push(m),
  })
  running.push(server)
  return { server, logs, port: server.port, url: server.url }
}

interface Answer {
  id: number
  ok: boolean
  value?: { token?: string }
  error?: { code: string; reason?: string }
}

/** A `ws` client that collects answers by id and remembers how it was closed. */
async function socket(url: string, opts: WebSocket.ClientOptions = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws', opts)
  const answers = new Map<number, Answer>()
  const waiting = new Map<number, (a: Answer) => void>()
  let pings = 0
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Answer & { type: string }
    if (frame.type !== 'result') return
    answers.set(frame.id, frame)
    waiting.get(frame.id)?.(frame)
  })
  ws.on('ping', () => pings++)
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let nextId = 1
  return {
    ws,
    closed,
    pings: () => pings,
    send(method: string, input: unknown, token?: string): number {
      const id = nextId++
      ws.send(JSON.stringify({ id, method, input, token }))
      return id
    },
    /** a call whose input is JSON text as given (too deep for JSON.stringify). */
    sendText(method: string, inputJson: string): number {
      const id = nextId++
      ws.send(`{"id":${id},"method":${JSON.stringify(method)},"input":${inputJson}}`)
      return id
    },
    answer: (id: number) => new Promise<Answer>((resolve) => (answers.has(id) ? resolve(answers.get(id)!) : waiting.set(id, resolve))),
    async call(method: string, input: unknown, token?: string) {
      return this.answer(this.send(method, input, token))
    },
    async signIn(): Promise<string> {
      const a = await this.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })
      return a.value!.token!
    },
  }
}

const nestedText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
const nested = (depth: number) => JSON.parse(nestedText(depth)) as unknown

describe('per-socket bounds', () => {
  it('refuses a frame over the calls-in-flight limit with BUSY and keeps the socket and its calls', async () => {
    const s = await serve({ maxFramesInFlight: 2 })
    const c = await socket(s.url)
    const token = await c.signIn()
    const release = await holdWriter(host)
    // writes, so they stay in flight while the writer is held (a ping would be answered by a reader)
    const first = c.send('prefs.set', { key: 'grid.first', value: 1 }, token)
    const second = c.send('prefs.set', { key: 'grid.second', value: 2 }, token)
    expect(await c.call('system.ping', {}, token)).toMatchObject({ ok: false, error: { code: 'BUSY' } })
    await release()
    expect(await c.answer(first)).toMatchObject({ ok: true })
    expect(await c.answer(second)).toMatchObject({ ok: true })
    expect(await c.call('system.ping', {}, token)).toMatchObject({ ok: true })
    c.ws.close()
  })

  it('closes a socket that keeps sending frames without signing in (1008), never a signed-in one', async () => {
    const s = await serve({ maxUnauthenticatedFrames: 3 })
    const stranger = await socket(s.url)
    for (let i = 0; i < 3; i++) expect(await stranger.call('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    stranger.send('system.ping', {})
    expect(await stranger.closed).toEqual({ code: 1008, reason: 'sign in first' })
    expect(s.logs.join('\n')).toMatch(/websocket closed: 127\.0\.0\.1: 3 frames without signing in/)

    const staff = await socket(s.url)
    const token = await staff.signIn()
    for (let i = 0; i < 6; i++) expect(await staff.call('system.ping', {}, token)).toMatchObject({ ok: true })
    staff.ws.close()
  })

  it('closes a socket idle without signing in, and keeps a signed-in one alive for hours with pings', async () => {
    const s = await serve({ heartbeatMs: 20, unauthenticatedIdleMs: 60_000 })
    const idle = await socket(s.url)
    const board = await socket(s.url)
    await board.signIn()
    ;(host.clock as ManualClock).advance(61_000)
    expect(await idle.closed).toEqual({ code: 1008, reason: 'idle without signing in' })
    ;(host.clock as ManualClock).advance(10 * 3600_000)
    const before = board.pings()
    await expect.poll(() => board.pings(), { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 3)
    expect(board.ws.readyState).toBe(WebSocket.OPEN)
    board.ws.close()
  })

  it('terminates a signed-in socket that stops answering pings', async () => {
    const s = await serve({ heartbeatMs: 20 })
    const dead = await socket(s.url, { autoPong: false })
    await dead.signIn()
    expect((await dead.closed).code).toBe(1006)
    expect(s.logs.join('\n')).toMatch(/websocket dropped: 127\.0\.0\.1: no answer to a ping/)
  })

  it('drops a signed-in socket that stops reading once its queue passes the bound', async () => {
    const s = await serve({ maxSendBufferBytes: 256 * 1024 })
    const reader = await socket(s.url)
    await reader.signIn()
    reader.ws.pause()
    const unitIds = Array.from({ length: 8000 }, (_, i) => 100_000 + i)
    for (let i = 0; i < 2000 && !s.logs.some((l) => l.startsWith('websocket dropped')); i++) host.events.publish('board.changed', { projectId: 1, unitIds })
    expect(s.logs.join('\n')).toMatch(/websocket dropped: 127\.0\.0\.1: stopped reading/)
    reader.ws.resume()
    expect((await reader.closed).code).toBe(1006)
  })

  it('pushes nothing to a socket that never signed in', async () => {
    const s = await serve({})
    const stranger = await socket(s.url)
    const staff = await socket(s.url)
    await staff.signIn()
    const heard: string[] = []
    stranger.ws.on('message', (d) => heard.push(String(d)))
    const got = new Promise<string>((resolve) => staff.ws.once('message', (d) => resolve(String(d))))
    host.events.publish('board.changed', { projectId: 7, unitIds: [1] })
    expect(await got).toContain('board.changed')
    // the stranger's socket is still open and answers, and heard no event
    expect(await stranger.call('system.ping', {})).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
    expect(heard.filter((h) => h.includes('"event"'))).toEqual([])
    stranger.ws.close()
    staff.ws.close()
  })
})

describe('connections per address', () => {
  it('refuses a connection over the cap and takes one again when a slot frees', async () => {
    const s = await serve({ maxConnectionsPerAddress: 3 })
    const open = await Promise.all(
      [1, 2, 3].map(() => new Promise<net.Socket>((resolve) => {
        const sock = net.connect(s.port, '127.0.0.1', () => resolve(sock))
      })),
    )
    const refused = await rawExchange(s.port, httpRequest('GET', s.port, '/healthz'))
    expect(refused.status).toBeNull()
    expect(s.logs.join('\n')).toMatch(/refused connection: 127\.0\.0\.1 already has 3 open/)
    open[0]!.destroy()
    await expect.poll(async () => (await rawExchange(s.port, httpRequest('GET', s.port, '/healthz'))).status, { timeout: 10_000 }).toBe(200)
    for (const sock of open) sock.destroy()
  })

  it('counts WebSockets against the same cap', async () => {
    const s = await serve({ maxConnectionsPerAddress: 2 })
    const a = await socket(s.url)
    const b = await socket(s.url)
    await expect(socket(s.url)).rejects.toThrow()
    a.ws.close()
    b.ws.close()
  })
})

describe('JSON depth and body size', () => {
  it('answers input nested deeper than the bound with VALIDATION too_deep, over HTTP and WebSocket', async () => {
    const s = await serve({ maxJsonDepth: 32 })
    const r = await fetch(`${s.url}/api/system.ping`, { method: 'POST', body: JSON.stringify(nested(40)) })
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'too_deep', params: { maximum: 32 } } })
    const c = await socket(s.url)
    expect(await c.call('system.ping', nested(40))).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'too_deep' } })
    // a hundred thousand levels: still an answer, not a stack overflow
    expect(await c.answer(c.sendText('system.ping', nestedText(100_000)))).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'too_deep' } })
    expect(await c.call('system.ping', nested(3))).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    c.ws.close()
  })

  it('answers a body over the size bound with 413, declared or chunked', async () => {
    const s = await serve({ maxBodyBytes: 1024 })
    const big = JSON.stringify({ username: 'x'.repeat(2000), password: 'y' })
    const declared = await fetch(`${s.url}/api/auth.login`, { method: 'POST', body: big })
    expect(declared.status).toBe(413)
    expect(await declared.json()).toMatchObject({ error: { code: 'VALIDATION', reason: 'body_too_large' } })
    const chunked = `POST /api/auth.login HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\ntransfer-encoding: chunked\r\n\r\n${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`
    expect((await rawExchange(s.port, chunked)).status).toBe(413)
  })
})

describe('HTTP server bounds', () => {
  it('cuts a client that never finishes its headers, or its body (408)', async () => {
    const s = await serve({ headersTimeoutMs: 200, requestTimeoutMs: 400, timeoutCheckMs: 50 })
    const slowHeaders = await rawExchange(s.port, `GET / HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\n`, { end: false })
    expect(slowHeaders).toMatchObject({ status: 408, hung: false })
    const slowBody = await rawExchange(s.port, `POST /api/auth.login HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\ncontent-length: 100\r\n\r\n{"user`, { end: false })
    expect(slowBody).toMatchObject({ status: 408, hung: false })
  })

  it('closes an idle keep-alive connection', async () => {
    const s = await serve({ keepAliveTimeoutMs: 100 })
    const kept = await rawExchange(s.port, `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\n\r\n`, { end: false })
    expect(kept).toMatchObject({ status: 200, hung: false })
  })

  it('refuses a request with more header lines than the bound (431)', async () => {
    const s = await serve({ maxHeadersCount: 8 })
    const headers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']))
    expect((await rawExchange(s.port, httpRequest('GET', s.port, '/healthz', headers(5)))).status).toBe(200)
    expect((await rawExchange(s.port, httpRequest('GET', s.port, '/healthz', headers(10)))).status).toBe(431)
  })
})

describe('stopping', () => {
  it('refuses new connections, answers the request in flight, and only then has closed', async () => {
    const s = await serve({})
    const admin = await socket(s.url)
    const token = await admin.signIn()
    const body = JSON.stringify({ username: 'drained-http', name: '在途', role: 'agent', password: 'a-long-pass-8421' })
    const raw = net.connect(s.port, '127.0.0.1')
    let received = ''
    const seen = (text: string) => new Promise<void>((resolve) => {
      const check = () => received.includes(text) && resolve()
      raw.on('data', (d: Buffer) => {
        received += d.toString()
        check()
      })
      check()
    })
    raw.write(
      `POST /api/staff.create HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\nauthorization: Bearer ${token}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\n\r\n`,
    )
    // Node answers 100 Continue as it hands the request to the server: it is in flight now
    await seen('100 Continue')
    let closed = false
    const closing = s.server.close().then(() => (closed = true))
    expect(await admin.closed).toEqual({ code: 1001, reason: 'host stopping' })
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow()
    expect(closed).toBe(false)
    raw.write(body)
    await seen('HTTP/1.1 200')
    await closing
    raw.destroy()
    expect(await host.database.db.selectFrom('staff').select('username').where('username', '=', 'drained-http').execute()).toHaveLength(1)
  })

  it('lets a WebSocket write waiting on the database commit before it has closed', async () => {
    const s = await serve({ maxFramesInFlight: 1 })
    const admin = await socket(s.url)
    const token = await admin.signIn()
    const release = await holdWriter(host)
    admin.send('staff.create', { username: 'drained-ws', name: '在途', role: 'agent', password: 'a-long-pass-8421' }, token)
    // BUSY for the next frame proves the write is in flight
    expect(await admin.call('system.ping', {}, token)).toMatchObject({ error: { code: 'BUSY' } })
    let closed = false
    const closing = s.server.close().then(() => (closed = true))
    expect(await admin.closed).toEqual({ code: 1001, reason: 'host stopping' })
    expect(closed).toBe(false)
    await release()
    await closing
    expect(await host.database.db.selectFrom('staff').select('username').where('username', '=', 'drained-ws').execute()).toHaveLength(1)
  })

  it('gives up on calls in flight after the drain bound, and says so', async () => {
    const s = await serve({ drainMs: 50, maxFramesInFlight: 1 })
    const c = await socket(s.url)
    const token = await c.signIn()
    const release = await holdWriter(host)
    c.send('prefs.set', { key: 'grid.cut', value: 1 }, token)
    expect(await c.call('system.ping', {}, token)).toMatchObject({ error: { code: 'BUSY' } })
    await s.server.close()
    expect(s.logs.join('\n')).toMatch(/stopping: 1 calls still running after 50 ms/)
    await release()
  })
})
