import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { zhText } from '../helpers/host-text'

const HOUR = 3_600_000
const DAY = 24 * HOUR

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
let ids: { manager: number; a: number; b: number }

beforeEach(async () => {
  // 09:00 in Shanghai
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  const m = await staffClient(host, admin, 'manager', 'mgr')
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  const b = await staffClient(host, admin, 'agent', 'agent-b')
  const d = await staffClient(host, admin, 'front_desk', 'desk')
  manager = m.client
  agentA = a.client
  agentB = b.client
  desk = d.client
  ids = { manager: m.staff.id, a: a.staff.id, b: b.staff.id }
})
afterEach(() => host.cleanup())

const q = <T = unknown>(sql: string, ...params: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...params) as T
const tasks = (rule: string, clientId?: number) =>
  host.database.sqlite
    .prepare(`SELECT staff_id, status, event_key FROM tasks WHERE rule = ? ${clientId ? 'AND client_id = ?' : ''} ORDER BY id`)
    .all(...(clientId ? [rule, clientId] : [rule])) as Array<{ staff_id: number; status: string; event_key: string }>
const newClient = (c: ApiClient, name: string, phone: string, extra: Record<string, unknown> = {}) =>
  c.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone', region: '浦东', ...extra })
/** A fresh session (simulated days outlive the 12-hour sessions). */
const signIn = async (username: string) => {
  const c = host.client()
  await c.call('auth.login', { username, password: 'staff-pass-123' })
  return c
}
const hourly = async (days: number) => {
  for (let h = 0; h < days * 24; h++) {
    clock.advance(HOUR)
    await host.scheduler.runOnce()
  }
}

describe('rules create tasks once, and close them when done', () => {
  it('needs within 24 h: a task at once, closed by recording needs', async () => {
    const c = await newClient(agentA, '周杰', '13811112222')
    expect(tasks('needs', c.id)).toEqual([{ staff_id: ids.a, status: 'open', event_key: `needs:${c.id}` }])
    const open = await agentA.call('tasks.list', { status: 'open' })
    expect(open.rows.map((t) => [zhText(t.title), t.overdue])).toEqual([['建档并确认需求', false]])
    clock.advance(25 * HOUR)
    agentA = await signIn('agent-a')
    expect((await agentA.call('tasks.today', {})).overdue.map((t) => zhText(t.title))).toEqual(['建档并确认需求'])
    await agentA.call('needs.create', { clientId: c.id, kind: 'residential', areaMin: 8000 })
    expect(tasks('needs', c.id)[0]!.status).toBe('done')
    expect(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND kind = 'task'`, ids.a)).toBe(1)
  })

  it('a simulated month: one wake-up task, then one return to the pool, never twice', async () => {
    const c = await newClient(agentA, '吴磊', '13811113333')
    await agentA.call('needs.create', { clientId: c.id, kind: 'residential' })
    await hourly(8)
    expect(tasks('wake', c.id)).toHaveLength(1)
    await hourly(23)
    const after = await (await signIn('mgr')).call('clients.get', { id: c.id })
    expect(after.owner).toBeNull()
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'pool.return'`)).toBe(1)
    expect(tasks('wake', c.id)).toEqual([expect.objectContaining({ status: 'cancelled' })])
    expect(q(`SELECT count(*) FROM notifications WHERE staff_id = ? AND title_key = 'notice.pooled'`, ids.a)).toBe(1)
    expect((await (await signIn('agent-b')).call('pool.list', {})).rows.map((r) => r.id)).toContain(c.id)
  })

  it('a host switched off for a week catches up with one task, not seven', async () => {
    const c = await newClient(agentA, '郑爽', '13811114444')
    await agentA.call('needs.create', { clientId: c.id, kind: 'residential' })
    clock.advance(10 * DAY)
    for (let i = 0; i < 5; i++) await host.scheduler.runOnce()
    expect(tasks('wake', c.id)).toHaveLength(1)
  })

  it('negotiation: a task each day without contact, the manager after 15 days', async () => {
    const c = await newClient(agentA, '钱多', '13811115555')
    await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '开始议价', stageTo: 'negotiating', intention: 'hot' })
    await hourly(3)
    // one per branch day without contact: days 2, 3 and 4
    expect(tasks('negotiation', c.id).length).toBe(3)
    agentA = await signIn('agent-a')
    // answering each day's task closes it
    await agentA.call('followups.create', { clientId: c.id, channel: 'wechat', content: '发了同户型成交案例' })
    expect(tasks('negotiation', c.id).every((t) => t.status === 'done')).toBe(true)
    await hourly(14)
    expect(tasks('stuck', c.id)).toEqual([expect.objectContaining({ staff_id: ids.manager, status: 'open' })])
    agentA = await signIn('agent-a')
    await agentA.call('followups.create', { clientId: c.id, channel: 'visit', content: '签约', stageTo: 'closed' })
    expect(tasks('stuck', c.id)[0]!.status).toBe('done')
  })

  it('agreement: a contract task due in 3 days; overdue tasks escalate to the manager once', async () => {
    const c = await newClient(agentA, '孙丽', '13811116666')
    await agentA.call('needs.create', { clientId: c.id, kind: 'residential' })
    await agentA.call('followups.create', { clientId: c.id, channel: 'visit', content: '同意价格', intention: 'agreed', stageTo: 'negotiating' })
    const contract = tasks('contract', c.id)
    expect(contract).toHaveLength(1)
    const due = q<string>(`SELECT due_at FROM tasks WHERE rule = 'contract'`)
    expect(Date.parse(due) - clock.now().getTime()).toBe(3 * DAY)
    clock.advance(4 * DAY + HOUR)
    await host.scheduler.runOnce()
    await host.scheduler.runOnce()
    expect(tasks('escalation').filter((t) => t.event_key.startsWith(`escalation:`))).toHaveLength(
      q<number>(`SELECT count(*) FROM tasks WHERE escalated_at IS NOT NULL`),
    )
    const escalations = host.database.sqlite.prepare(`SELECT text_key AS key, text_params AS params FROM tasks WHERE rule = 'escalation'`).all() as Array<{ key: string; params: string }>
    expect(escalations.map((e) => zhText({ key: e.key, params: JSON.parse(e.params) as Record<string, string> })).filter((s) => s.startsWith('逾期未处理：达成意向后准备签约'))).toHaveLength(1)
  })

  it('next action: a task for the author, closed by the next contact', async () => {
    const c = await newClient(agentA, '冯刚', '13811117777')
    const bad = await agentA.try('followups.create', { clientId: c.id, channel: 'phone', content: '约看房', nextAction: '周六带看' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'nextDueAt' } })
    await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '约看房', nextAction: '周六带看', nextDueAt: new Date(clock.now().getTime() + 2 * DAY).toISOString() })
    expect(tasks('next', c.id)).toHaveLength(1)
    clock.advance(HOUR)
    await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '确认时间' })
    expect(tasks('next', c.id)[0]!.status).toBe('done')
  })

  it('next action: the task stays open after the contact that set it, through the passes, until the next contact', async () => {
    const c = await newClient(agentA, '冯强', '13811117778')
    await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '约看房', nextAction: '周六带看', nextDueAt: new Date(clock.now().getTime() + 2 * DAY).toISOString() })
    expect(tasks('next', c.id).map((t) => t.status)).toEqual(['open'])
    await host.scheduler.runOnce()
    clock.advance(HOUR)
    await host.scheduler.runOnce()
    expect(tasks('next', c.id).map((t) => t.status)).toEqual(['open'])
    expect((await agentA.call('tasks.list', { status: 'open' })).rows.filter((t) => t.rule === 'next')).toHaveLength(1)
    await agentA.call('followups.create', { clientId: c.id, channel: 'wechat', content: '确认时间' })
    expect(tasks('next', c.id).map((t) => t.status)).toEqual(['done'])
  })
})

describe('follow-ups', () => {
  it('questionnaire answers fill the profile; strangers may not follow up', async () => {
    const c = await newClient(agentA, '何静', '13811118888')
    const set = (await agentA.call('questionnaires.list', {})).sets[0]!
    const bad = await agentA.try('followups.create', { clientId: c.id, channel: 'phone', content: '问卷', questionnaire: { setId: set.id, answers: [{ key: 'horizon', value: 'someday' }] } })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'questionnaire.answers.0.value' } })
    await agentA.call('followups.create', {
      clientId: c.id,
      channel: 'phone',
      content: '首次问卷',
      questionnaire: { setId: set.id, answers: [{ key: 'household', value: 3 }, { key: 'horizon', value: 'near' }, { key: 'demand', value: 'improve' }] },
    })
    expect(await agentA.call('clients.get', { id: c.id })).toMatchObject({ householdSize: 3, purchaseHorizon: 'near', demandType: 'improve' })
    expect(await agentB.try('followups.create', { clientId: c.id, channel: 'phone', content: '我也打了' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentB.try('followups.list', { clientId: c.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const log = await manager.call('followups.list', { clientId: c.id })
    expect(log.rows[0]).toMatchObject({ content: '首次问卷', staffName: '测试agent' })
  })
})

describe('viewings', () => {
  it('books, refuses overlaps and the past, records feedback, and the sheet is audited', async () => {
    const c1 = await newClient(agentA, '林峰', '13822221111')
    const c2 = await newClient(agentA, '林夕', '13822222222')
    const at = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString()
    const v = await agentA.call('viewings.book', { clientId: c1.id, address: '世纪公园1号楼1201', startsAt: at(2) })
    expect(v.endsAt).toBe(at(3))
    expect(await agentA.try('viewings.book', { clientId: c2.id, address: '别处', startsAt: at(2.5) })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'agent_busy' } })
    expect(await manager.try('viewings.book', { clientId: c1.id, address: '别处', startsAt: at(2.5), agentId: ids.b })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'client_busy' } })
    expect(await agentA.try('viewings.book', { clientId: c2.id, address: '别处', startsAt: at(-2) })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'startsAt', reason: 'in_past' } })
    expect(await agentA.try('viewings.book', { clientId: c2.id, startsAt: at(5) })).toMatchObject({ ok: false, error: { field: 'address' } })
    expect((await agentA.call('viewings.book', { clientId: c2.id, address: '别处', startsAt: at(3) })).id).toBeGreaterThan(v.id)
    expect(await agentA.try('viewings.record', { id: v.id, version: v.version, status: 'done', feedback: '价格偏高' })).toMatchObject({ ok: false, error: { reason: 'not_started' } })
    clock.advance(3 * HOUR)
    const done = await agentA.call('viewings.record', { id: v.id, version: v.version, status: 'done', feedback: '价格偏高' })
    expect(done.status).toBe('done')
    expect(tasks('viewing', c1.id)).toHaveLength(1)
    const sheet = await desk.call('viewings.sheet', { id: v.id })
    expect(sheet).toMatchObject({ clientPhoneMasked: '138****1111', viewing: { clientName: '林峰', agentName: '测试agent' } })
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'viewings.sheet'`)).toBe(1)
    const cal = await agentA.call('viewings.calendar', { from: at(-10), to: at(10) })
    expect(cal.viewings).toHaveLength(2)
    expect(await agentB.try('viewings.calendar', { agentId: ids.a, from: at(-10), to: at(10) })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('pool, assignment, departure, lost', () => {
  it('claims are capped per day, carry a 7-day obligation, and return if it is missed', async () => {
    await manager.call('settings.setRules', { dailyClaimCap: 2 })
    const pooled = []
    for (let i = 0; i < 3; i++) pooled.push(await desk.call('clients.create', { kind: 'person', name: `公客${i}`, phones: [{ number: `1390000000${i}` }], sourceChannel: 'walk_in' }))
    expect(pooled.every((c) => c.owner === null)).toBe(true)
    await agentB.call('pool.claim', { clientId: pooled[0]!.id })
    await agentB.call('pool.claim', { clientId: pooled[1]!.id })
    expect(await agentB.try('pool.claim', { clientId: pooled[2]!.id })).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED', params: { cap: 2 } } })
    expect(await agentA.try('pool.claim', { clientId: pooled[0]!.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'not_in_pool' } })
    expect((await agentB.call('tasks.today', {})).claimed).toHaveLength(2)
    clock.advance(2 * DAY)
    await (await signIn('agent-b')).call('followups.create', { clientId: pooled[0]!.id, channel: 'phone', content: '认领后首次联系' })
    clock.advance(6 * DAY)
    await host.scheduler.runOnce()
    const mgr = await signIn('mgr')
    expect((await mgr.call('clients.get', { id: pooled[0]!.id })).owner?.id).toBe(ids.b)
    expect((await mgr.call('clients.get', { id: pooled[1]!.id })).owner).toBeNull()
  })

  it('new enquiries go round-robin to on-duty agents matching the region', async () => {
    const day = '2026-11-02'
    expect(await manager.try('duty.set', { day, entries: [{ staffId: ids.manager }] })).toMatchObject({ ok: false, error: { field: 'entries.0.staffId' } })
    await manager.call('duty.set', { day, entries: [{ staffId: ids.a, region: '浦东' }, { staffId: ids.b, region: null }] })
    const owners = []
    for (let i = 0; i < 4; i++) owners.push((await desk.call('clients.create', { kind: 'person', name: `来电${i}`, phones: [{ number: `1370000000${i}` }], sourceChannel: 'phone', region: '浦东' })).owner?.id)
    expect(owners).toEqual([ids.a, ids.b, ids.a, ids.b])
    const xuhui = await desk.call('clients.create', { kind: 'person', name: '徐汇客', phones: [{ number: '13700000009' }], sourceChannel: 'phone', region: '徐汇' })
    expect(xuhui.owner?.id).toBe(ids.b)
    expect(q(`SELECT count(*) FROM notifications WHERE kind = 'assignment'`)).toBe(5)
  })

  it('an enquiry the desk registers is its agent\'s to take up within the hour: due then, closed by the first contact, escalated when missed', async () => {
    await manager.call('duty.set', { day: '2026-11-02', entries: [{ staffId: ids.a }] })
    const walkIn = await desk.call('clients.create', { kind: 'person', name: '到店客', phones: [{ number: '13600002001' }], sourceChannel: 'walk_in' })
    expect(walkIn.owner?.id).toBe(ids.a)
    const entry = () =>
      host.database.sqlite.prepare(`SELECT staff_id, status, due_at FROM tasks WHERE rule = 'entry' ORDER BY id`).all() as Array<{ staff_id: number; status: string; due_at: string }>
    expect(entry()).toEqual([{ staff_id: ids.a, status: 'open', due_at: new Date(clock.now().getTime() + HOUR).toISOString() }])
    // the agent's own records and the desk's notes are not enquiries to take up
    await newClient(agentA, '自己的客户', '13600002002')
    expect(entry()).toHaveLength(1)
    // the first contact closes it
    await agentA.call('followups.create', { clientId: walkIn.id, channel: 'phone', content: '已电话联系' })
    expect(entry()[0]!.status).toBe('done')

    // the setting is read: two hours now, and a missed one goes to the manager
    await manager.call('settings.setRules', { enquiryEntryHours: 2 })
    const call = await desk.call('clients.create', { kind: 'person', name: '来电客', phones: [{ number: '13600002003' }], sourceChannel: 'phone' })
    expect(entry()[1]).toEqual({ staff_id: ids.a, status: 'open', due_at: new Date(clock.now().getTime() + 2 * HOUR).toISOString() })
    const rules = await manager.call('settings.getRules', {})
    clock.advance((2 + rules.overdueEscalateHours) * HOUR)
    await host.scheduler.runOnce()
    expect(q(`SELECT count(*) FROM tasks WHERE rule = 'escalation' AND staff_id = ? AND client_id = ?`, ids.manager, call.id)).toBe(1)
  })

  it('round-robin matches the client type; an agent far above the lightest colleague, or at the cap, waits a turn', async () => {
    const day = '2026-11-02'
    // A takes only companies, B anyone: a person goes to B whoever's turn it is
    await manager.call('duty.set', { day, entries: [{ staffId: ids.a, clientKind: 'org' }, { staffId: ids.b }] })
    const walkIn = async (i: number, kind: 'person' | 'org') => {
      clock.advance(60_000)
      const c = await desk.call(
        'clients.create',
        kind === 'org'
          ? { kind, name: `来访公司${i}有限公司`, phones: [{ number: `021-6234${String(5600 + i)}` }], sourceChannel: 'walk_in' }
          : { kind, name: `来访${i}`, phones: [{ number: `1360000${String(1000 + i)}` }], sourceChannel: 'walk_in' },
      )
      return c.owner?.id ?? null
    }
    // never assigned: both; then the lighter book, then the lower id: A
    expect(await walkIn(1, 'org')).toBe(ids.a)
    expect(await walkIn(2, 'person')).toBe(ids.b)
    // the least recently assigned next
    expect(await walkIn(3, 'org')).toBe(ids.a)
    expect(await walkIn(4, 'org')).toBe(ids.b)
    // A records 10 clients of their own: 12 against B's 2, ten above the lightest: A waits though it is A's turn
    for (let i = 0; i < 10; i++) await newClient(agentA, `自有${i}`, `1350000${String(2000 + i)}`)
    expect(await walkIn(5, 'org')).toBe(ids.b)
    // 12 against 3 is within ten: A's turn again
    expect(await walkIn(6, 'org')).toBe(ids.a)
    // the owner cap: both at or above it are skipped, and the enquiry stays in the pool
    await manager.call('settings.setRules', { ownerCap: 3 })
    expect(await walkIn(7, 'org')).toBeNull()
    expect(await walkIn(8, 'person')).toBeNull()
    expect(q(`SELECT count(*) FROM assignments WHERE reason LIKE '%assign.rota%'`)).toBe(6)
  })

  it('departure moves clients to colleagues or the pool and ends sessions in one step', async () => {
    const c1 = await newClient(agentA, '离职客一', '13500000001')
    const c2 = await newClient(agentA, '离职客二', '13500000002')
    expect(await manager.try('staff.depart', { id: ids.a, toStaffIds: [ids.a] })).toMatchObject({ ok: false, error: { field: 'toStaffIds.0' } })
    await admin.call('staff.deactivate', { id: ids.b })
    expect(await manager.try('staff.depart', { id: ids.a, toStaffIds: [ids.b] })).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'agent_inactive' } })
    await admin.call('staff.reactivate', { id: ids.b })
    const r = await manager.call('staff.depart', { id: ids.a, toStaffIds: [ids.b] })
    // two clients move within the call; its job is done when it answers
    expect(r).toEqual({ jobId: expect.any(Number) as number, finished: true, moved: 2, pooled: 0, sessionsEnded: 1 })
    expect(await manager.call('jobs.get', { id: r.jobId })).toMatchObject({ kind: 'staff.depart', status: 'done', done: 2, total: 2, result: { moved: 2, pooled: 0 } })
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: false, error: { code: 'ACCOUNT_DISABLED' } })
    for (const c of [c1, c2]) expect((await manager.call('clients.get', { id: c.id })).owner?.id).toBe(ids.b)
    expect(tasks('needs').every((t) => t.staff_id === ids.b)).toBe(true)
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'staff.depart'`)).toBe(1)
  })

  it('lost needs a listed reason, feeds the report, and a revive restores the stage', async () => {
    const c = await newClient(agentA, '流失客', '13500000003')
    await agentA.call('followups.create', { clientId: c.id, channel: 'phone', content: '谈价', stageTo: 'negotiating' })
    expect(await agentA.try('clients.markLost', { id: c.id, reason: '不想买了吧' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } })
    await agentA.call('clients.markLost', { id: c.id, reason: '预算不足', note: '首付不够' })
    expect(await agentA.try('followups.create', { clientId: c.id, channel: 'phone', content: '?' })).toMatchObject({ ok: false, error: { reason: 'client_lost' } })
    expect(tasks('needs', c.id)[0]!.status).toBe('cancelled')
    const report = await manager.call('reports.lostReasons', { from: new Date(clock.now().getTime() - DAY).toISOString(), to: new Date(clock.now().getTime() + DAY).toISOString() })
    expect(report.reasons).toEqual([{ reason: '预算不足', count: 1 }])
    const back = await agentA.call('clients.revive', { id: c.id })
    expect(back.stage).toBe('negotiating')
    expect((await agentA.call('followups.list', { clientId: c.id })).total).toBe(2)
  })

  it('the owner cap blocks new private clients until some are handed over', async () => {
    await manager.call('settings.setRules', { ownerCap: 2 })
    await newClient(agentA, '上限一', '13600000011')
    const second = await newClient(agentA, '上限二', '13600000012')
    expect(await agentA.try('clients.create', { kind: 'person', name: '上限三', phones: [{ number: '13600000013' }], sourceChannel: 'phone' })).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } })
    await agentA.call('pool.release', { clientId: second.id, reason: '交给同事' })
    expect((await newClient(agentA, '上限三', '13600000013')).owner?.id).toBe(ids.a)
    expect(await manager.try('settings.setRules', { ownerCap: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'ownerCap' } })
  })
})

describe('viewings of a client', () => {
  it('lists a client’s viewings with any agent, for those who may see the client', async () => {
    const c = await newClient(agentA, '看房客', '13822223333')
    await manager.call('viewings.book', { clientId: c.id, address: '某小区', startsAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString(), agentId: ids.b })
    expect((await agentA.call('viewings.list', { clientId: c.id })).viewings.map((v) => v.agentId)).toEqual([ids.b])
    expect((await desk.call('viewings.list', { clientId: c.id })).viewings).toHaveLength(1)
    expect(await agentB.try('viewings.list', { clientId: c.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})
