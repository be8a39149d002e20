import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { birthdayStatement } from '../../electron/host/domains/care/care.repository'
import type { ApiClient } from '@shared/contract/client'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// care lists (issue #20): birthdays and holidays of the coming week, by who sees which clients
let host: Host & { cleanup(): Promise<void> }
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let senior: ApiClient
let desk: ApiClient
let admin: ApiClient
let agentAId: number
let seq = 0
// 2026-09-22 10:00 in Shanghai: the coming week holds 中秋 (09-25) and 国庆 (10-01)
const clock = new ManualClock(new Date('2026-09-22T02:00:00Z'))

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = (await staffClient(host, admin, 'manager', 'mgr')).client
  const a = await staffClient(host, admin, 'agent', 'agent-a')
  agentA = a.client
  agentAId = a.staff.id
  agentB = (await staffClient(host, admin, 'agent', 'agent-b')).client
  senior = (await staffClient(host, admin, 'senior_agent', 'senior')).client
  desk = (await staffClient(host, admin, 'front_desk', 'desk')).client
})
afterAll(() => host.cleanup())

async function client(owner: ApiClient, name: string, opts: { birthDate?: string; tier?: 'vip' | 'key' | 'normal' } = {}) {
  seq++
  return owner.call('clients.create', { kind: 'person', name, phones: [{ number: `1390000${String(seq).padStart(4, '0')}` }], sourceChannel: 'walk_in', tier: opts.tier ?? 'normal', birthDate: opts.birthDate ?? null })
}

describe('birth date on the client', () => {
  it('refuses a date that does not exist, is before 1900 or after today, and keeps a good one', async () => {
    for (const [birthDate, reason] of [
      ['1990-02-30', 'not_a_date'],
      ['1899-12-31', 'too_early'],
      ['2026-09-23', 'in_future'],
      ['19900101', 'not_a_date'],
    ] as const) {
      const r = await agentA.try('clients.create', { kind: 'person', name: '错日期', phones: [{ number: '13900009999' }], sourceChannel: 'walk_in', birthDate })
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'birthDate', reason } })
    }
    expect(host.database.sqlite.prepare(`SELECT count(*) FROM clients WHERE name = '错日期'`).pluck().get()).toBe(0)
    const c = await client(agentA, '生日甲', { birthDate: '1985-09-24' })
    expect((await agentA.call('clients.get', { id: c.id })).birthDate).toBe('1985-09-24')
    // a colleague without full access sees no birth date, as no other detail
    expect((await agentB.call('clients.get', { id: c.id })).birthDate).toBeNull()
    const u = await agentA.try('clients.update', { id: c.id, version: c.version, birthDate: '2030-01-01' })
    expect(u).toMatchObject({ ok: false, error: { reason: 'in_future' } })
    // the host still answers after the refusals
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })
})

describe('care lists by role', () => {
  let mine: number
  let theirs: number
  beforeAll(async () => {
    mine = (await client(agentA, '生日今天', { birthDate: '1970-09-22' })).id
    await client(agentA, '生日下周外', { birthDate: '1970-09-30' })
    theirs = (await client(agentB, '别人生日', { birthDate: '1988-09-23' })).id
    await client(agentA, '重点客户', { tier: 'key' })
    await client(agentA, 'VIP客户', { tier: 'vip' })
  })

  it('an agent sees only their own clients’ birthdays, soonest first, with the day it is kept', async () => {
    const r = await agentA.call('care.birthdays', {})
    expect(r.today).toBe('2026-09-22')
    expect(r.rows.map((x) => [x.name, x.date, x.daysAway])).toEqual([
      ['生日今天', '2026-09-22', 0],
      ['生日甲', '2026-09-24', 2],
    ])
    expect(r.total).toBe(2)
    expect(r.rows[0]!.phone).toMatch(/^1390000\d{4}$/)
    const b = await agentB.call('care.birthdays', {})
    expect(b.rows.map((x) => x.name)).toEqual(['别人生日'])
  })

  it('the manager sees the branch’s birthdays with phones masked; paging on the server', async () => {
    const all = await manager.call('care.birthdays', {})
    expect(all.rows.map((x) => x.name)).toEqual(['生日今天', '别人生日', '生日甲'])
    expect(all.rows.every((x) => x.phone?.includes('****'))).toBe(true)
    const page2 = await manager.call('care.birthdays', { offset: 1, limit: 1 })
    expect(page2).toMatchObject({ total: 3, rows: [{ name: '别人生日' }] })
  })

  it('the front desk and the admin get no care lists', async () => {
    for (const c of [desk, admin]) expect(await c.try('care.birthdays', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('lists the holidays of the coming week and the clients to greet, VIP and 重点 first', async () => {
    const h = await agentA.call('care.holidays', {})
    // 国庆 (10-01) is 9 days away: not yet on the list
    expect(h.holidays).toEqual([{ key: 'midAutumn', date: '2026-09-25', daysAway: 3 }])
    const list = await agentA.call('care.holidayClients', { holiday: 'midAutumn', date: '2026-09-25' })
    expect(list.rows.slice(0, 2).map((x) => x.name)).toEqual(['VIP客户', '重点客户'])
    expect(list.rows.map((x) => x.name)).not.toContain('别人生日')
    expect(await agentA.try('care.holidayClients', { holiday: 'midAutumn', date: '2026-09-26' })).toMatchObject({ ok: false, error: { reason: 'not_an_occasion' } })
  })

  it('a greeting marked done is a follow-up on its channel, shown on the list, once', async () => {
    const r = await agentA.call('care.markDone', { clientId: mine, occasion: 'birthday', date: '2026-09-22', channel: 'wechat', content: '生日快乐' })
    const f = host.database.sqlite.prepare('SELECT client_id, staff_id, channel, content FROM follow_ups WHERE id = ?').get(r.followUpId)
    expect(f).toEqual({ client_id: mine, staff_id: agentAId, channel: 'wechat', content: '生日快乐' })
    expect(host.database.sqlite.prepare('SELECT last_follow_up_at FROM clients WHERE id = ?').pluck().get(mine)).toBe(clock.now().toISOString())
    const row = (await agentA.call('care.birthdays', {})).rows.find((x) => x.clientId === mine)
    expect(row?.done).toEqual({ by: '测试agent', at: clock.now().toISOString(), outcome: 'done', channel: 'wechat', note: null })
    expect(await agentA.try('care.markDone', { clientId: mine, occasion: 'birthday', date: '2026-09-22', channel: 'sms', content: '再祝' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'greeting_done' },
    })
    // a holiday greeting on its date counts too
    await agentA.call('care.markDone', { clientId: mine, occasion: 'midAutumn', date: '2026-09-25', channel: 'phone', content: '中秋快乐' })
    const h = await agentA.call('care.holidayClients', { holiday: 'midAutumn', date: '2026-09-25' })
    expect(h.rows.find((x) => x.clientId === mine)?.done?.channel).toBe('phone')
  })

  it('refuses a greeting for another agent’s client, a wrong date, a wrong channel; nothing is written', async () => {
    const before = host.database.sqlite.prepare('SELECT count(*) FROM follow_ups').pluck().get()
    expect(await agentA.try('care.markDone', { clientId: theirs, occasion: 'birthday', date: '2026-09-23', channel: 'wechat', content: '生日快乐' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await agentB.try('care.markDone', { clientId: theirs, occasion: 'birthday', date: '2026-09-24', channel: 'wechat', content: '生日快乐' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', reason: 'not_an_occasion' },
    })
    expect(await agentB.try('care.markDone', { clientId: theirs, occasion: 'nationalDay', date: '2026-10-01', channel: 'wechat', content: '国庆快乐' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', reason: 'not_an_occasion' },
    })
    expect(await agentB.try('care.markDone', { clientId: theirs, occasion: 'birthday', date: '2026-09-23', channel: 'visit' as 'sms', content: '生日快乐' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(host.database.sqlite.prepare('SELECT count(*) FROM follow_ups').pluck().get()).toBe(before)
    // the senior (no team here) sees only their own: the agent's client is not theirs to greet
    expect((await senior.call('care.birthdays', {})).rows).toEqual([])
  })
})

describe('the birthday query at 100,000 clients', () => {
  it('reads the month-day index, never the whole book', async () => {
    host.database.sqlite.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO clients (code, kind, name, source_channel, tier, stage, created_at, updated_at, owner_id, birth_date, birth_md)
      SELECT 'P' || i, 'person', '批量' || i, 'walk_in', 'normal', 'potential', 't', 't', CASE WHEN i % 10 = 0 THEN ${agentAId} END,
        printf('19%02d-%02d-%02d', i % 90 + 10, i % 12 + 1, i % 28 + 1), printf('%02d-%02d', i % 12 + 1, i % 28 + 1) FROM n;
      ANALYZE;
    `)
    const days = ['09-22', '09-23', '09-24', '09-25', '09-26', '09-27', '09-28', '09-29']
    for (const scope of ['all', { ownerIds: [agentAId] }] as const) {
      const q = birthdayStatement(days, scope, 0, 50).compile(host.database.db)
      const plan = (host.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
      expect(plan).toMatch(/SEARCH c USING INDEX clients_birth_md/)
      expect(plan).not.toMatch(/SCAN c\b/)
    }
    const r = await manager.call('care.birthdays', { limit: 10 })
    const expected = host.database.sqlite.prepare(`SELECT count(*) FROM clients WHERE birth_md IN (${days.map(() => '?').join(',')}) AND stage <> 'lost'`).pluck().get(...days)
    expect(r.total).toBe(expected)
    expect(r.total).toBeGreaterThan(1000)
    expect(r.rows).toHaveLength(10)
  })
})
