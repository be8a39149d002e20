import type { KpiFigures } from '@shared/contract/reports'
import { addCounts, DEFAULT_KPI_TARGETS, emptyCounts, KPI_IDS, kpiValue, KpiTargetsSchema, type KpiCounts, type KpiTargets, type Period } from '@shared/domain/kpi'
import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { lostReasonCounts } from '../clients/clients.repository'
import { readSetting, writeSetting } from '../settings/settings.repository'
import { branchReportsHandlers } from './branch-reports.service'
import { seesBranch, subjectStaff, visibleStaff } from './kpi-scope'
import { kpiCountsByOwner, kpiStaff } from './kpi.repository'
import { contactsOf, DATA_USE_ACTIONS, dataUseRows, dealsByOwner, FUNNEL_STAGES, funnelCounts, poolByDay, slaOf } from './reports.repository'

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

/** The manager's numbers: lost reasons, the six KPIs (issue #19) and their targets. */
export const reportsHandlers: HandlersOf<'reports'> = {
  ...branchReportsHandlers,

  'reports.lostReasons': async ({ from, to }, ctx) => {
    const rows = await lostReasonCounts(ctx.db, from, to)
    return { reasons: rows.map((r) => ({ reason: r.lost_reason ?? '', count: r.n })) }
  },

  'reports.kpis': async (period, ctx) => {
    const viewer = requireSession(ctx)
    checkPeriod(period)
    const [byOwner, staff] = await Promise.all([kpiCountsByOwner(ctx.db, period), kpiStaff(ctx.db)])
    const withFigures = new Set([...byOwner.keys()].filter((k): k is number => k !== null))
    const agents = visibleStaff(viewer, staff, withFigures)
    const teamNames = [...new Set(agents.map((a) => a.team).filter((t): t is string => t !== null))].sort()
    return {
      branch: seesBranch(viewer) ? figures(countsOf(byOwner, null)) : null,
      teams: viewer.role === 'agent' ? [] : teamNames.map((team) => ({ team, figures: figures(countsOf(byOwner, agents.filter((a) => a.team === team).map((a) => a.id))) })),
      agents: agents.map((a) => ({ staffId: a.id, name: a.name, team: a.team, figures: figures(countsOf(byOwner, [a.id])) })),
    }
  },

  'reports.kpiTrend': async ({ periods, subject }, ctx) => {
    const viewer = requireSession(ctx)
    periods.forEach((p, i) => checkPeriod(p, `periods.${i}.to`))
    const owners = subjectStaff(viewer, subject, await kpiStaff(ctx.db))
    const points = []
    for (const p of periods) points.push({ from: p.from, to: p.to, figures: figures(countsOf(await kpiCountsByOwner(ctx.db, p), owners)) })
    return { points }
  },

  'reports.funnel': async (period, ctx) => {
    checkPeriod(period)
    const counts = await funnelCounts(ctx.db, period)
    return { stages: FUNNEL_STAGES.map((stage) => ({ stage, clients: counts.get(stage) ?? 0 })) }
  },

  'reports.followUpsVsDeals': async (period, ctx) => {
    const viewer = requireSession(ctx)
    checkPeriod(period)
    const deals = await dealsByOwner(ctx.db, period)
    const agents = []
    for (const s of visibleStaff(viewer, await kpiStaff(ctx.db), new Set([...deals.keys()].filter((k): k is number => k !== null)))) {
      agents.push({ staffId: s.id, name: s.name, team: s.team, followUps: await contactsOf(ctx.db, s.id, period), deals: deals.get(s.id) ?? 0 })
    }
    return { agents }
  },

  'reports.sla': async (period, ctx) => {
    const viewer = requireSession(ctx)
    checkPeriod(period)
    const now = ctx.clock.now().toISOString()
    const agents = []
    for (const s of visibleStaff(viewer, await kpiStaff(ctx.db), new Set())) agents.push({ staffId: s.id, name: s.name, team: s.team, ...(await slaOf(ctx.db, s.id, period, now)) })
    return { agents }
  },

  'reports.pool': async (period, ctx) => {
    checkPeriod(period)
    const { entered, claimed } = await poolByDay(ctx.db, period)
    const days = new Map<string, { day: string; entered: number; claimed: number }>()
    const day = (d: string) => days.get(d) ?? days.set(d, { day: d, entered: 0, claimed: 0 }).get(d)!
    for (const r of entered) day(r.day).entered = r.n
    for (const r of claimed) day(r.day).claimed = r.n
    return { days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)) }
  },

  'reports.dataUse': async (period, ctx) => {
    checkPeriod(period)
    const rows = await dataUseRows(ctx.db, period)
    const reveals = new Set<string>(DATA_USE_ACTIONS.reveals)
    const reads = new Set<string>(DATA_USE_ACTIONS.reads)
    const out = []
    for (const s of await kpiStaff(ctx.db)) {
      const mine = rows.filter((r) => r.actor === s.id)
      if (mine.length === 0) continue
      const sum = (keep: (action: string) => boolean) => mine.filter((r) => keep(r.action)).reduce((n, r) => n + r.n, 0)
      out.push({ staffId: s.id, name: s.name, team: s.team, role: s.role, reveals: sum((a) => reveals.has(a)), reads: sum((a) => reads.has(a)), exports: sum((a) => !reveals.has(a) && !reads.has(a)) })
    }
    return { staff: out }
  },

  'reports.kpiTargets': async (_input, ctx) => getTargets(ctx.db),

  'reports.setKpiTargets': async (changes, ctx) => {
    const next = { ...(await getTargets(ctx.db)), ...changes }
    await writeSetting(ctx.db, TARGETS_KEY, JSON.stringify(next), ctx.clock.now().toISOString())
    ctx.auditTarget('settings:kpi_targets')
    return next
  },
}
