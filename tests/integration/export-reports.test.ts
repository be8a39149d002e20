import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InputOf } from '@shared/contract'
import type { ApiClient } from '@shared/contract/client'
import { ReportTableName } from '@shared/contract/export'
import { districtTable } from '@shared/domain/district-map'
import type { Role } from '@shared/domain/roles'
import { ManualClock } from '../../electron/host/clock'
import type { Host } from '../../electron/host/host'
import { exportedRows } from '../helpers/export-rows'
import { adminClient, staffClient } from '../helpers/staff'
import { startTempHost } from '../helpers/temp-host'

// Issue #19 item 5 for every 报表 tab: each report table exports through the `report` grid as its
// tab computes it (the real xlsx read back), by whoever may call that report, scoped as they see it.
let host: Host & { cleanup(): Promise<void> }
const clock = new ManualClock(new Date('2026-11-02T02:00:00Z'))
let admin: ApiClient
let manager: ApiClient
let agentA: ApiClient
let agentB: ApiClient
let senior: ApiClient
const NOVEMBER = { from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' }

/** A client signed in as a new staff member named `<username>名` (the sheets show that name). */
const person = async (role: Role, username: string, team: string | null) => (await staffClient(host, admin, role, username, { team, name: `${username}名` })).client

/** The rows of an export's sheet: the watermark, the headers, the rows. */
const lines = (who: ApiClient, input: InputOf<'export.start'>) => exportedRows(host, who, input)

const table = (who: ApiClient, report: ReportTableName, lang: 'zh' | 'en' = 'zh') => lines(who, { grid: 'report', query: { report, ...NOVEMBER }, lang })

beforeAll(async () => {
  host = await startTempHost({ clock, withServer: true })
  admin = await adminClient(host)
  manager = await person('manager', 'rx-mgr', null)
  senior = await person('senior_agent', 'rx-senior', '一组')
  agentA = await person('agent', 'rx-a', '一组')
  agentB = await person('agent', 'rx-b', '二组')
  // A: a client answered after an hour and moved to 意向, another lost for 预算不足; B: one never answered
  const a1 = await agentA.call('clients.create', { kind: 'person', name: '报表客户甲', phones: [{ number: '13770001001' }], sourceChannel: 'phone', tier: 'normal', region: '浦东新区', wealthTier: 'high' })
  const a2 = await agentA.call('clients.create', { kind: 'person', name: '报表客户乙', phones: [{ number: '13770001002' }], sourceChannel: 'walk_in', tier: 'normal' })
  await agentB.call('clients.create', { kind: 'person', name: '报表客户丙', phones: [{ number: '13770001003' }], sourceChannel: 'phone', tier: 'normal', region: '滨江' })
  clock.advance(3_600_000)
  await agentA.call('followups.create', { clientId: a1.id, channel: 'phone', content: '首次电话', stageTo: 'intent' })
  await agentA.call('followups.create', { clientId: a2.id, channel: 'phone', content: '谈预算' })
  await agentA.call('clients.markLost', { id: a2.id, reason: '预算不足' })
  await manager.call('clients.revealPhones', { id: a1.id, reason: '核对号码' })
  clock.advance(3_600_000)
}, 60_000)
afterAll(() => host.cleanup())

describe('report export of every 报表 tab', () => {
  it('every report table exports for the role that sees its tab: a watermark, its headers and as many rows as the tab', async () => {
    const rowsOnScreen: Record<ReportTableName, () => Promise<number>> = {
      kpiTeams: async () => {
        const k = await manager.call('reports.kpis', NOVEMBER)
        return (k.branch ? 1 : 0) + k.teams.length
      },
      kpiAgents: async () => (await manager.call('reports.kpis', NOVEMBER)).agents.length,
      funnel: async () => (await manager.call('reports.funnel', NOVEMBER)).stages.length,
      followUps: async () => (await manager.call('reports.followUpsVsDeals', NOVEMBER)).agents.length,
      sla: async () => (await manager.call('reports.sla', NOVEMBER)).agents.length,
      pool: async () => (await manager.call('reports.pool', NOVEMBER)).days.length,
      lostReasons: async () => (await manager.call('reports.lostReasons', NOVEMBER)).reasons.length,
      dataUse: async () => (await admin.call('reports.dataUse', NOVEMBER)).staff.length,
      responseTimes: async () => (await manager.call('reports.responseTimes', NOVEMBER)).agents.length,
      conversion: async () => (await manager.call('reports.conversion', NOVEMBER)).rows.length,
      traffic: async () => (await manager.call('reports.traffic', NOVEMBER)).cells.length,
      boardDays: async () => (await manager.call('reports.board', NOVEMBER)).days.length,
      instalments: async () => (await manager.call('reports.board', NOVEMBER)).instalments.length,
      clubLevels: async () => (await manager.call('reports.club', NOVEMBER)).levels.length,
      clubPoints: async () => (await manager.call('reports.club', NOVEMBER)).points.length,
      referrals: async () => (await manager.call('reports.club', NOVEMBER)).referrals.length,
      districts: async () => districtTable(await manager.call('reports.districts', NOVEMBER)).length,
    }
    for (const report of ReportTableName.options) {
      const who = report === 'dataUse' ? admin : manager
      // counted first: the data-use review counts the export itself once it is audited
      const onScreen = await rowsOnScreen[report]()
      const sheet = await table(who, report)
      expect(sheet[0]![0], report).toContain('导出人')
      expect(sheet[1]!.length, report).toBeGreaterThan(1)
      expect(sheet.length - 2, report).toBe(onScreen)
    }
  })

  it('the KPI tables: the branch and teams, the agents, values as on screen and 暂无数据 for none', async () => {
    const teams = await table(manager, 'kpiTeams')
    expect(teams[1]).toEqual(['小组', '客户信息完整率（%）', '维护响应时间（小时）', '公客池认领率（%）', '潜在转意向率（%）', '意向转成交率（%）', '复购/转介率（%）'])
    expect(teams.slice(2).map((l) => l[0])).toEqual(['全店', '一组', '二组'])
    const k = await manager.call('reports.kpis', NOVEMBER)
    expect(teams[2]![2]).toBe(String(k.branch!.responseHours.value))
    // the pool claim rate is the branch's only; no pool entries: no data
    expect(teams[2]![3]).toBe('暂无数据')
    expect(teams[3]![3]).toBe('—')
    const agents = await table(manager, 'kpiAgents')
    const a = agents.find((l) => l[0] === 'rx-a名')!
    expect(a[1]).toBe('一组')
    expect(a[5]).toBe('50')
    const en = await table(manager, 'kpiTeams', 'en')
    expect(en[2]![0]).toBe('Branch')
    expect(en[2]![3]).toBe('No data')
  })

  it('an agent exports their own KPIs only, a senior agent their team; neither the branch reports', async () => {
    const mine = await table(agentA, 'kpiAgents')
    expect(mine.slice(2).map((l) => l[0])).toEqual(['rx-a名'])
    expect(mine.map((l) => l.join('|')).join('\n')).not.toContain('rx-b名')
    expect((await table(agentA, 'kpiTeams')).slice(2)).toEqual([])
    const team = await table(senior, 'kpiAgents')
    expect(team.slice(2).map((l) => l[0]).sort()).toEqual(['rx-a名', 'rx-senior名'])
    expect((await table(senior, 'kpiTeams')).slice(2).map((l) => l[0])).toEqual(['一组'])
    for (const report of ['funnel', 'followUps', 'sla', 'pool', 'lostReasons', 'dataUse'] as const) {
      expect(await agentA.try('export.start', { grid: 'report', query: { report, ...NOVEMBER } }), report).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(await manager.try('export.start', { grid: 'report', query: { report: 'dataUse', ...NOVEMBER } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentA.try('system.ping', {})).toMatchObject({ ok: true })
  })

  it('funnel, follow-ups, SLA, lost reasons and data use hold the tab’s figures', async () => {
    const funnel = await table(manager, 'funnel')
    expect(funnel[1]).toEqual(['阶段', '客户数'])
    const f = await manager.call('reports.funnel', NOVEMBER)
    expect(funnel.slice(2)).toEqual(f.stages.map((s, i) => [['潜在', '意向', '谈判', '成交', '复购/转介'][i], String(s.clients)]))
    expect(funnel[3]).toEqual(['意向', '1'])
    const follow = await table(manager, 'followUps')
    expect(follow.find((l) => l[0] === 'rx-a名')!.slice(1, 4)).toEqual(['一组', '2', '0'])
    const sla = await table(manager, 'sla')
    expect(sla[1]).toEqual(['经纪人', '小组', '按时完成', '逾期完成', '逾期未完成', '已升级'])
    const s = await manager.call('reports.sla', NOVEMBER)
    expect(sla.slice(2).map((l) => [l[0], l[2], l[4]])).toEqual(s.agents.map((a) => [a.name, String(a.onTime), String(a.overdue)]))
    expect((await table(manager, 'lostReasons')).slice(2)).toEqual([['预算不足', '1']])
    expect((await table(manager, 'lostReasons', 'en')).slice(2)).toEqual([['Budget too low', '1']])
    const use = await table(admin, 'dataUse')
    expect(use.find((l) => l[0] === 'rx-mgr名')!.slice(1, 3)).toEqual(['店长', '1'])
  })

  it('客户地图: the clients per district on the city’s squares, another city’s district below, the blank ones apart; the export is the table', async () => {
    const map = await manager.call('reports.districts', NOVEMBER)
    expect(map.districts.find((t) => t.name === '浦东')).toMatchObject({ inCity: true, clients: 1, newClients: 1, highWealth: 1, deals: 0 })
    expect(map.districts.find((t) => t.name === '滨江')).toMatchObject({ inCity: false, clients: 1 })
    expect(map.unplaced).toMatchObject({ clients: 1 })
    const sheet = await table(manager, 'districts')
    expect(sheet[1]).toEqual(['区域', '客户数（期末）', '本期新增', '本期成交', '高购买力客户'])
    expect(sheet.slice(2)).toEqual([
      ['浦东', '1', '1', '0', '1'],
      ['滨江', '1', '1', '0', '0'],
      ['未填区域', '1', '1', '0', '0'],
    ])
    const before = await manager.call('reports.districts', { from: '2026-09-30T16:00:00.000Z', to: NOVEMBER.from })
    expect(before.districts.every((t) => t.clients === 0) && before.unplaced.clients === 0).toBe(true)
    expect(await agentA.try('reports.districts', NOVEMBER)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('a period that ends before it starts is refused naming `to`, and the host still answers', async () => {
    expect(await manager.try('export.start', { grid: 'report', query: { report: 'funnel', from: NOVEMBER.to, to: NOVEMBER.from } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'to', reason: 'period_order' },
    })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})

describe('report filters (统计对象, 来源渠道, 营销活动) on the reports and their exports', () => {
  const idOf = async (who: ApiClient) => (await who.call('auth.whoami', {})).id
  let campaignId: number
  let dingId: number

  beforeAll(async () => {
    // one more client of B's, brought by a campaign, in 徐汇
    const campaign = await manager.call('campaigns.save', { name: '秋季房展', channel: 'wechat', startDate: '2026-11-01', endDate: '2026-11-30', costYuan: 1000 })
    campaignId = campaign.id
    dingId = (
      await agentB.call('clients.create', { kind: 'person', name: '报表客户丁', phones: [{ number: '13770001004' }], sourceChannel: 'wechat', campaignId, tier: 'normal', region: '徐汇区' })
    ).id
  })

  it('客户地图 by agent, team, channel and campaign: only those clients, and the export of the filtered tab is the filtered table', async () => {
    const [a, b] = [await idOf(agentA), await idOf(agentB)]
    const counts = (m: Awaited<ReturnType<typeof manager.call<'reports.districts'>>>) => Object.fromEntries(m.districts.filter((d) => d.clients > 0).map((d) => [d.name, d.clients]))
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, subject: { kind: 'agent', staffId: a } }))).toEqual({ 浦东: 1 })
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, subject: { kind: 'agent', staffId: b } }))).toEqual({ 滨江: 1, 徐汇: 1 })
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, subject: { kind: 'team', team: '二组' } }))).toEqual({ 滨江: 1, 徐汇: 1 })
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, channel: 'phone' }))).toEqual({ 浦东: 1, 滨江: 1 })
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, campaignId }))).toEqual({ 徐汇: 1 })
    expect(counts(await manager.call('reports.districts', { ...NOVEMBER, subject: { kind: 'agent', staffId: a }, campaignId }))).toEqual({})
    const sheet = await lines(manager, { grid: 'report', query: { report: 'districts', ...NOVEMBER, subject: { kind: 'agent', staffId: b } } })
    expect(sheet.slice(2).map((l) => l.slice(0, 2))).toEqual([
      ['徐汇', '1'],
      ['滨江', '1'],
    ])
  })

  it('funnel, lost reasons, follow-ups, SLA and pool narrow to the team or agent (and the client reports to the channel)', async () => {
    const [a, b] = [await idOf(agentA), await idOf(agentB)]
    const stages = async (input: InputOf<'reports.funnel'>) => (await manager.call('reports.funnel', input)).stages.map((s) => s.clients)
    expect(await stages({ ...NOVEMBER, subject: { kind: 'agent', staffId: a } })).toEqual([2, 1, 0, 0, 0])
    expect(await stages({ ...NOVEMBER, subject: { kind: 'agent', staffId: b } })).toEqual([2, 0, 0, 0, 0])
    expect(await stages({ ...NOVEMBER, channel: 'walk_in' })).toEqual([1, 0, 0, 0, 0])
    expect(await stages({ ...NOVEMBER, campaignId })).toEqual([1, 0, 0, 0, 0])
    expect((await manager.call('reports.lostReasons', { ...NOVEMBER, subject: { kind: 'team', team: '一组' } })).reasons).toEqual([{ reason: '预算不足', count: 1 }])
    expect((await manager.call('reports.lostReasons', { ...NOVEMBER, subject: { kind: 'team', team: '二组' } })).reasons).toEqual([])
    expect((await manager.call('reports.lostReasons', { ...NOVEMBER, channel: 'phone' })).reasons).toEqual([])
    const names = (r: { agents: Array<{ name: string }> }) => r.agents.map((x) => x.name).sort()
    expect(names(await manager.call('reports.followUpsVsDeals', { ...NOVEMBER, subject: { kind: 'team', team: '一组' } }))).toEqual(['rx-a名', 'rx-senior名'])
    expect(names(await manager.call('reports.sla', { ...NOVEMBER, subject: { kind: 'agent', staffId: b } }))).toEqual(['rx-b名'])
    expect((await lines(manager, { grid: 'report', query: { report: 'followUps', ...NOVEMBER, subject: { kind: 'agent', staffId: a } } })).slice(2).map((l) => l[0])).toEqual(['rx-a名'])
    expect((await manager.call('reports.pool', { ...NOVEMBER, subject: { kind: 'agent', staffId: a } })).days).toEqual([])
    // visits at the desk of B's client count for B (the owner at the visit), not for A
    await manager.call('frontdesk.registerVisit', { clientId: dingId })
    const visits = async (staffId: number) => (await manager.call('reports.traffic', { ...NOVEMBER, subject: { kind: 'agent', staffId } })).days.reduce((n, d) => n + d.visits, 0)
    expect([await visits(a), await visits(b)]).toEqual([0, 1])
    expect((await manager.call('reports.board', { ...NOVEMBER, subject: { kind: 'agent', staffId: a } })).days).toEqual([])
  })

  it('crossing: a team or agent the caller may not see, an unknown agent, a filter a report does not take, an input field no report has', async () => {
    const b = await idOf(agentB)
    // the branch reports are the management's: an agent asking for their own figures there is still refused
    expect(await agentA.try('reports.funnel', { ...NOVEMBER, subject: { kind: 'agent', staffId: await idOf(agentA) } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await senior.try('reports.sla', { ...NOVEMBER, subject: { kind: 'team', team: '一组' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await agentA.try('export.start', { grid: 'report', query: { report: 'districts', ...NOVEMBER, subject: { kind: 'agent', staffId: b } } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await manager.try('reports.districts', { ...NOVEMBER, subject: { kind: 'agent', staffId: 999_999 } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'subject.staffId' } })
    expect(await manager.try('export.start', { grid: 'report', query: { report: 'clubLevels', ...NOVEMBER, subject: { kind: 'team', team: '一组' } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'query.subject', reason: 'report_filter' },
    })
    expect(await manager.try('export.start', { grid: 'report', query: { report: 'sla', ...NOVEMBER, channel: 'phone' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'query.channel' } })
    // strict inputs: a channel on a per-agent report is refused by the contract
    expect(await manager.try('reports.sla', { ...NOVEMBER, channel: 'phone' } as unknown as InputOf<'reports.sla'>)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await manager.try('system.ping', {})).toMatchObject({ ok: true })
  })
})
