import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { DAY_MS } from '@shared/domain/rules'
import { campaignCountsQuery } from '../../electron/host/domains/campaigns/campaigns.repository'
import { adminClient, STAFF_PASSWORD, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// marketing campaigns (issue #19 item 3): the manager keeps them, the desk and the agents link
// new clients, visits and follow-ups to an active one, and the figures count what each brought
let host: Host & { cleanup(): Promise<void> }
let admin: ApiClient
const as: Record<'manager' | 'agent' | 'desk', ApiClient> = {} as never
let seq = 0
// 10:00 in Shanghai on 2026-11-02
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))
const TODAY = '2026-11-02'

const count = (sql: string, ...args: unknown[]) => host.database.sqlite.prepare(sql).pluck().get(...args) as number

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  as.manager = (await staffClient(host, admin, 'manager', 'cp-mgr')).client
  as.agent = (await staffClient(host, admin, 'agent', 'cp-agent')).client
  as.desk = (await staffClient(host, admin, 'front_desk', 'cp-desk')).client
})
afterAll(() => host.cleanup())

function campaign(over: Partial<{ name: string; channel: 'douyin' | 'walk_in' | 'community'; startDate: string; endDate: string; costYuan: number }> = {}) {
  seq++
  return as.manager.call('campaigns.save', { name: `抖音团购${seq}`, channel: 'douyin', startDate: TODAY, endDate: '2026-11-30', costYuan: 9000, ...over })
}

function newClient(by: ApiClient, over: { sourceChannel?: 'douyin' | 'walk_in'; campaignId?: number } = {}) {
  seq++
  return by.try('clients.create', { kind: 'person', name: `活动客户${seq}`, phones: [{ number: `1360000${String(seq).padStart(4, '0')}` }], sourceChannel: 'douyin', ...over })
}

describe('who keeps campaigns', () => {
  it('the manager creates, edits and ends them; the agents and the desk only list them; the admin not even that', async () => {
    const c = await campaign()
    expect(c).toMatchObject({ channel: 'douyin', startDate: TODAY, costYuan: 9000, active: true, endedAt: null })
    const input = { name: '偷改', channel: 'douyin', startDate: TODAY, endDate: TODAY, costYuan: 1 } as const
    for (const who of [as.agent, as.desk, admin]) {
      expect(await who.try('campaigns.save', input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await who.try('campaigns.end', { id: c.id, version: c.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await who.try('campaigns.figures', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await admin.try('campaigns.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    for (const who of [as.agent, as.desk]) {
      expect((await who.call('campaigns.list', { activeOnly: true })).campaigns.map((x) => x.id)).toContain(c.id)
    }
    expect(count('SELECT count(*) FROM campaigns WHERE name = ?', '偷改')).toBe(0)

    const edited = await as.manager.call('campaigns.save', { id: c.id, version: c.version, name: '抖音团购（加推）', channel: 'douyin', startDate: TODAY, endDate: '2026-12-15', costYuan: 12000 })
    expect(edited).toMatchObject({ name: '抖音团购（加推）', endDate: '2026-12-15', costYuan: 12000, version: c.version + 1 })
    const stale = await as.manager.try('campaigns.save', { id: c.id, version: c.version, name: '旧版本', channel: 'douyin', startDate: TODAY, endDate: TODAY, costYuan: 0 })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_WRITE', field: 'version' } })
  })

  it('refuses dates that do not hold together, writing nothing', async () => {
    const before = count('SELECT count(*) FROM campaigns')
    expect(await as.manager.try('campaigns.save', { name: '倒挂', channel: 'douyin', startDate: '2026-11-10', endDate: '2026-11-09', costYuan: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'endDate', reason: 'campaign_dates' },
    })
    expect(await as.manager.try('campaigns.save', { name: '不存在', channel: 'douyin', startDate: '2026-02-30', endDate: '2026-03-01', costYuan: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'startDate', reason: 'not_a_date' },
    })
    expect(await as.manager.try('campaigns.save', { name: '太长', channel: 'douyin', startDate: '2026-01-01', endDate: '2027-12-31', costYuan: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'endDate', reason: 'campaign_too_long' },
    })
    expect(await as.manager.try('campaigns.save', { name: '负数', channel: 'douyin', startDate: TODAY, endDate: TODAY, costYuan: -1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'costYuan' } })
    expect(count('SELECT count(*) FROM campaigns')).toBe(before)
    expect((await as.manager.call('campaigns.list', {})).campaigns.length).toBe(before)
  })
})

describe('linking to a campaign', () => {
  it('a new client names the campaign that brought them, on its channel only', async () => {
    const c = await campaign()
    const made = await newClient(as.agent, { campaignId: c.id })
    expect(made.ok).toBe(true)
    if (!made.ok) return
    expect(count('SELECT campaign_id FROM client_campaigns WHERE client_id = ?', made.value.id)).toBe(c.id)
    // its clients came from its channel: the channel no longer changes, the rest still does
    const moved = await as.manager.try('campaigns.save', { id: c.id, version: c.version, name: c.name, channel: 'community', startDate: c.startDate, endDate: c.endDate, costYuan: c.costYuan })
    expect(moved).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'channel', reason: 'campaign_has_clients' } })
    expect(await as.manager.call('campaigns.save', { id: c.id, version: c.version, name: c.name, channel: 'douyin', startDate: c.startDate, endDate: c.endDate, costYuan: 500 })).toMatchObject({ costYuan: 500 })

    const clients = count('SELECT count(*) FROM clients')
    expect(await newClient(as.desk, { sourceChannel: 'walk_in', campaignId: c.id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'campaignId', reason: 'campaign_channel', params: { channel: 'douyin' } },
    })
    expect(await newClient(as.desk, { campaignId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'campaignId' } })
    expect(count('SELECT count(*) FROM clients')).toBe(clients)
    // the host still answers
    expect((await newClient(as.desk)).ok).toBe(true)
  })

  it('takes no link before a campaign starts or after it ended, and an ended campaign is not edited', async () => {
    const later = await campaign({ startDate: '2026-11-20' })
    expect(later.active).toBe(false)
    expect((await as.agent.call('campaigns.list', { activeOnly: true })).campaigns.map((x) => x.id)).not.toContain(later.id)
    expect(await newClient(as.agent, { campaignId: later.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'campaignId', reason: 'campaign_inactive' } })

    const c = await campaign()
    const ended = await as.manager.call('campaigns.end', { id: c.id, version: c.version })
    expect(ended).toMatchObject({ active: false, endedAt: clock.now().toISOString() })
    expect(await newClient(as.agent, { campaignId: c.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'campaign_inactive' } })
    expect(await as.manager.try('campaigns.end', { id: c.id, version: ended.version })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'campaign_ended' } })
    expect(await as.manager.try('campaigns.save', { id: c.id, version: ended.version, name: 'x', channel: 'douyin', startDate: TODAY, endDate: TODAY, costYuan: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'campaign_ended' },
    })
  })
})

describe('what a campaign brought', () => {
  it('an empty campaign counts zero with null costs; then clients, walk-ins, follow-ups and deals count, and cost per client and per deal follow', async () => {
    const c = await campaign({ costYuan: 10000 })
    const row = async () => (await as.manager.call('campaigns.figures', {})).rows.find((r) => r.campaign.id === c.id)!
    expect(await row()).toMatchObject({ clients: 0, visits: 0, followUps: 0, deals: 0, costPerClient: null, costPerDeal: null })

    const a = await newClient(as.agent, { campaignId: c.id })
    const b = await newClient(as.agent, { campaignId: c.id })
    const d = await newClient(as.agent, { campaignId: c.id })
    const other = await newClient(as.agent)
    if (!a.ok || !b.ok || !d.ok || !other.ok) throw new Error('clients not created')
    expect(await row()).toMatchObject({ clients: 3, deals: 0, costPerClient: 3333.33, costPerDeal: null })

    // a walk-in the campaign brought, and one it did not
    await as.desk.call('frontdesk.registerVisit', { clientId: a.value.id, campaignId: c.id })
    await as.desk.call('frontdesk.registerVisit', { clientId: other.value.id })
    // a follow-up from the campaign that signs the client (成交)
    await as.agent.call('followups.create', { clientId: a.value.id, channel: 'visit', content: '活动到访后签约', stageTo: 'closed', campaignId: c.id })
    await as.agent.call('followups.create', { clientId: b.value.id, channel: 'phone', content: '回访' })
    expect(await row()).toMatchObject({ clients: 3, visits: 1, followUps: 1, deals: 1, costPerClient: 3333.33, costPerDeal: 10000 })
    expect(count('SELECT count(*) FROM visits WHERE campaign_id = ?', c.id)).toBe(1)

    // a day past its end the campaign links nothing new, and what it brought stays counted
    clock.advance(40 * DAY_MS)
    // (the sessions lapsed meanwhile: sign in again)
    const agent = host.client()
    await agent.call('auth.login', { username: 'cp-agent', password: STAFF_PASSWORD })
    expect(await agent.try('followups.create', { clientId: b.value.id, channel: 'phone', content: '晚了', campaignId: c.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'campaign_inactive' },
    })
    const manager = host.client()
    await manager.call('auth.login', { username: 'cp-mgr', password: STAFF_PASSWORD })
    expect((await manager.call('campaigns.figures', {})).rows.find((r) => r.campaign.id === c.id)).toMatchObject({ campaign: { active: false }, clients: 3, visits: 1, followUps: 1, deals: 1 })
  })
})

describe('the figures query', () => {
  it('counts each campaign through an index on the campaign, never a scan of clients, visits or follow-ups', () => {
    const q = campaignCountsQuery(host.database.db).compile()
    const plan = (host.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    expect(plan).toMatch(/SEARCH cc USING (COVERING )?INDEX client_campaigns_campaign/)
    expect(plan).toMatch(/SEARCH v USING (COVERING )?INDEX visits_campaign/)
    expect(plan).toMatch(/SEARCH f USING (COVERING )?INDEX follow_ups_campaign/)
    expect(plan).toMatch(/SEARCH k USING INTEGER PRIMARY KEY/)
    expect(plan).not.toMatch(/SCAN (cc|v|f|k)\b/)
  })
})
