import type { KpiFigures, ReportQuery } from '@shared/contract/reports'
import { addCounts, DEFAULT_KPI_TARGETS, emptyCounts, KPI_IDS, kpiValue, KpiTargetsSchema, type KpiCounts, type KpiTargets, type Period } from '@shared/domain/kpi'
import type { Kysely } from 'kysely'
import type { Viewer } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { lostReasonCounts } from '../clients/clients.repository'
import { readSetting, writeSetting } from '../settings/settings.repository'
import { branchReportsHandlers } from './branch-reports.service'
import { seesBranch, subjectStaff, visibleStaff } from './kpi-scope'
import { kpiCountsByOwner, kpiStaff } from './kpi.repository'
import { clientFilter, narrows, reportAgents, subjectOwners } from './report-filter'
import { contactsOf, DATA_USE_ACTIONS, dataUseRows, dealsByOwner, FUNNEL_STAGES, funnelCounts, lostReasonsOf, poolByDay, slaOf } from './reports.repository'

const TARGETS_KEY = 'kpi_targets'

/** The branch's KPI targets: stored overrides on top of the seed's. */
async function getTargets(db: Kysely<DB>): Promise<KpiTargets> {
  const value = await readSetting(db, TARGETS_KEY)
  if (value === undefined) return DEFAULT_KPI_TARGETS
  const parsed = KpiTargetsSchema.partial().safeParse(JSON.parse(value))
  return { ...DEFAULT_KPI_TARGETS, ...(parsed.success ? parsed.data : {}) }
}

/** A period whose end is not after its start is refused, naming `to`. */
function checkPeriod(p: Period, field = 'to'): void {
  if (Date.parse(p.to) <= Date.parse(p.from)) throw new ApiFailure('VALIDATION', 'the period must end after it starts', field, 'period_order')
}

function figures(c: KpiCounts): KpiFigures {
  const out = {} as KpiFigures
  for (const id of KPI_IDS) out[id] = { num: c[id].num, den: c[id].den, value: kpiValue(id, c[id]) }
  return out
}

/** The counts of a set of owners (null: every owner and none, i.e. the branch). */
function countsOf(byOwner: Map<number | null, KpiCounts>, owners: readonly number[] | null): KpiCounts {
  if (owners === null) return addCounts([...byOwner.values()])
  return addCounts(owners.map((id) => byOwner.get(id) ?? emptyCounts()))
}


/** 流失原因: clients marked lost in the period, by reason; of some owners, channel or campaign. */
export async function lostReasonsReport(db: Kysely<DB>, viewer: Viewer, q: ReportQuery) {
  const f = await clientFilter(db, viewer, q)
  const rows = narrows(f) ? await lostReasonsOf(db, q, f) : await lostReasonCounts(db, q.from, q.to)
  return { reasons: rows.map((r) => ({ reason: r.lost_reason ?? '', count: r.n })) }
}

/** 关键指标: the six KPIs of the branch, the teams and the agents the viewer may see. */
export async function kpiReport(db: Kysely<DB>, viewer: Viewer, period: Period) {
  checkPeriod(period)
  const [byOwner, staff] = await Promise.all([kpiCountsByOwner(db, period), kpiStaff(db)])
  const withFigures = new Set([...byOwner.keys()].filter((k): k is number => k !== null))
  const agents = visibleStaff(viewer, staff, withFigures)
  const teamNames = [...new Set(agents.map((a) => a.team).filter((t): t is string => t !== null))].sort()
  return {
    branch: seesBranch(viewer) ? figures(countsOf(byOwner, null)) : null,
    teams: viewer.role === 'agent' ? [] : teamNames.map((team) => ({ team, figures: figures(countsOf(byOwner, agents.filter((a) => a.team === team).map((a) => a.id))) })),
    agents: agents.map((a) => ({ staffId: a.id, name: a.name, team: a.team, figures: figures(countsOf(byOwner, [a.id])) })),
  }
}

/** 客户漏斗: clients at each stage at some time in the period; of some owners, channel or campaign. */
export async function funnelReport(db: Kysely<DB>, viewer: Viewer, q: ReportQuery) {
  checkPeriod(q)
  const counts = await funnelCounts(db, q, await clientFilter(db, viewer, q))
  return { stages: FUNNEL_STAGES.map((stage) => ({ stage, clients: counts.get(stage) ?? 0 })) }
}

/** 跟进与成交: each agent's contacts and deals in the period (of one team or agent with a subject). */
export async function followUpsReport(db: Kysely<DB>, viewer: Viewer, q: ReportQuery) {
  const period = { from: q.from, to: q.to }
  checkPeriod(period)
  const deals = await dealsByOwner(db, period)
  const agents = []
  for (const s of await reportAgents(db, viewer, q.subject, new Set([...deals.keys()].filter((k): k is number => k !== null)))) {
    agents.push({ staffId: s.id, name: s.name, team: s.team, followUps: await contactsOf(db, s.id, period), deals: deals.get(s.id) ?? 0 })
  }
  return { agents }
}

/** 任务时效: each agent's tasks due in the period, by how they went as of `now` (of one team or agent with a subject). */
export async function slaReport(db: Kysely<DB>, viewer: Viewer, q: ReportQuery, now: Date) {
  const period = { from: q.from, to: q.to }
  checkPeriod(period)
  const agents = []
  for (const s of await reportAgents(db, viewer, q.subject, new Set())) agents.push({ staffId: s.id, name: s.name, team: s.team, ...(await slaOf(db, s.id, period, now.toISOString())) })
  return { agents }
}

/** 公客池: entries and claims per branch day of the period (with a subject: entries of its clients, its claims). */
export async function poolReport(db: Kysely<DB>, viewer: Viewer, q: ReportQuery) {
  checkPeriod(q)
  const { entered, claimed } = await poolByDay(db, q, await subjectOwners(db, viewer, q.subject))
  const days = new Map<string, { day: string; entered: number; claimed: number }>()
  const day = (d: string) => days.get(d) ?? days.set(d, { day: d, entered: 0, claimed: 0 }).get(d)!
  for (const r of entered) day(r.day).entered = r.n
  for (const r of claimed) day(r.day).claimed = r.n
  return { days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)) }
}

/** 数据使用审查: each staff member's reveals, logged reads and exports in the period (audit log). */
export async function dataUseReport(db: Kysely<DB>, period: Period) {
  checkPeriod(period)
  const rows = await dataUseRows(db, period)
  const reveals = new Set<string>(DATA_USE_ACTIONS.reveals)
  const reads = new Set<string>(DATA_USE_ACTIONS.reads)
  const out = []
  for (const s of await kpiStaff(db)) {
    const mine = rows.filter((r) => r.actor === s.id)
    if (mine.length === 0) continue
    const sum = (keep: (action: string) => boolean) => mine.filter((r) => keep(r.action)).reduce((n, r) => n + r.n, 0)
    out.push({ staffId: s.id, name: s.name, team: s.team, role: s.role, reveals: sum((a) => reveals.has(a)), reads: sum((a) => reads.has(a)), exports: sum((a) => !reveals.has(a) && !reads.has(a)) })
  }
  return { staff: out }
}

/** The manager's numbers: lost reasons, the six KPIs (issue #19) and their targets; each report a function the export shares. */
export const reportsHandlers: HandlersOf<'reports'> = {
  ...branchReportsHandlers,

  'reports.lostReasons': async (q, ctx) => lostReasonsReport(ctx.db, requireSession(ctx), q),

  'reports.kpis': async (period, ctx) => kpiReport(ctx.db, requireSession(ctx), period),

  'reports.kpiTrend': async ({ periods, subject }, ctx) => {
    const viewer = requireSession(ctx)
    periods.forEach((p, i) => checkPeriod(p, `periods.${i}.to`))
    const owners = subjectStaff(viewer, subject, await kpiStaff(ctx.db))
    const points = []
    for (const p of periods) points.push({ from: p.from, to: p.to, figures: figures(countsOf(await kpiCountsByOwner(ctx.db, p), owners)) })
    return { points }
  },

  'reports.funnel': async (q, ctx) => funnelReport(ctx.db, requireSession(ctx), q),

  'reports.followUpsVsDeals': async (period, ctx) => followUpsReport(ctx.db, requireSession(ctx), period),

  'reports.sla': async (period, ctx) => slaReport(ctx.db, requireSession(ctx), period, ctx.clock.now()),

  'reports.pool': async (q, ctx) => poolReport(ctx.db, requireSession(ctx), q),

  'reports.dataUse': async (period, ctx) => dataUseReport(ctx.db, period),

  'reports.kpiTargets': async (_input, ctx) => getTargets(ctx.db),

  'reports.setKpiTargets': async (changes, ctx) => {
    const next = { ...(await getTargets(ctx.db)), ...changes }
    await writeSetting(ctx.db, TARGETS_KEY, JSON.stringify(next), ctx.clock.now().toISOString())
    ctx.auditTarget('settings:kpi_targets')
    return next
  },
}
