import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'
import { zhText } from '../helpers/host-text'

let host: Host & { cleanup(): Promise<void> }
let clock: ManualClock
let manager: ApiClient
let agent: ApiClient
let desk: ApiClient
let agentId: number

beforeEach(async () => {
  clock = new ManualClock(new Date('2026-11-02T01:00:00.000Z'))
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  agent = a.client
  agentId = a.staff.id
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
})
afterEach(() => host.cleanup())

const q = (sql: string, ...p: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...p)
const member = async (name: string, phone: string, uid: string) => {
  const c = await agent.call('clients.create', { kind: 'person', name, phones: [{ number: phone }], sourceChannel: 'walk_in' })
  const card = await desk.call('cards.issue', { clientId: c.id, read: { uid } })
  return { client: c, card }
}

describe('member cards and the front desk', () => {
  it('a swipe shows who is at the counter, in any reader format, and every swipe is logged', async () => {
    const { client } = await member('张伟', '13812345678', '12345678')
    const viaDriver = await desk.call('cards.identify', { read: { uid: '12345678' } })
    expect(viaDriver).toMatchObject({ status: 'known', card: { name: '张伟', owner: { id: agentId }, phone: '138****5678', club: { level: '普通会员', points: 0 } } })
    // a keyboard reader printing 10 decimal digits, and one that reverses the byte order
    expect(await desk.call('cards.identify', { read: { text: '0305419896', format: 'decimal-10' } })).toMatchObject({ status: 'known', card: { clientId: client.id } })
    expect(await desk.call('cards.identify', { read: { text: '2018915346', format: 'decimal-10-le' } })).toMatchObject({ status: 'known', card: { clientId: client.id } })
    expect(await desk.call('cards.identify', { read: { text: '12AB', format: 'decimal-10' } })).toMatchObject({ status: 'unreadable' })
    expect(await desk.call('cards.identify', { read: { uid: 'DEADBEEF' } })).toEqual({ status: 'unknown', uid: 'DEADBEEF' })
    expect(q('SELECT group_concat(result) FROM (SELECT result FROM swipe_log ORDER BY id)')).toBe('known,known,known,unreadable,unknown')
    // the card number is searchable like a phone
    expect((await desk.call('clients.search', { q: '12345678' })).hits.map((h) => [h.name, h.matchedOn])).toContainEqual(['张伟', 'card'])
  })

  it('a card belongs to one client; a lost card is blocked at once and alerts the desk; replacing keeps history', async () => {
    const { card } = await member('李娜', '13912345678', 'A1B2C3D4')
    const other = await agent.call('clients.create', { kind: 'person', name: '王五', phones: [{ number: '13712345678' }], sourceChannel: 'phone' })
    expect(await desk.try('cards.issue', { clientId: other.id, read: { uid: 'a1b2c3d4' } })).toMatchObject({ ok: false, error: { code: 'DUPLICATE', params: { name: '李娜' } } })
    expect(await desk.try('cards.issue', { clientId: card.clientId, read: { uid: '0A0B0C0D' } })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'has_card' } })
    await desk.call('cards.reportLost', { cardId: card.id, note: '客户来电挂失' })
    const lost = await desk.call('cards.identify', { read: { uid: 'A1B2C3D4' } })
    expect(lost).toMatchObject({ status: 'lost', card: { name: '李娜' } })
    expect(q(`SELECT count(*) FROM audit_log WHERE action = 'cards.blockedSwipe'`)).toBe(1)
    const fresh = await desk.call('cards.replace', { cardId: card.id, read: { uid: '0A0B0C0D' } })
    expect(fresh.status).toBe('active')
    expect((await desk.call('cards.list', { clientId: card.clientId })).cards.map((c) => c.status)).toEqual(['active', 'replaced'])
    expect((await desk.call('cards.identify', { read: { uid: '0A0B0C0D' } })).status).toBe('known')
  })

  it('registering a visit starts visit protection and notifies the owner at once', async () => {
    const { client, card } = await member('赵敏', '13612345678', 'CAFEF00D')
    const notices: string[] = []
    agent.on('notice.new', (n) => notices.push(zhText(n.title)))
    clock.advance(14 * 86_400_000)
    desk = host.client()
    await desk.call('auth.login', { username: 'desk', password: 'staff-pass-123' })
    const r = await desk.call('frontdesk.registerVisit', { clientId: client.id, cardId: card.id })
    expect(r.ownerNotified).toBe(true)
    expect(Date.parse(r.protectedUntil!)).toBe(clock.now().getTime() + 7 * 86_400_000)
    expect(notices).toContain('客户到店')
    expect(q(`SELECT count(*) FROM notifications WHERE kind = 'visit' AND staff_id = ?`, agentId)).toBe(1)
    expect((await desk.call('cards.identify', { read: { uid: 'CAFEF00D' } })).status === 'known').toBe(true)
  })
})

describe('the club', () => {
  it('an append-only ledger: adjustments with a reason, no negative balance, reversals as new entries, level from points', async () => {
    const { client } = await member('孙悟', '13512345678', '11223344')
    expect(await manager.try('club.adjust', { clientId: client.id, delta: -5, reason: '扣分' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'delta', reason: 'points_negative' } })
    expect(await agent.try('club.adjust', { clientId: client.id, delta: 5, reason: '奖励' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const s = await manager.call('club.adjust', { clientId: client.id, delta: 600, reason: '活动补录' })
    expect(s).toMatchObject({ points: 600, level: '银卡会员', nextLevel: '金卡会员', pointsToNext: 1400 })
    const entry = (await manager.call('club.ledger', { clientId: client.id })).rows[0]!
    const back = await manager.call('club.reverse', { entryId: entry.id, reason: '录错' })
    expect(back).toMatchObject({ points: 0, level: '普通会员' })
    expect(await manager.try('club.reverse', { entryId: entry.id, reason: '再来' })).toMatchObject({ ok: false, error: { reason: 'already_reversed' } })
    expect((await manager.call('club.ledger', { clientId: client.id })).rows.map((r) => [r.delta, r.kind, r.reversed])).toEqual([
      [-600, 'reversal', false],
      [600, 'manual', true],
    ])
    expect(() => host.database.sqlite.prepare('UPDATE points_ledger SET delta = 1').run()).toThrow(/append-only/)
  })

  it('refuses a level table with overlapping thresholds', async () => {
    const bad = await manager.try('club.setLevels', { levels: [{ name: '普通', minPoints: 0, discountPermille: 0 }, { name: '银', minPoints: 100, discountPermille: 5 }, { name: '金', minPoints: 100, discountPermille: 10 }] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'level_overlap', field: 'levels.2.minPoints' } })
    expect(await manager.try('club.setLevels', { levels: [{ name: '银', minPoints: 100, discountPermille: 5 }] })).toMatchObject({ ok: false, error: { reason: 'level_start' } })
    expect((await manager.call('club.levels', {})).levels).toHaveLength(4)
  })

  it('activities: sign-up, check-in by swipe awards points once; referrals pay when the referred client signs', async () => {
    const { client } = await member('唐僧', '13412345678', '55667788')
    const act = await manager.call('activities.create', { name: '购房政策沙龙', startsAt: '2026-11-10T06:00:00.000Z', endsAt: '2026-11-10T08:00:00.000Z', capacity: 1, points: 50 })
    await desk.call('activities.signUp', { activityId: act.id, clientId: client.id })
    const friend = await agent.call('clients.create', { kind: 'person', name: '八戒', phones: [{ number: '13312345678' }], sourceChannel: 'referral' })
    expect(await desk.try('activities.signUp', { activityId: act.id, clientId: friend.id })).toMatchObject({ ok: false, error: { code: 'LIMIT_REACHED' } })
    expect(await desk.call('activities.checkIn', { activityId: act.id, read: { uid: '55667788' } })).toMatchObject({ name: '唐僧', pointsAwarded: 50 })
    expect(await desk.call('activities.checkIn', { activityId: act.id, read: { uid: '55667788' } })).toMatchObject({ pointsAwarded: 0 })
    await agent.call('referrals.create', { referrerId: client.id, referredId: friend.id })
    expect(await agent.try('referrals.create', { referrerId: client.id, referredId: friend.id })).toMatchObject({ ok: false, error: { reason: 'already_referred' } })
    await agent.call('followups.create', { clientId: friend.id, channel: 'visit', content: '签约', stageTo: 'closed' })
    expect((await desk.call('club.standing', { clientId: client.id })).points).toBe(550)
    await host.scheduler.runOnce()
    expect((await desk.call('club.standing', { clientId: client.id })).points).toBe(550)
  })

  it('merging two members keeps cards and points on the kept record', async () => {
    const a = await member('合并甲', '13212345678', '99887766')
    const b = await member('合并乙', '13212345679', '99887755')
    await manager.call('club.adjust', { clientId: b.client.id, delta: 300, reason: '老积分' })
    await manager.call('clients.merge', { keepId: a.client.id, mergeId: b.client.id, reason: '同一人' })
    expect((await desk.call('club.standing', { clientId: a.client.id })).points).toBe(300)
    expect((await desk.call('cards.list', { clientId: a.client.id })).cards.map((c) => c.status).sort()).toEqual(['active', 'replaced'])
    expect((await desk.call('cards.identify', { read: { uid: '99887755' } })).status).toBe('replaced')
  })
})
