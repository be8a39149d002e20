import fs from 'node:fs'
import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import { ApiClient as Client } from '@shared/contract/client'
import { wsTransport, type ConnectionState, type Reconnected, type WsTransport } from '@shared/contract/ws-transport'
import type { ManualClock } from '../../electron/host/clock'
import type { TransportLimits } from '../../electron/host/lan/limits'
import { startServer, type RunningServer } from '../../electron/host/lan/server'
import { holdWriter } from '../helpers/beside-the-host'
import { fakeRenderer } from '../helpers/host-process'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { ADMIN_PASSWORD, startTempHost } from '../helpers/temp-host'
import { problemOnConnection, saveStep } from '../../renderer/src/app/form-save'

// Issue #17 items 4 and 5 over real sockets on 127.0.0.1: who hears pushes, catch-up after a
// drop, writes retried after a cut applied once, a flood and a slow reader against other terminals.
let host: Awaited<ReturnType<typeof startTempHost>>
let rendererDir: string
let admin: ApiClient
let agent: { username: string; id: number }
let manager: { username: string; id: number }
const running: RunningServer[] = []
const transports: WsTransport[] = []
/** the call rate's clock, moved by hand */
let rateMs = 0

beforeAll(async () => {
  rendererDir = fakeRenderer()
  host = await startTempHost()
  admin = await adminClient(host)
  const a = await staffClient(host, admin, 'agent', 'ws-agent')
  const m = await staffClient(host, admin, 'manager', 'ws-manager')
  agent = { username: 'ws-agent', id: a.staff.id }
  manager = { username: 'ws-manager', id: m.staff.id }
})
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  for (const s of running.splice(0)) await s.close()
})
afterAll(async () => {
  await host.cleanup()
  fs.rmSync(rendererDir, { recursive: true, force: true })
})

async function serve(limits: Partial<TransportLimits> = {}) {
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
    rateNow: () => rateMs,
    log: (m) => logs.push(m),
  })
  running.push(server)
  return { server, logs, wsUrl: server.url.replace(/^http/, 'ws') + '/ws' }
}

interface Frame {
  type: string
  id?: number
  ok?: boolean
  value?: { token?: string; refetch?: boolean; id?: number } & Record<string, unknown>
  error?: { code: string; reason?: string; params?: { seconds?: number } }
  name?: string
  payload?: unknown
  seq?: number
  epoch?: string
}

/** A raw `ws` client: answers by id, events and the hello kept in order. */
async function socket(wsUrl: string) {
  const ws = new WebSocket(wsUrl)
  const answers = new Map<number, Frame>()
  const waiting = new Map<number, (a: Frame) => void>()
  const events: Frame[] = []
  let hello: Frame | null = null
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as Frame
    if (f.type === 'hello') hello = f
    else if (f.type === 'event') events.push(f)
    else {
      answers.set(f.id!, f)
      waiting.get(f.id!)?.(f)
    }
  })
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let nextId = 1
  return {
    ws,
    closed,
    events,
    hello: () => hello,
    send(frame: Record<string, unknown>): number {
      const id = nextId++
      ws.send(JSON.stringify({ id, ...frame }))
      return id
    },
    answer: (id: number) => new Promise<Frame>((resolve) => (answers.has(id) ? resolve(answers.get(id)!) : waiting.set(id, resolve))),
    async call(method: string, input: unknown, token?: string, key?: string) {
      return this.answer(this.send({ method, input, token, key }))
    },
    async signIn(username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
      const a = await this.call('auth.login', { username, password })
      return a.value!.token!
    },
  }
}

/** Resolves when the transport's state matches. */
function stateWhere(t: WsTransport, ok: (s: ConnectionState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ok(t.connection())) return resolve()
    const off = t.onConnection((s) => {
      if (!ok(s)) return
      off()
      resolve()
    })
  })
}

describe('who hears a push', () => {
  it('learns a socket’s user from any signed-in call: a socket that only pinged with its token hears its notices', async () => {
    const { wsUrl } = await serve()
    const first = await socket(wsUrl)
    const token = await first.signIn(agent.username, STAFF_PASSWORD)
    first.ws.close()
    // a reconnected page: no login, no whoami, just its next call with the kept token
    const back = await socket(wsUrl)
    expect(await back.call('system.ping', {}, token)).toMatchObject({ ok: true })
    host.events.publish('notice.new', notice('t'), { kind: 'staff', staffId: agent.id })
    host.events.publish('notice.new', notice('other'), { kind: 'staff', staffId: manager.id })
    host.events.publish('board.changed', { projectId: 2, unitIds: [] })
    // the board push comes after the manager's notice: had that one come, it would be in between
    await expect.poll(() => back.events.map((e) => e.name)).toEqual(['notice.new', 'board.changed'])
    expect(back.events[0]).toMatchObject({ payload: notice('t') })
    back.ws.close()
  })

  it('pushes an event only to roles that may read what it announces (staff.changed to management, not to an agent)', async () => {
    const { wsUrl } = await serve()
    const agentSocket = await socket(wsUrl)
    await agentSocket.signIn(agent.username, STAFF_PASSWORD)
    const managerSocket = await socket(wsUrl)
    await managerSocket.signIn(manager.username, STAFF_PASSWORD)
    host.events.publish('staff.changed', { id: 1 })
    host.events.publish('board.changed', { projectId: 3, unitIds: [] })
    await expect.poll(() => managerSocket.events.map((e) => e.name)).toEqual(['staff.changed', 'board.changed'])
    await expect.poll(() => agentSocket.events.map((e) => e.name)).toEqual(['board.changed'])
    agentSocket.ws.close()
    managerSocket.ws.close()
  })

  it('moves a socket to the session its calls carry now: a sign-out and another sign-in on it hear only the new user’s pushes', async () => {
    const { wsUrl } = await serve()
    const s = await socket(wsUrl)
    const agentToken = await s.signIn(agent.username, STAFF_PASSWORD)
    const managerToken = await s.signIn(manager.username, STAFF_PASSWORD)
    expect(agentToken).not.toBe(managerToken)
    host.events.publish('notice.new', notice('to agent'), { kind: 'staff', staffId: agent.id })
    host.events.publish('notice.new', notice('to manager'), { kind: 'staff', staffId: manager.id })
    await expect.poll(() => s.events.map((e) => (e.payload as { title: { key: string } }).title.key)).toEqual(['to manager'])
    s.ws.close()
  })
})

describe('catch-up after a drop', () => {
  it('numbers events; a resuming socket is identified by its token and hears the missed ones it may hear, then refetch false', async () => {
    const { wsUrl } = await serve()
    const before = await socket(wsUrl)
    const token = await before.signIn(agent.username, STAFF_PASSWORD)
    host.events.publish('board.changed', { projectId: 1, unitIds: [1] })
    await expect.poll(() => before.events.length).toBe(1)
    const { epoch } = before.hello()!
    const lastSeq = before.events[0]!.seq!
    before.ws.terminate()
    await before.closed

    host.events.publish('board.changed', { projectId: 1, unitIds: [2] })
    host.events.publish('staff.changed', { id: 1 }) // management only: not replayed to an agent
    host.events.publish('notice.new', notice('missed'), { kind: 'staff', staffId: agent.id })
    host.events.publish('notice.new', notice('not mine'), { kind: 'staff', staffId: manager.id })

    const after = await socket(wsUrl)
    const r = await after.answer(after.send({ resume: { epoch, after: lastSeq }, token }))
    expect(r).toMatchObject({ ok: true, value: { refetch: false } })
    expect(after.events.map((e) => e.payload)).toEqual([{ projectId: 1, unitIds: [2] }, notice('missed')])
    expect(after.events.map((e) => e.seq)).toEqual([lastSeq + 1, lastSeq + 3])
    // identified: live pushes reach it without any other call
    host.events.publish('board.changed', { projectId: 1, unitIds: [3] })
    await expect.poll(() => after.events.length).toBe(3)
    after.ws.close()
  })

  it('says refetch when the missed events are no longer kept, or come from another run of the host', async () => {
    const { wsUrl } = await serve({ eventBacklog: 2 })
    const s = await socket(wsUrl)
    const token = await s.signIn(agent.username, STAFF_PASSWORD)
    const { epoch, seq } = s.hello()!
    for (let i = 0; i < 3; i++) host.events.publish('board.changed', { projectId: 1, unitIds: [i] })
    await expect.poll(() => s.events.length).toBe(3)
    const second = await socket(wsUrl)
    expect(await second.answer(second.send({ resume: { epoch, after: seq! }, token }))).toMatchObject({ ok: true, value: { refetch: true } })
    expect(second.events).toEqual([])
    expect(await second.answer(second.send({ resume: { epoch, after: seq! + 1 }, token }))).toMatchObject({ ok: true, value: { refetch: false } })
    expect(second.events.map((e) => e.seq)).toEqual([seq! + 2, seq! + 3])
    expect(await second.answer(second.send({ resume: { epoch: 'an-earlier-run', after: 0 }, token }))).toMatchObject({ value: { refetch: true } })
    s.ws.close()
    second.ws.close()
  })

  it('refuses a resume with a token that is no good, and the socket stays anonymous', async () => {
    const { wsUrl } = await serve()
    const s = await socket(wsUrl)
    const r = await s.answer(s.send({ resume: { epoch: s.hello()!.epoch, after: 0 }, token: 'not-a-token' }))
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    host.events.publish('board.changed', { projectId: 1, unitIds: [] })
    expect(await s.call('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(s.events).toEqual([])
    s.ws.close()
  })

  it('the transport reconnects after a drop, resumes on its own and passes on what was pushed while it was away', async () => {
    const { wsUrl } = await serve()
    // the test holds the way back: while `away`, new sockets go to a port nothing listens on
    let away = false
    const made: WebSocket[] = []
    class Held extends WebSocket {
      constructor(url: string) {
        super(away ? 'ws://127.0.0.1:1/ws' : url)
        made.push(this)
      }
    }
    const t = wsTransport({ url: wsUrl, WebSocketImpl: Held as never, reconnect: { firstDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 600_000 })
    transports.push(t)
    const client = new Client(t)
    await client.call('auth.login', { username: agent.username, password: STAFF_PASSWORD })
    const heard: number[][] = []
    client.on('board.changed', (p) => heard.push(p.unitIds))
    const infos: Reconnected[] = []
    t.onReconnected((i) => infos.push(i))
    host.events.publish('board.changed', { projectId: 1, unitIds: [1] })
    await expect.poll(() => heard.length).toBe(1)

    away = true
    made.at(-1)!.terminate()
    await stateWhere(t, (s) => s.kind === 'reconnecting' && s.retryInMs !== null)
    host.events.publish('board.changed', { projectId: 1, unitIds: [2] })
    host.events.publish('board.changed', { projectId: 1, unitIds: [3] })
    away = false
    t.retryNow()
    await stateWhere(t, (s) => s.kind === 'online')
    expect(heard).toEqual([[1], [2], [3]])
    expect(infos).toEqual([{ refetch: false }])
  })
})

describe('writes retried after a cut', () => {
  it('applies a write cut off between send and reply once: the retry with its key gets the first reply', async () => {
    const { wsUrl } = await serve()
    const count = async () => (await managerApi()).call('activities.list', {}).then((r) => r.activities.filter((a) => a.name === '重试活动').length)
    const input = { name: '重试活动', startsAt: '2026-12-01T02:00:00.000Z', endsAt: '2026-12-01T04:00:00.000Z' }

    const cut = await socket(wsUrl)
    const token = await cut.signIn(manager.username, STAFF_PASSWORD)
    const release = await holdWriter(host)
    cut.send({ method: 'activities.create', input, token, key: 'retry-1' })
    // frames are read in order and a read is answered beside the held writer: once this answers,
    // the host has the write (waiting for the writer) when the line is cut
    expect(await cut.call('system.ping', {}, token)).toMatchObject({ ok: true })
    cut.ws.terminate()
    await cut.closed
    await release()
    await expect.poll(count).toBe(1)

    const retry = await socket(wsUrl)
    const again = await retry.call('activities.create', input, token, 'retry-1')
    expect(again).toMatchObject({ ok: true })
    expect(await count()).toBe(1)
    // the same reply as the first: the activity that was made
    const made = (await (await managerApi()).call('activities.list', {})).activities.find((a) => a.name === '重试活动')!
    expect(again.value!.id).toBe(made.id)
    // a repeat is answered from the kept reply before anything else runs (`prepare` may act outside
    // the transaction, as a restore does): it needs not even the writer
    const held = await holdWriter(host)
    expect(await retry.call('activities.create', input, token, 'retry-1')).toMatchObject({ ok: true, value: { id: made.id } })
    await held()
    // a new key is a new write; a key already used by another method is refused
    expect(await retry.call('activities.create', input, token, 'retry-2')).toMatchObject({ ok: true })
    expect(await count()).toBe(2)
    expect(await retry.call('activities.signUp', { activityId: made.id, clientId: 1 }, token, 'retry-1')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    // another staff member's key of the same name is theirs alone
    const other = await retry.signIn()
    const staff = { username: 'ws-keyed', name: '键测试', role: 'agent', password: STAFF_PASSWORD }
    expect(await retry.call('staff.create', staff, other, 'retry-1')).toMatchObject({ ok: true })
    retry.ws.close()
  })

  it('ties a key to its input: a reuse with other input is refused and writes nothing; the same input in another order is a retry', async () => {
    const { wsUrl } = await serve()
    const s = await socket(wsUrl)
    const token = await s.signIn(manager.username, STAFF_PASSWORD)
    const named = (name: string) => async () =>
      (await (await managerApi()).call('activities.list', {})).activities.filter((a) => a.name === name).length
    const input = { name: '键绑输入', startsAt: '2026-12-04T02:00:00.000Z', endsAt: '2026-12-04T04:00:00.000Z' }
    const first = await s.call('activities.create', input, token, 'tied-1')
    expect(first).toMatchObject({ ok: true })

    // a client bug that reuses a key for another form: refused with its reason, not answered with the first reply
    const other = { ...input, name: '另一活动' }
    const reused = await s.call('activities.create', other, token, 'tied-1')
    expect(reused).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'idempotency_key_reused' } })
    expect(await named('另一活动')()).toBe(0)
    expect(await named('键绑输入')()).toBe(1)
    // refused on the writer's side too (the check before `prepare` reads a reader): held writer, same answer
    const held = await holdWriter(host)
    expect(await s.call('activities.create', other, token, 'tied-1')).toMatchObject({ ok: false, error: { reason: 'idempotency_key_reused' } })
    await held()

    // the same call, its fields in another order, is the retry it is: the first reply, nothing applied
    const reordered = { endsAt: input.endsAt, startsAt: input.startsAt, name: input.name }
    expect(await s.call('activities.create', reordered, token, 'tied-1')).toMatchObject({ ok: true, value: { id: first.value!.id } })
    expect(await named('键绑输入')()).toBe(1)
    // and the host still answers a fresh key
    expect(await s.call('activities.create', other, token, 'tied-2')).toMatchObject({ ok: true })
    expect(await named('另一活动')()).toBe(1)
    s.ws.close()
  })

  it('answers a reply kept before the key was tied to its input (no hash) as before', async () => {
    const { wsUrl } = await serve()
    const s = await socket(wsUrl)
    const token = await s.signIn(manager.username, STAFF_PASSWORD)
    const input = { name: '旧键', startsAt: '2026-12-05T02:00:00.000Z', endsAt: '2026-12-05T04:00:00.000Z' }
    const first = await s.call('activities.create', input, token, 'legacy-1')
    // as a row kept by a host before migration 035 looks
    await host.pool.writer.updateTable('idempotent_writes').set({ input_hash: null }).where('key', '=', 'legacy-1').execute()
    expect(await s.call('activities.create', input, token, 'legacy-1')).toMatchObject({ ok: true, value: { id: first.value!.id } })
    s.ws.close()
  })

  it('a dialog saved while the line is cut keeps its input; saved again once connected, the transport reuses the key and the write is made once', async () => {
    const { wsUrl } = await serve()
    const made: WebSocket[] = []
    class Kept extends WebSocket {
      constructor(url: string) {
        super(url)
        made.push(this)
      }
    }
    const t = wsTransport({ url: wsUrl, WebSocketImpl: Kept as never, reconnect: { firstDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 600_000 })
    transports.push(t)
    const client = new Client(t)
    await client.call('auth.login', { username: manager.username, password: STAFF_PASSWORD })
    const input = { name: '断线表单', startsAt: '2026-12-03T02:00:00.000Z', endsAt: '2026-12-03T04:00:00.000Z' }
    const count = async () => (await managerApi()).call('activities.list', {}).then((r) => r.activities.filter((a) => a.name === input.name))
    // the dialog's form has a field "name": an OFFLINE answer must not land under it
    const formFields = [['name'], ['startsAt'], ['endsAt']]

    const release = await holdWriter(host)
    const first = client.try('activities.create', input)
    // a read on the same socket is answered beside the held writer: once it is, the host has the write
    expect(await client.try('system.ping', {})).toMatchObject({ ok: true })
    made.at(-1)!.terminate()
    const cut = await first
    // the state as the answer came: the socket is gone, so the dialog says the line is down
    expect(saveStep(cut, formFields, true, t.connection().kind)).toEqual({ kind: 'problem', problem: { kind: 'offline' } })
    await release()
    await expect.poll(async () => (await count()).length).toBe(1)

    await stateWhere(t, (s) => s.kind === 'online')
    const again = await client.try('activities.create', input)
    const step = saveStep(again, formFields, true, t.connection().kind)
    expect(step.kind).toBe('saved')
    const [activity] = await count()
    // the first write's own reply, and no second activity
    expect(step).toEqual({ kind: 'saved', value: expect.objectContaining({ id: activity!.id }) })
    expect(await count()).toHaveLength(1)
    // the input changed in the dialog is another write
    expect(await client.try('activities.create', { ...input, endsAt: '2026-12-03T05:00:00.000Z' })).toMatchObject({ ok: true })
    expect(await count()).toHaveLength(2)
  })

  it('a save unanswered in time while the socket stays up is no lost connection: the line says so and clears on the retry, which writes once', async () => {
    const { wsUrl } = await serve()
    const t = wsTransport({ url: wsUrl, WebSocketImpl: WebSocket as never, timeoutMs: 300 })
    transports.push(t)
    const client = new Client(t)
    await client.call('auth.login', { username: manager.username, password: STAFF_PASSWORD })
    const input = { name: '迟答表单', startsAt: '2026-12-04T02:00:00.000Z', endsAt: '2026-12-04T04:00:00.000Z' }
    const count = async () => (await managerApi()).call('activities.list', {}).then((r) => r.activities.filter((a) => a.name === input.name))
    const states: ConnectionState[] = []
    t.onConnection((s) => states.push(s))

    const release = await holdWriter(host)
    const late = await client.try('activities.create', input)
    expect(late).toMatchObject({ ok: false, error: { code: 'OFFLINE' } })
    // the socket never went away: no state change will come to clear a "connection lost" line
    expect(t.connection().kind).toBe('online')
    expect(states).toEqual([])
    const step = saveStep(late, [['name']], true, t.connection().kind)
    expect(step).toEqual({ kind: 'problem', problem: { kind: 'unanswered' } })
    expect(problemOnConnection(step.kind === 'problem' ? step.problem : null, 'online')).toBeNull()
    await release()
    await expect.poll(async () => (await count()).length).toBe(1)

    // saved again: the same key, the first write's reply, no second activity
    const again = await client.try('activities.create', input)
    expect(saveStep(again, [['name']], true, t.connection().kind)).toEqual({ kind: 'saved', value: expect.objectContaining({ id: (await count())[0]!.id }) })
    expect(await count()).toHaveLength(1)
  })

  it('prunes kept replies after a day: the same key then applies again', async () => {
    const { wsUrl } = await serve()
    const s = await socket(wsUrl)
    const token = await s.signIn(manager.username, STAFF_PASSWORD)
    const input = { name: '过期键', startsAt: '2026-12-02T02:00:00.000Z', endsAt: '2026-12-02T04:00:00.000Z' }
    expect(await s.call('activities.create', input, token, 'old-key')).toMatchObject({ ok: true })
    expect(await s.call('activities.create', input, token, 'old-key')).toMatchObject({ ok: true })
    const kept = () => host.pool.reader.selectFrom('idempotent_writes').select('key').where('key', '=', 'old-key').execute()
    expect(await kept()).toHaveLength(1)
    ;(host.clock as ManualClock).advance(25 * 3600_000)
    // any keyed write prunes (at most hourly); the session may have expired meanwhile
    const fresh = await s.signIn(manager.username, STAFF_PASSWORD)
    expect(await s.call('activities.create', { ...input, name: '过期后' }, fresh, 'later')).toMatchObject({ ok: true })
    expect(await kept()).toHaveLength(0)
    s.ws.close()
  })
})

describe('the same over HTTP', () => {
  it('takes an Idempotency-Key on POST /api and the session’s call rate (429 with Retry-After)', async () => {
    const { server } = await serve({ callsPerSecond: 1, callBurst: 3 })
    const s = await socket(server.url.replace(/^http/, 'ws') + '/ws')
    const token = await s.signIn(manager.username, STAFF_PASSWORD)
    s.ws.close()
    const input = { name: 'HTTP 重试', startsAt: '2026-12-03T02:00:00.000Z', endsAt: '2026-12-03T04:00:00.000Z' }
    const post = (key: string) =>
      fetch(`${server.url}/api/activities.create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(input),
      })
    const first = (await (await post('http-1')).json()) as { value: { id: number } }
    const again = (await (await post('http-1')).json()) as { value: { id: number } }
    expect(again.value.id).toBe(first.value.id)
    const list = await (await managerApi()).call('activities.list', {})
    expect(list.activities.filter((a) => a.name === 'HTTP 重试')).toHaveLength(1)
    const tooLong = await post('k'.repeat(65))
    expect(tooLong.status).toBe(400)
    const over = await post('http-2')
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('1')
    expect(await over.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'calls' } })
  })
})

describe('bounded and fair', () => {
  it('answers a flooding session RATE_LIMITED past its burst while another terminal is still answered; the bucket refills', async () => {
    const { wsUrl } = await serve({ callsPerSecond: 2, callBurst: 5 })
    const flooder = await socket(wsUrl)
    const token = await flooder.signIn()
    const other = await socket(wsUrl)
    const otherToken = await other.signIn(agent.username, STAFF_PASSWORD)
    const answers = await Promise.all(Array.from({ length: 40 }, () => flooder.call('system.ping', {}, token)))
    // sign-in carried no token (it counted on the socket's own bucket): the session had its whole burst
    expect(answers.filter((a) => a.ok)).toHaveLength(5)
    const refused = answers.find((a) => !a.ok)!
    expect(refused.error).toMatchObject({ code: 'RATE_LIMITED', reason: 'calls', params: { seconds: 1 } })
    expect(await other.call('system.ping', {}, otherToken)).toMatchObject({ ok: true })
    // the same session on a second socket shares the bucket
    const tab = await socket(wsUrl)
    expect(await tab.call('system.ping', {}, token)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    rateMs += 1000
    expect(await flooder.call('system.ping', {}, token)).toMatchObject({ ok: true })
    expect(await flooder.call('system.ping', {}, token)).toMatchObject({ ok: true })
    expect(await flooder.call('system.ping', {}, token)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    for (const s of [flooder, other, tab]) s.ws.close()
  })

  it('counts a sign-in over HTTP per address and username: one clerk’s burst does not lock another clerk at the same address', async () => {
    const { server } = await serve({ callsPerSecond: 1, callBurst: 3 })
    const login = (username: string, password = STAFF_PASSWORD) =>
      fetch(`${server.url}/api/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    // one clerk behind the office's one address signs in again and again (a script, a stuck key)
    for (let i = 0; i < 3; i++) expect((await login(agent.username)).status).toBe(200)
    const over = await login(agent.username)
    expect(over.status).toBe(429)
    expect(await over.json()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'calls' } })
    // the same account spelt otherwise is the same bucket, as SignInGuard spells it
    expect((await login(` ${agent.username.toUpperCase()} `)).status).toBe(429)
    // the clerk at the next desk, same address, still signs in
    const next = await login(manager.username)
    expect(next.status).toBe(200)
    expect(await next.json()).toMatchObject({ ok: true, value: { staff: { id: manager.id } } })
    // a call without a token that is no sign-in counts per address, and is refused as before
    const anon = await fetch(`${server.url}/api/system.ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(anon.status).toBe(401)
    rateMs += 1000
    expect((await login(agent.username)).status).toBe(200)
  })

  it('counts a sign-in over WebSocket as over HTTP, per address and username: fresh sockets buy no more tries, a colleague still signs in', async () => {
    const { server, wsUrl } = await serve({ callsPerSecond: 1, callBurst: 3 })
    const loginOnFreshSocket = async (username: string) => {
      const s = await socket(wsUrl)
      const a = await s.call('auth.login', { username, password: STAFF_PASSWORD })
      s.ws.close()
      return a
    }
    for (let i = 0; i < 3; i++) expect(await loginOnFreshSocket(agent.username)).toMatchObject({ ok: true })
    expect(await loginOnFreshSocket(` ${agent.username.toUpperCase()}`)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', reason: 'calls' } })
    // one bucket whichever way the sign-in comes
    const http = await fetch(`${server.url}/api/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: agent.username, password: STAFF_PASSWORD }) })
    expect(http.status).toBe(429)
    // the colleague behind the same address signs in
    expect(await loginOnFreshSocket(manager.username)).toMatchObject({ ok: true })
    // a call without a token that is no sign-in counts on its own socket, as before
    const s = await socket(wsUrl)
    expect(await s.call('system.ping', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    s.ws.close()
    rateMs += 1000
    expect(await loginOnFreshSocket(agent.username)).toMatchObject({ ok: true })
  })

  it('drops a reader that never reads while the other terminals hear every push and are answered', async () => {
    const { wsUrl, logs } = await serve({ maxSendBufferBytes: 256 * 1024 })
    const slow = await socket(wsUrl)
    await slow.signIn()
    const others = await Promise.all([socket(wsUrl), socket(wsUrl)])
    const tokens = await Promise.all(others.map((o) => o.signIn(agent.username, STAFF_PASSWORD)))
    slow.ws.pause()
    const unitIds = Array.from({ length: 8000 }, (_, i) => 100_000 + i)
    let sent = 0
    while (sent < 2000 && !logs.some((l) => l.startsWith('websocket dropped'))) {
      host.events.publish('board.changed', { projectId: 9, unitIds })
      sent++
      // the other terminals read as a real one does: the loop yields to their sockets between pushes
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(logs.join('\n')).toMatch(/websocket dropped: 127\.0\.0\.1: stopped reading/)
    slow.ws.resume()
    expect(await slow.closed).toBe(1006)
    for (const [i, o] of others.entries()) {
      await expect.poll(() => o.events.length, { timeout: 20_000 }).toBe(sent)
      expect(await o.call('system.ping', {}, tokens[i])).toMatchObject({ ok: true })
      o.ws.close()
    }
  })
})

/** A notice's payload with its title as a text key. */
function notice(title: string) {
  return { title: { key: title, params: {} }, body: { key: 'b', params: {} }, clientId: null, taskId: null }
}

/** An in-process client signed in as the test's manager (again each time: a test moves the clock a day on). */
async function managerApi(): Promise<ApiClient> {
  const c = host.client()
  await c.call('auth.login', { username: manager.username, password: STAFF_PASSWORD })
  return c
}
