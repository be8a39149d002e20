import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// complaints and service tickets (issue #20): a ticket's whole life, its escalation through the
// task engine when overdue, and who sees and does what
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
const as: Record<'manager' | 'agentA' | 'agentB' | 'senior' | 'desk', ApiClient> = {} as never
const ids = { manager: 0, agentA: 0, agentB: 0, senior: 0, desk: 0 }
const users = { manager: 'tk-mgr', agentA: 'tk-agent-a', agentB: 'tk-agent-b', senior: 'tk-senior', desk: 'tk-desk' } as const
let seq = 0
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))

const q = <T>(sql: string, ...args: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...args) as T

/** Everyone signs in again (the clock moved past their sessions). */
async function signInAll() {
  admin = await adminClient(host)
  for (const [who, username] of Object.entries(users)) {
    const c = host.client()
    await c.call('auth.login', { username, password: STAFF_PASSWORD })
    as[who as keyof typeof users] = c
  }
}

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  for (const [who, username] of Object.entries(users)) {
    const role = who === 'manager' ? 'manager' : who === 'desk' ? 'front_desk' : who === 'senior' ? 'senior_agent' : 'agent'
    const r = await staffClient(host, admin, role, username)
    as[who as keyof typeof users] = r.client
    if (who in ids) ids[who as keyof typeof ids] = r.staff.id
  }
})
afterAll(() => host.cleanup())

async function client(owner: ApiClient, tier: 'vip' | 'key' | 'normal' = 'normal') {
  seq++
  return owner.call('clients.create', { kind: 'person', name: `投诉客户${seq}`, phones: [{ number: `1370000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in', tier })
}

const categoryId = async (code: string) => (await as.manager.call('tickets.categories', {})).categories.find((c) => c.code === code)!.id

describe('the taxonomy', () => {
  it('is seeded from the defaults (complaints, owner service, post-sale) and the manager edits it', async () => {
    const { categories } = await as.desk.call('tickets.categories', {})
    expect(new Set(categories.map((c) => c.kind))).toEqual(new Set(['complaint', 'owner_service', 'post_sale']))
    const attitude = categories.find((c) => c.code === 'attitude')!
    expect(attitude.hours.vip).toBeLessThan(attitude.hours.normal)
    const edited = await as.manager.call('tickets.saveCategory', { id: attitude.id, version: attitude.version, kind: 'complaint', nameZh: '服务态度', nameEn: 'Service attitude', hours: { ...attitude.hours, vip: 2 } })
    expect(edited).toMatchObject({ hours: { vip: 2 }, version: attitude.version + 1 })
    // a stale edit is refused, nothing written
    const stale = await as.manager.try('tickets.saveCategory', { id: attitude.id, version: attitude.version, kind: 'complaint', nameZh: '改名', nameEn: 'x', hours: attitude.hours })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'version' } })
    const added = await as.manager.call('tickets.saveCategory', { kind: 'post_sale', nameZh: '物业交接', nameEn: 'Property handover', hours: { vip: 12, key: 24, normal: 48, potential: 48 } })
    expect(added.code).toBe(`custom-${added.id}`)
    // hours out of range name their field
    const bad = await as.manager.try('tickets.saveCategory', { kind: 'complaint', nameZh: '坏', nameEn: 'bad', hours: { vip: 0, key: 1, normal: 1, potential: 1 } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'hours.vip' } })
    expect(await as.agentA.try('tickets.saveCategory', { kind: 'complaint', nameZh: '越权', nameEn: 'x', hours: attitude.hours })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe("a ticket's whole life", () => {
  it('taken at the desk, dispatched with a VIP deadline, escalated when overdue, handled, fed back and closed with a score', async () => {
    const c = await client(as.agentA, 'vip')
    const attitude = await categoryId('attitude')
    let t = await as.desk.call('tickets.create', { clientId: c.id, categoryId: attitude, channel: 'desk', content: '经纪人看房迟到一小时' })
    expect(t).toMatchObject({ state: 'new', assignee: null, deadlineAt: null, intakeBy: { id: ids.desk } })
    // not yet handled: it cannot be fed back or closed
    expect(await as.manager.try('tickets.feedBack', { id: t.id, version: t.version, feedback: '太早' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'ticket_state' } })

    t = await as.desk.call('tickets.dispatch', { id: t.id, version: t.version, assigneeId: ids.agentA })
    // VIP and 服务态度: 2 hours (the manager's edit above)
    expect(t).toMatchObject({ state: 'dispatched', assignee: { id: ids.agentA }, deadlineAt: new Date(clock.now().getTime() + 2 * 3600_000).toISOString(), overdue: false })
    const task = host.database.sqlite.prepare(`SELECT id, staff_id, due_at, status FROM tasks WHERE event_key = ?`).get(`ticket:${t.id}:1`) as { id: number; staff_id: number; due_at: string; status: string }
    expect(task).toMatchObject({ staff_id: ids.agentA, due_at: t.deadlineAt, status: 'open' })
    // the handler is told (a notice about the task)
    expect(q<number>(`SELECT count(*) FROM notifications WHERE staff_id = ? AND task_id = ?`, ids.agentA, task.id)).toBe(1)

    // an hour before the deadline nothing escalates; a minute past it (not the branch's escalation
    // hours later: the deadline is the response time promised) the engine escalates it to the manager, once
    clock.advance(1 * 3600_000)
    await host.scheduler.runOnce()
    expect(q<number>(`SELECT count(*) FROM tasks WHERE rule = 'escalation' AND event_key = ?`, `escalation:${task.id}:${ids.manager}`)).toBe(0)
    clock.advance(1 * 3600_000 + 60_000)
    await host.scheduler.runOnce()
    await host.scheduler.runOnce()
    await signInAll()
    expect(q<number>(`SELECT count(*) FROM tasks WHERE rule = 'escalation' AND staff_id = ? AND event_key = ?`, ids.manager, `escalation:${task.id}:${ids.manager}`)).toBe(1)
    expect((await as.manager.call('tickets.list', { overdue: true })).rows.map((r) => r.id)).toContain(t.id)
    t = await as.agentA.call('tickets.get', { id: t.id })
    expect(t.overdue).toBe(true)

    t = await as.agentA.call('tickets.start', { id: t.id, version: t.version })
    expect(t.state).toBe('handling')
    // a stale write is refused
    expect(await as.agentA.try('tickets.feedBack', { id: t.id, version: t.version - 1, feedback: '旧版本' })).toMatchObject({ ok: false, error: { code: 'STALE_WRITE' } })
    t = await as.agentA.call('tickets.feedBack', { id: t.id, version: t.version, feedback: '已当面道歉，约定下次提前确认时间' })
    expect(t).toMatchObject({ state: 'fed_back', overdue: false })
    expect(q<string>(`SELECT status FROM tasks WHERE id = ?`, task.id)).toBe('done')

    // the handler does not close their own ticket: the return visit checks their work
    expect(await as.agentA.try('tickets.close', { id: t.id, version: t.version, returnVisit: '自己回访', satisfaction: 5 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await as.desk.try('tickets.close', { id: t.id, version: t.version, returnVisit: '回访', satisfaction: 6 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'satisfaction' } })
    t = await as.desk.call('tickets.close', { id: t.id, version: t.version, returnVisit: '电话回访，客户表示满意', satisfaction: 4 })
    expect(t).toMatchObject({ state: 'closed', satisfaction: 4, returnVisit: '电话回访，客户表示满意' })
    expect(await as.desk.try('tickets.close', { id: t.id, version: t.version, returnVisit: '再关一次', satisfaction: 4 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    // every step is in the audit log
    const actions = host.database.sqlite.prepare(`SELECT action FROM audit_log WHERE target = ? ORDER BY id`).pluck().all(`ticket:${t.id}`)
    expect(actions).toEqual(['tickets.create', 'tickets.dispatch', 'tickets.start', 'tickets.feedBack', 'tickets.close'])
  })

  it('a normal client gets the longer deadline; a reassignment cancels the first handler’s task and gives the second one', async () => {
    const c = await client(as.agentA, 'normal')
    const defect = await categoryId('defect_plumbing')
    let t = await as.agentA.call('tickets.create', { clientId: c.id, categoryId: defect, channel: 'visit', content: '验房发现卫生间漏水' })
    t = await as.manager.call('tickets.dispatch', { id: t.id, version: t.version, assigneeId: ids.agentA })
    expect(Date.parse(t.deadlineAt!) - clock.now().getTime()).toBe(72 * 3600_000)
    t = await as.manager.call('tickets.dispatch', { id: t.id, version: t.version, assigneeId: ids.agentB })
    expect(q<string>(`SELECT status FROM tasks WHERE event_key = ?`, `ticket:${t.id}:1`)).toBe('cancelled')
    expect(q<number>(`SELECT staff_id FROM tasks WHERE event_key = ? AND status = 'open'`, `ticket:${t.id}:2`)).toBe(ids.agentB)
    // the new handler sees it (though not the client's owner) and handles it; the first one no longer may
    expect(await as.agentA.try('tickets.start', { id: t.id, version: t.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await as.agentB.call('tickets.list', { mine: true })).rows.map((r) => r.id)).toEqual([t.id])
    // the client moving to another owner leaves the ticket's task with its handler
    await as.manager.call('clients.reassign', { clientIds: [c.id], toStaffId: ids.senior, reason: '调整归属' })
    expect(q<number>(`SELECT staff_id FROM tasks WHERE event_key = ?`, `ticket:${t.id}:2`)).toBe(ids.agentB)
  })
})

describe('role boundaries', () => {
  it('a ticket for a client the caller may not see is refused exactly like one for no client at all', async () => {
    const c = await client(as.agentA)
    const cat = await categoryId('other')
    const hidden = await as.agentB.try('tickets.create', { clientId: c.id, categoryId: cat, channel: 'phone', content: '投诉' })
    const missing = await as.agentB.try('tickets.create', { clientId: 999_999, categoryId: cat, channel: 'phone', content: '投诉' })
    expect(hidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'clientId' } })
    expect(missing).toEqual(hidden)
    expect(q<number>(`SELECT count(*) FROM tickets WHERE client_id = ?`, c.id)).toBe(0)
    // the host still answers
    expect((await as.agentB.try('system.ping', {})).ok).toBe(true)
  })

  it('agents see the tickets of the clients they see; the desk those it took in; the manager all', async () => {
    const c = await client(as.agentA)
    const cat = await categoryId('listing')
    const t = await as.desk.call('tickets.create', { clientId: c.id, categoryId: cat, channel: 'phone', content: '房源照片与实物不符' })
    const listed = async (who: ApiClient) => (await who.call('tickets.list', { clientId: c.id })).rows.map((r) => r.id)
    expect(await listed(as.agentA)).toEqual([t.id])
    expect(await listed(as.agentB)).toEqual([])
    expect(await listed(as.manager)).toEqual([t.id])
    expect(await listed(as.desk)).toEqual([t.id])
    expect(await as.agentB.try('tickets.get', { id: t.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // another clerk at the desk does not see it, nor dispatch it
    const desk2 = (await staffClient(host, admin, 'front_desk', 'tk-desk-2')).client
    expect(await listed(desk2)).toEqual([])
    expect(await desk2.try('tickets.dispatch', { id: t.id, version: t.version, assigneeId: ids.agentA })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // nobody is dispatched to an admin or someone who left
    expect(await as.manager.try('tickets.dispatch', { id: t.id, version: t.version, assigneeId: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'assigneeId' } })
    expect(q<string>(`SELECT state FROM tickets WHERE id = ?`, t.id)).toBe('new')
    expect(await admin.try('tickets.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('an inactive category takes no new tickets', async () => {
    const c = await client(as.agentA)
    const cats = (await as.manager.call('tickets.categories', {})).categories
    const other = cats.find((x) => x.code === 'other')!
    await as.manager.call('tickets.saveCategory', { id: other.id, version: other.version, kind: other.kind, nameZh: other.nameZh, nameEn: other.nameEn, hours: other.hours, active: false })
    expect(await as.agentA.try('tickets.create', { clientId: c.id, categoryId: other.id, channel: 'phone', content: '投诉' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'categoryId', reason: 'inactive_category' },
    })
  })
})
