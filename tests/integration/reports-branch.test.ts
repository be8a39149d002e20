import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import type { Role } from '@shared/domain/roles'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// The branch reports of issue #19 item 2 through the dispatcher: figures from what agents did
// through the API, and the role boundaries (the management's only, like the other branch reports).
let host: Host & { cleanup(): Promise<void> }
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))
let admin: ApiClient
let manager: ApiClient
let senior: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
const ids: Record<string, number> = {}
const NOVEMBER = { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' }
const METHODS = ['reports.responseTimes', 'reports.conversion', 'reports.traffic', 'reports.board', 'reports.club'] as const

async function person(role: Role, username: string, team: string | null): Promise<ApiClient> {
  const { client, staff } = await staffClient(host, admin, role, username, { team, name: `${username}名` })
  ids[username] = staff.id
  return client
}

const hours = (h: number) => clock.advance(h * 3_600_000)

beforeAll(async () => {
  host = await startTempHost({ clock })
  admin = await adminClient(host)
  manager = await person('manager', 'mgr', null)
  senior = await person('senior_agent', 'senior', '一组')
  agentA = await person('agent', 'agenta', '一组')
  agentB = await person('agent', 'agentb', '二组')
  desk = await person('front_desk', 'desk', null)
  // A's new client answered after 1 h and moved to 意向; B's never answered
  const a1 = await agentA.call('clients.create', { kind: 'person', name: '响应客户甲', phones: [{ number: '13770000001' }], sourceChannel: 'phone', tier: 'normal' })
  await agentB.call('clients.create', { kind: 'person', name: '响应客户乙', phones: [{ number: '13770000002' }], sourceChannel: 'walk_in', tier: 'normal' })
  hours(1)
  await agentA.call('followups.create', { clientId: a1.id, channel: 'phone', content: '首次电话', stageTo: 'intent' })
  hours(1)
}, 60_000)
afterAll(() => host.cleanup())

describe('branch reports (issue #19 item 2)', () => {
  it('response times: per agent and for the branch, from what was done', async () => {
    const r = await manager.call('reports.responseTimes', NOVEMBER)
    expect(r.branch).toMatchObject({ starts: 2, answered: 1, median: 1, p90: 1, buckets: { h1: 1, unanswered: 1 } })
    expect(r.agents.find((a) => a.staffId === ids.agenta)).toMatchObject({ starts: 1, answered: 1, median: 1 })
    expect(r.agents.find((a) => a.staffId === ids.agentb)).toMatchObject({ starts: 1, answered: 0, median: null, p90: null })
  })

  it('conversion by channel: clients created and how far they got', async () => {
    const r = await manager.call('reports.conversion', NOVEMBER)
    expect(r.rows).toEqual(
      expect.arrayContaining([
        { channel: 'phone', campaignId: null, campaignName: null, clients: 1, intent: 1, negotiating: 0, deals: 0 },
        { channel: 'walk_in', campaignId: null, campaignName: null, clients: 1, intent: 0, negotiating: 0, deals: 0 },
      ]),
    )
  })

  it('traffic, board and club answer an empty branch with empty lists, never NaN', async () => {
    expect(await manager.call('reports.traffic', NOVEMBER)).toEqual({ days: [], cells: [] })
    expect(await manager.call('reports.board', NOVEMBER)).toEqual({ units: 0, sold: 0, days: [], instalments: [] })
    const club = await admin.call('reports.club', NOVEMBER)
    expect(club.levels.map((l) => l.members)).toEqual([0, 0, 0, 0])
    expect(club).toMatchObject({ points: [], referrals: [] })
    expect(JSON.stringify(await manager.call('reports.responseTimes', { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' }))).not.toContain('NaN')
  })

  it('are the management’s only, and refuse a period that ends before it starts; the host still answers', async () => {
    for (const m of METHODS) {
      for (const who of [agentA, senior, desk]) expect(await who.try(m, NOVEMBER), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await manager.try(m, { from: NOVEMBER.to, to: NOVEMBER.from }), m).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to', reason: 'period_order' } })
    }
    expect(await manager.try('reports.board', { ...NOVEMBER, projectId: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'projectId' } })
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
