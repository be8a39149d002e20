import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiClient } from '@shared/contract/client'
import type { Host } from '../../electron/host/host'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// 申请协作 as a whole flow through the real dispatcher (issue 16 item 1): the owner is told, the
// inbox lists, the owner or a manager answers, the requester is told, the shared log names both.
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
let manager: ApiClient
let owner: ApiClient
let asker: ApiClient
let other: ApiClient
let senior: ApiClient
let desk: ApiClient
const ids = { owner: 0, asker: 0, other: 0 }
let phoneSerial = 0

async function teamed(role: 'agent' | 'senior_agent', username: string, team: string) {
  const s = await staffClient(host, admin, role, username)
  await admin.call('staff.update', { id: s.staff.id, version: s.staff.version, team })
  return s
}

/** A fresh client of the owner's. */
async function ownersClient(name: string) {
  const phone = `1390000${String(++phoneSerial).padStart(4, '0')}`
  return owner.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone' })
}

const notices = async (c: ApiClient) => (await c.call('notifications.list', {})).rows
const auditRows = (action: string) => host.database.sqlite.prepare(`SELECT target FROM audit_log WHERE action = ?`).pluck().all(action) as string[]

beforeAll(async () => {
  host = await startTempHost()
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const o = await teamed('agent', 'owner', '一组')
  owner = o.client
  ids.owner = o.staff.id
  const a = await teamed('agent', 'asker', '二组')
  asker = a.client
  ids.asker = a.staff.id
  const x = await teamed('agent', 'other', '二组')
  other = x.client
  ids.other = x.staff.id
  senior = (await teamed('senior_agent', 'senior', '一组')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
})
afterAll(() => host.cleanup())

describe('申请协作: asking', () => {
  it('the owner is told at once and finds the request in the inbox; the requester sees it under their own', async () => {
    const c = await ownersClient('协作甲')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '客户周末也来找过我' })
    const told = (await notices(owner)).find((n) => n.clientId === c.id)
    expect(told).toMatchObject({ kind: 'collab', title: { key: 'notice.collabAsked' }, body: { key: 'notice.collabAskedBody', params: { client: '协作甲' } } })
    const inbox = await owner.call('collab.inbox', {})
    expect(inbox.open).toBe(1)
    expect(inbox.rows[0]).toMatchObject({ id: r.id, clientName: '协作甲', status: 'open', mayAnswer: true, requester: { id: ids.asker }, owner: { id: ids.owner } })
    expect((await asker.call('collab.inbox', { box: 'outgoing' })).rows[0]).toMatchObject({ id: r.id, status: 'open', mayAnswer: false })
    // nobody else's incoming box holds it, but the manager's
    expect((await other.call('collab.inbox', {})).rows).toEqual([])
    expect((await manager.call('collab.inbox', {})).rows.map((x) => x.id)).toContain(r.id)
    expect(auditRows('clients.requestCollaboration')).toContain(`client:${c.id}`)
  })

  it('refuses a second pending request, one for a client already seen in full, one for an own or pooled client, and the desk', async () => {
    const c = await ownersClient('协作乙')
    await asker.call('clients.requestCollaboration', { clientId: c.id, note: '第一次申请' })
    expect(await asker.try('clients.requestCollaboration', { clientId: c.id, note: '再问一次' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'request_open', field: 'clientId' } })
    // the team's senior already sees it in full
    expect(await senior.try('clients.requestCollaboration', { clientId: c.id, note: '我也来' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'already_full_access' } })
    expect(await owner.try('clients.requestCollaboration', { clientId: c.id, note: '我自己的' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'own_client' } })
    const pooled = await ownersClient('协作丙')
    await owner.call('pool.release', { clientId: pooled.id, reason: '客户已搬走' })
    expect(await asker.try('clients.requestCollaboration', { clientId: pooled.id, note: '想跟进' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'in_pool' } })
    expect(await desk.try('clients.requestCollaboration', { clientId: c.id, note: '前台想跟' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await asker.call('system.ping', {})).toMatchObject({ pong: true })
  })
})

describe('申请协作: answering', () => {
  it('only the owner or a manager answers: the requester, a colleague, the team senior and the desk are refused', async () => {
    const c = await ownersClient('协作丁')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '一起带看' })
    for (const who of [asker, other, senior, desk]) {
      expect(await who.try('collab.answer', { id: r.id, version: 0, accept: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    // a refusal tells nothing of the request: no client, no names
    const refused = await other.try('collab.answer', { id: r.id, version: 0, accept: true })
    expect(JSON.stringify(refused)).not.toMatch(/协作丁|一起带看/)
    expect((await owner.call('collab.inbox', {})).rows.find((x) => x.id === r.id)?.status).toBe('open')
  })

  it('a client that changes hands takes its open requests along: the new owner answers, the old one no longer may', async () => {
    const c = await ownersClient('协作易主')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '想一起跟' })
    await manager.call('clients.reassign', { clientIds: [c.id], toStaffId: ids.other, reason: '调整分工' })
    expect((await owner.call('collab.inbox', { limit: 500 })).rows.some((x) => x.id === r.id)).toBe(false)
    expect((await other.call('collab.inbox', {})).rows.find((x) => x.id === r.id)).toMatchObject({ mayAnswer: true, owner: { id: ids.other } })
    expect(await owner.try('collab.answer', { id: r.id, version: 0, accept: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await other.call('collab.answer', { id: r.id, version: 0, accept: true })).toMatchObject({ status: 'accepted', decidedBy: { id: ids.other } })
  })

  it('a decline needs a reason (on its field, nothing saved); the requester is told why and may ask again', async () => {
    const c = await ownersClient('协作戊')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '客户是我朋友' })
    expect(await owner.try('collab.answer', { id: r.id, version: 0, accept: false, reason: '  ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason', reason: 'decline_reason' } })
    expect((await owner.call('collab.inbox', {})).rows.find((x) => x.id === r.id)).toMatchObject({ status: 'open', version: 0 })
    const answered = await owner.call('collab.answer', { id: r.id, version: 0, accept: false, reason: '客户要求只由我对接' })
    expect(answered).toMatchObject({ status: 'declined', reason: '客户要求只由我对接', decidedBy: { id: ids.owner }, mayAnswer: false })
    expect((await notices(asker)).find((n) => n.clientId === c.id)).toMatchObject({
      title: { key: 'notice.collabDeclined' },
      body: { key: 'notice.collabDeclinedBody', params: { client: '协作戊', reason: '客户要求只由我对接' } },
    })
    expect((await asker.call('clients.get', { id: c.id })).access).toBe('basic')
    expect(await asker.try('followups.create', { clientId: c.id, channel: 'phone', content: '打了电话' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await asker.call('clients.requestCollaboration', { clientId: c.id, note: '客户又来电找我' })).toMatchObject({ status: 'open' })
  })

  it('an answer to a request answered meanwhile is refused as stale, and names who answered', async () => {
    const c = await ownersClient('协作己')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '一起跟' })
    await manager.call('collab.answer', { id: r.id, version: 0, accept: false, reason: '本周暂停协作' })
    expect(await owner.try('collab.answer', { id: r.id, version: 0, accept: true })).toMatchObject({
      ok: false,
      error: { code: 'STALE_WRITE', reason: 'request_answered', params: { by: '测试manager' } },
    })
    expect((await owner.call('collab.inbox', {})).rows.find((x) => x.id === r.id)).toMatchObject({ status: 'declined', mayAnswer: false })
  })

  it('accepted: the requester sees the client in full, logs contacts, the shared log names both, everyone is told and it is audited', async () => {
    const c = await ownersClient('协作庚')
    const r = await asker.call('clients.requestCollaboration', { clientId: c.id, note: '客户在我这边看过房' })
    expect((await asker.call('clients.get', { id: c.id })).access).toBe('basic')
    const a = await owner.call('collab.answer', { id: r.id, version: 0, accept: true, reason: '欢迎' })
    expect(a).toMatchObject({ status: 'accepted', decidedBy: { id: ids.owner }, version: 1 })
    expect((await notices(asker)).find((n) => n.clientId === c.id)).toMatchObject({ title: { key: 'notice.collabAccepted' }, body: { params: { client: '协作庚' } } })
    const seen = await asker.call('clients.get', { id: c.id })
    expect(seen.access).toBe('full')
    expect(seen.collaborator).toBe(true)
    expect((await owner.call('clients.get', { id: c.id })).collaborator).toBe(false)
    // full access is not ownership: the numbers stay masked (a reveal is audited) and the profile is the owner's to edit
    expect(seen.phones[0]!.masked).toBe(true)
    expect(await asker.try('clients.update', { id: c.id, version: seen.version, tier: 'vip' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    await asker.call('followups.create', { clientId: c.id, channel: 'phone', content: '约了周六带看' })
    const log = (await owner.call('followups.list', { clientId: c.id })).rows
    expect(log[0]).toMatchObject({ staffName: '测试agent', content: '约了周六带看' })
    expect(log.find((f) => f.text?.key === 'followup.collabJoined')).toMatchObject({
      content: '客户在我这边看过房',
      text: { params: { requester: '测试agent', owner: '测试agent' } },
      staffId: ids.owner,
    })
    expect(auditRows('collab.answer')).toContain(`client:${c.id}`)
    // asking again is refused: they already see the client in full
    expect(await asker.try('clients.requestCollaboration', { clientId: c.id, note: '再来' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'already_full_access' } })
    // a colleague who was not taken on still sees the basics only
    expect((await other.call('clients.get', { id: c.id })).access).toBe('basic')
  })

  it('colleagues with access add to the shared log (团队可补充信息); those without are refused', async () => {
    const c = await ownersClient('协作辛')
    await senior.call('followups.create', { clientId: c.id, channel: 'note', content: '该小区同户型上周成交价520万' })
    await manager.call('followups.create', { clientId: c.id, channel: 'note', content: '注意客户预算' })
    expect(await other.try('followups.create', { clientId: c.id, channel: 'note', content: '我也补充' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const log = (await owner.call('followups.list', { clientId: c.id })).rows.map((f) => f.content)
    expect(log).toEqual(['注意客户预算', '该小区同户型上周成交价520万'])
  })
})

describe('申请协作: a requester who leaves', () => {
  it('their open request closes and cannot be answered; their collaborations end', async () => {
    const leaver = await teamed('agent', 'leaver', '二组')
    const open = await ownersClient('协作壬')
    const shared = await ownersClient('协作癸')
    const r1 = await leaver.client.call('clients.requestCollaboration', { clientId: open.id, note: '想一起跟' })
    const r2 = await leaver.client.call('clients.requestCollaboration', { clientId: shared.id, note: '我带看过' })
    await owner.call('collab.answer', { id: r2.id, version: 0, accept: true })
    await manager.call('staff.depart', { id: leaver.staff.id, toStaffIds: [] })
    const inbox = (await owner.call('collab.inbox', { limit: 500 })).rows
    expect(inbox.find((x) => x.id === r1.id)).toMatchObject({ status: 'closed', mayAnswer: false })
    expect(inbox.find((x) => x.id === r2.id)).toMatchObject({ status: 'closed' })
    expect(await owner.try('collab.answer', { id: r1.id, version: 0, accept: true })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE' } })
    const fresh = inbox.find((x) => x.id === r1.id)!
    expect(await owner.try('collab.answer', { id: r1.id, version: fresh.version, accept: true })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', reason: 'request_answered' } })
    expect(await owner.call('system.ping', {})).toMatchObject({ pong: true })
  })

  it('an open request of someone deactivated (not departed) closes too', async () => {
    const gone = await teamed('agent', 'gone', '二组')
    const c = await ownersClient('协作子')
    const r = await gone.client.call('clients.requestCollaboration', { clientId: c.id, note: '一起' })
    await admin.call('staff.deactivate', { id: gone.staff.id })
    expect((await manager.call('collab.inbox', { limit: 500 })).rows.find((x) => x.id === r.id)).toMatchObject({ status: 'closed' })
  })
})

describe('申请协作: the inbox', () => {
  it('lists open requests first, then the answered ones newest first', async () => {
    const rows = (await owner.call('collab.inbox', { limit: 500 })).rows
    const firstAnswered = rows.findIndex((x) => x.status !== 'open')
    expect(firstAnswered).toBeGreaterThan(0)
    expect(rows.slice(firstAnswered).every((x) => x.status !== 'open')).toBe(true)
    const answeredIds = rows.slice(firstAnswered).map((x) => x.id)
    expect(answeredIds).toEqual([...answeredIds].sort((a, b) => b - a))
  })

  it('refuses input it does not know, and the host still answers', async () => {
    expect(await owner.try('collab.inbox', { box: 'everyone' } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'box' } })
    expect(await owner.try('collab.answer', { id: 1, version: 0, accept: 'yes' } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'accept' } })
    expect(await owner.call('system.ping', {})).toMatchObject({ pong: true })
  })
})
