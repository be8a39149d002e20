import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import type { ApiClient } from '@shared/contract/client'
import { KPI_IDS } from '@shared/domain/kpi'
import type { Role } from '@shared/domain/roles'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// KPIs through the dispatcher (issue #19): figures from what agents did through the API, and the
// role boundaries: an agent sees only their own, a senior agent their team, the management all.
let host: Host & { cleanup(): Promise<void> }
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))
let manager: ApiClient
let senior: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let desk: ApiClient
const ids: Record<string, number> = {}
let seq = 0
const NOVEMBER = { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' }

async function person(admin: ApiClient, role: Role, username: string, team: string | null): Promise<ApiClient> {
  const { client, staff } = await staffClient(host, admin, role, username, { team, name: `${username}名` })
  ids[username] = staff.id
  return client
}

async function newClient(owner: ApiClient) {
  seq++
  return owner.call('clients.create', { kind: 'person', name: `指标客户${seq}`, phones: [{ number: `1377000${String(seq).padStart(4, '0')}` }], sourceChannel: 'phone', tier: 'normal' })
}

const hours = (h: number) => clock.advance(h * 3_600_000)

beforeAll(async () => {
  host = await startTempHost({ clock })
  const admin = await adminClient(host)
  manager = await person(admin, 'manager', 'mgr', null)
  senior = await person(admin, 'senior_agent', 'senior', '一组')
  agentA = await person(admin, 'agent', 'agenta', '一组')
  agentB = await person(admin, 'agent', 'agentb', '二组')
  desk = await person(admin, 'front_desk', 'desk', null)
  // A: two new clients, one answered after 1 h and moved to 意向; B: one new client, never contacted
  const a1 = await newClient(agentA)
  await newClient(agentA)
  hours(1)
  await agentA.call('followups.create', { clientId: a1.id, channel: 'phone', content: '首次电话', stageTo: 'intent' })
  await newClient(agentB)
  hours(2)
}, 60_000)
afterAll(() => host.cleanup())

describe('reports.kpis', () => {
  it('the manager sees the branch, every team and every agent, computed from what was done', async () => {
    const r = await manager.call('reports.kpis', NOVEMBER)
    expect(r.branch?.potentialToIntent).toMatchObject({ num: 1, den: 3 })
    expect(r.branch?.responseHours).toEqual({ num: 1, den: 1, value: 1 })
    expect(r.teams.map((t) => t.team)).toEqual(['一组', '二组'])
    const a = r.agents.find((x) => x.staffId === ids.agenta)!
    expect(a.figures.potentialToIntent).toEqual({ num: 1, den: 2, value: 50 })
    expect(a.figures.poolClaim.value).toBeNull()
    expect(r.agents.map((x) => x.staffId)).toEqual(expect.arrayContaining([ids.agenta, ids.agentb, ids.senior]))
    for (const row of [r.branch!, ...r.agents.map((x) => x.figures)]) for (const id of KPI_IDS) expect(Number.isNaN(row[id].value)).toBe(false)
  })

  it('a senior agent sees their team only, an agent only themselves, never the branch', async () => {
    const s = await senior.call('reports.kpis', NOVEMBER)
    expect(s.branch).toBeNull()
    expect(s.teams.map((t) => t.team)).toEqual(['一组'])
    expect(s.agents.map((x) => x.staffId).sort()).toEqual([ids.senior, ids.agenta].sort())
    const a = await agentA.call('reports.kpis', NOVEMBER)
    expect(a).toMatchObject({ branch: null, teams: [] })
    expect(a.agents.map((x) => x.staffId)).toEqual([ids.agenta])
    expect(JSON.stringify(a)).not.toContain('agentb名')
    expect(await desk.try('reports.kpis', NOVEMBER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('an empty period and a period that ends before it starts', async () => {
    const r = await manager.call('reports.kpis', { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' })
    for (const id of KPI_IDS) expect(r.branch?.[id]).toEqual({ num: 0, den: 0, value: null })
    const bad = await manager.try('reports.kpis', { from: NOVEMBER.to, to: NOVEMBER.from })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'to', reason: 'period_order' } })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})

describe('reports.kpiTrend', () => {
  const periods = [{ from: '2026-09-30T16:00:00.000Z', to: NOVEMBER.from }, NOVEMBER]

  it('gives one point per period for a subject the caller may see', async () => {
    const r = await manager.call('reports.kpiTrend', { periods, subject: { kind: 'branch' } })
    expect(r.points.map((p) => p.figures.completeness.den)).toEqual([0, 3])
    const own = await agentA.call('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: ids.agenta! } })
    expect(own.points[1]?.figures.potentialToIntent.value).toBe(50)
    const team = await senior.call('reports.kpiTrend', { periods, subject: { kind: 'team', team: '一组' } })
    expect(team.points[1]?.figures.completeness.den).toBe(2)
    expect((await senior.call('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: ids.agenta! } })).points).toHaveLength(2)
  })

  it('refuses an agent another agent’s, a team’s or the branch’s figures, and a senior another team’s, alike for unknown staff', async () => {
    const refused = { ok: false, error: { code: 'FORBIDDEN', field: 'subject', reason: 'kpi_subject' } }
    expect(await agentA.try('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: ids.agentb! } })).toMatchObject(refused)
    expect(await agentA.try('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: 99_999 } })).toMatchObject(refused)
    expect(await agentA.try('reports.kpiTrend', { periods, subject: { kind: 'branch' } })).toMatchObject(refused)
    expect(await agentA.try('reports.kpiTrend', { periods, subject: { kind: 'team', team: '一组' } })).toMatchObject(refused)
    expect(await senior.try('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: ids.agentb! } })).toMatchObject(refused)
    expect(await senior.try('reports.kpiTrend', { periods, subject: { kind: 'team', team: '二组' } })).toMatchObject(refused)
    expect(await senior.try('reports.kpiTrend', { periods, subject: { kind: 'branch' } })).toMatchObject(refused)
    expect(await manager.try('reports.kpiTrend', { periods, subject: { kind: 'agent', staffId: 99_999 } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })
})

describe('KPI targets', () => {
  it('start at the seed’s, are changed by the manager only, and are checked', async () => {
    expect(await agentA.call('reports.kpiTargets', {})).toMatchObject({ completeness: 90, responseHours: 2, poolClaim: 80 })
    expect(await agentA.try('reports.setKpiTargets', { poolClaim: 70 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('reports.setKpiTargets', { poolClaim: 120 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'poolClaim' } })
    expect(await manager.call('reports.setKpiTargets', { poolClaim: 70, responseHours: 1.5 })).toMatchObject({ poolClaim: 70, responseHours: 1.5, completeness: 90 })
    expect(await senior.call('reports.kpiTargets', {})).toMatchObject({ poolClaim: 70, responseHours: 1.5 })
  })
})

describe('the branch reports (issue #19 item 3)', () => {
  it('funnel, contacts vs deals, SLA and pool for the management only', async () => {
    const f = await manager.call('reports.funnel', NOVEMBER)
    expect(f.stages).toEqual([
      { stage: 'potential', clients: 3 },
      { stage: 'intent', clients: 1 },
      { stage: 'negotiating', clients: 0 },
      { stage: 'closed', clients: 0 },
      { stage: 'repeat', clients: 0 },
    ])
    const fd = await manager.call('reports.followUpsVsDeals', NOVEMBER)
    expect(fd.agents.find((a) => a.staffId === ids.agenta)).toMatchObject({ followUps: 1, deals: 0 })
    // a next action due in an hour, not done: overdue once its time has passed
    const c = await newClient(agentB)
    await agentB.call('followups.create', { clientId: c.id, channel: 'phone', content: '约看房', nextAction: '回电', nextDueAt: new Date(clock.now().getTime() + 3_600_000).toISOString() })
    hours(2)
    const sla = await manager.call('reports.sla', NOVEMBER)
    expect(sla.agents.find((a) => a.staffId === ids.agentb)).toMatchObject({ onTime: 0, late: 0, overdue: 1 })
    expect(await manager.call('reports.pool', NOVEMBER)).toEqual({ days: [] })
    for (const m of ['reports.funnel', 'reports.followUpsVsDeals', 'reports.sla', 'reports.pool'] as const) {
      expect(await agentA.try(m, NOVEMBER), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(await manager.try(m, { from: NOVEMBER.to, to: NOVEMBER.from }), m).toMatchObject({ ok: false, error: { code: 'VALIDATION', reason: 'period_order' } })
    }
  })
})

describe('data-use review (issue #19, seed 000)', () => {
  it('counts each staff member’s reveals and logged reads of the period, for the admin only', async () => {
    const admin = await adminClient(host)
    const c = await newClient(agentA)
    await manager.call('clients.revealPhones', { id: c.id, reason: '核对客户来电' })
    await manager.call('clients.revealPhones', { id: c.id, reason: '再次核对' })
    await admin.call('clients.get', { id: c.id })
    const r = await admin.call('reports.dataUse', NOVEMBER)
    expect(r.staff.find((s) => s.staffId === ids.mgr)).toMatchObject({ reveals: 2, reads: 0, exports: 0 })
    expect(r.staff.find((s) => s.name === '管理员' || s.role === 'admin')).toMatchObject({ reads: 1 })
    expect(r.staff.find((s) => s.staffId === ids.agentb)).toBeUndefined()
    expect(await manager.try('reports.dataUse', NOVEMBER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect((await admin.call('reports.dataUse', { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' })).staff).toEqual([])
  })
})
