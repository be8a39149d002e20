import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { carePeriod, dayIndex } from '@shared/domain/care-plans'
import { branchDay } from '@shared/domain/rules'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { zhText } from '../helpers/host-text'
import { unitSheetBase64 } from '../helpers/unit-sheet'
import { carePlanCloseStatement, carePlanInserts } from '../../electron/host/domains/followups/rules/care-plans'
import { getRules } from '../../electron/host/domains/settings/rules.repository'

const HOUR = 3_600_000
const DAY = 24 * HOUR

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let admin: ApiClient
let manager: ApiClient
let agent: ApiClient
let agentId: number

beforeEach(async () => {
  // 09:00 in Shanghai
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  agent = a.client
  agentId = a.staff.id
})
afterEach(() => host.cleanup())

type TaskRow = { staff_id: number; status: string; event_key: string; due_at: string; text_key: string }
const tasks = (rule: string, clientId?: number) =>
  host.database.sqlite
    .prepare(`SELECT staff_id, status, event_key, due_at, text_key FROM tasks WHERE rule = ? ${clientId ? 'AND client_id = ?' : ''} ORDER BY id`)
    .all(...(clientId ? [rule, clientId] : [rule])) as TaskRow[]
const newClient = (name: string, phone: string) => agent.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'phone', region: '浦东' })
/** A fresh session (simulated days outlive the 12-hour sessions). */
const signIn = async (username: string) => {
  const c = host.client()
  await c.call('auth.login', { username, password: 'staff-pass-123' })
  return c
}
const pass = () => host.scheduler.runOnce()

describe('care plans per layer as follow-up tasks (#20 item 4)', () => {
  it('潜在: a weekly market note once per staggered week, on the Today page, done by a contact; idempotent across passes', async () => {
    const c = await newClient('潘悦', '13811112222')
    await agent.call('needs.create', { clientId: c.id, kind: 'residential' })
    clock.advance(6 * DAY)
    await pass()
    expect(tasks('care.market', c.id)).toEqual([])
    clock.advance(DAY)
    await pass()
    await pass()
    const day = dayIndex(branchDay(clock.now()))
    const [t] = tasks('care.market', c.id)
    expect(tasks('care.market', c.id)).toHaveLength(1)
    expect(t).toMatchObject({ staff_id: agentId, status: 'open', event_key: `care.market:${c.id}:${carePeriod(day, c.id, 7)}`, text_key: 'task.care.market' })
    // due at the start of the client's next period (a branch midnight), at most a week away
    expect(t!.due_at.endsWith('T16:00:00.000Z')).toBe(true)
    expect(Date.parse(t!.due_at) - clock.now().getTime()).toBeLessThanOrEqual(7 * DAY)
    // the agent's Today page shows it once due
    clock.advance(Date.parse(t!.due_at) - clock.now().getTime() + HOUR)
    agent = await signIn('agent-a')
    const today = await agent.call('tasks.today', {})
    expect([...today.overdue, ...today.due].map((x) => zhText(x.title))).toContain('潜在客户：推送区域市场周报')
    // sending the note is a contact: the task is done; the next week brings the next one
    await agent.call('followups.create', { clientId: c.id, channel: 'wechat', content: '发送本周区域市场周报' })
    expect(tasks('care.market', c.id).map((x) => x.status)).toEqual(['done'])
    await pass()
    expect(tasks('care.market', c.id).map((x) => x.status)).toEqual(['done'])
    clock.advance(7 * DAY)
    await pass()
    expect(tasks('care.market', c.id).map((x) => x.status)).toEqual(['done', 'open'])
  })

  it('意向: a comparison within 24 h and a plan within 3 days of a viewing; both cancelled when the client moves on to 谈判', async () => {
    const c = await newClient('罗敏', '13811113333')
    await agent.call('followups.create', { clientId: c.id, channel: 'phone', content: '有意向', stageTo: 'intent' })
    const v = await agent.call('viewings.book', { clientId: c.id, address: '江畔花园 3-1201', startsAt: new Date(clock.now().getTime() + HOUR).toISOString() })
    clock.advance(3 * HOUR)
    await agent.call('viewings.record', { id: v.id, version: v.version, status: 'done', feedback: '户型满意' })
    expect(tasks('care.compare', c.id)).toEqual([expect.objectContaining({ status: 'open', event_key: `care.compare:${v.id}`, due_at: new Date(Date.parse(v.endsAt) + DAY).toISOString() })])
    expect(tasks('care.plan', c.id)).toEqual([expect.objectContaining({ status: 'open', event_key: `care.plan:${v.id}`, due_at: new Date(Date.parse(v.endsAt) + 3 * DAY).toISOString() })])
    await pass()
    expect(tasks('care.compare', c.id)).toHaveLength(1)
    await agent.call('followups.create', { clientId: c.id, channel: 'visit', content: '开始议价', stageTo: 'negotiating' })
    expect([...tasks('care.compare', c.id), ...tasks('care.plan', c.id)].map((x) => x.status)).toEqual(['cancelled', 'cancelled'])
    // 谈判: same-layout deal cases every day once a day in the stage
    clock.advance(DAY)
    await pass()
    expect(tasks('care.cases', c.id).map((x) => x.status)).toEqual(['open'])
  })

  it('成交: a gift before 春节 for owners, a decoration follow-up after the 已售 step; the settings turn plans off', async () => {
    const projectId = (await manager.call('projects.create', { name: '滨江壹号' })).id
    await manager.call('units.import', { projectId, fileBase64: await unitSheetBase64([{ building: '1号楼', floor: 3, number: '301', layout: '3室2厅', area: 98.5, orientation: '南北', listPrice: 3_000_000 }]) })
    const owner = await newClient('韩雪', '13811114444')
    const unit = (await agent.call('board.get', { projectId })).units[0]!
    await agent.call('units.reserve', { unitId: unit.id, clientId: owner.id, deposit: 2_000_000, receiptNo: 'R-1', method: 'card' })
    for (const to of ['subscribe', 'sign', 'sold'] as const) await agent.call('units.advance', { unitId: unit.id, to })
    await pass()
    expect(tasks('care.decor', owner.id)).toEqual([expect.objectContaining({ staff_id: agentId, status: 'open', due_at: new Date(clock.now().getTime() + 30 * DAY).toISOString() })])
    await agent.call('followups.create', { clientId: owner.id, channel: 'visit', content: '签约完成', stageTo: 'closed' })
    // 春节 2027 is 6 February: a week ahead, each owner gets one gift task, due that day
    clock.set(new Date('2027-01-30T01:00:00.000Z'))
    agent = await signIn('agent-a')
    await pass()
    await pass()
    expect(tasks('care.gift', owner.id)).toEqual([
      expect.objectContaining({ status: 'open', event_key: `care.gift:${owner.id}:2027-02-06`, due_at: '2027-02-05T16:00:00.000Z', text_key: 'task.care.giftSpringFestival' }),
    ])
    // off: no market notes, however long a potential client waits
    const m = await signIn('mgr')
    expect(await m.try('settings.setRules', { careMarketNoteDays: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'careMarketNoteDays' } })
    await m.call('settings.setRules', { careMarketNoteDays: 0 })
    const quiet = await newClient('郑好', '13811115555')
    clock.advance(10 * DAY)
    await pass()
    expect(tasks('care.market', quiet.id)).toEqual([])
  })

  it('a slice of the book reads its clients by id range, never the whole book (EXPLAIN QUERY PLAN)', async () => {
    // a week before 春节 2027: every plan has its statement, the gifts too
    clock.set(new Date('2027-01-30T01:00:00.000Z'))
    const now = clock.now()
    const rules = await getRules(host.database.db)
    const ctx = { now, at: now.toISOString(), rules, scope: { idRange: { from: 1, to: 101 } }, auditLog: host.auditLog }
    const statements = [...carePlanInserts(ctx), carePlanCloseStatement(ctx)]
    expect(statements).toHaveLength(8)
    for (const q of statements) {
      const c = q.compile(host.database.db)
      const plan = (host.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail)
      // each reads a range: the clients' ids, their tasks (tasks_client), the recent viewings, the clients' sales
      // (SQLite's plan of an INSERT into tasks also lists the foreign-key program of notifications.task_id, as for every rule)
      expect(plan.filter((d) => /^SCAN (?!notifications$)/.test(d)), plan.join(' | ')).toEqual([])
    }
  })
})
