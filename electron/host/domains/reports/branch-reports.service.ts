import { instalmentStates, responseSummary } from '@shared/domain/branch-reports'
import { levelFor } from '@shared/domain/club'
import { districtMap, type DistrictRow } from '@shared/domain/district-map'
import type { ReportFilter } from '@shared/contract/reports'
import type { Viewer } from '@shared/domain/client-access'
import type { Period } from '@shared/domain/kpi'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { clubLevels } from '../club/club.repository'
import { unitLabel } from '../units/unit-shape'
import { visibleStaff } from './kpi-scope'
import { clientFilter, subjectOwners } from './report-filter'
import { kpiStaff } from './kpi.repository'
import {
  conversionRows,
  districtRows,
  dealsLedger,
  instalmentsDue,
  memberBalances,
  pointsByKind,
  referralsByReferrer,
  responseStarts,
  subscriptionsByDay,
  trafficRows,
  unitsSold,
} from './branch-reports.repository'

type BranchReportMethods = 'reports.responseTimes' | 'reports.conversion' | 'reports.traffic' | 'reports.board' | 'reports.club' | 'reports.districts'

/** A period whose end is not after its start is refused, naming `to`. */
export function checkPeriod(p: Period): void {
  if (Date.parse(p.to) <= Date.parse(p.from)) throw new ApiFailure('VALIDATION', 'the period must end after it starts', 'to', 'period_order')
}

/** The branch day (YYYY-MM-DD, UTC+8) an instant falls on; for `to` of a half-open period, the first day not in it. */
const dayOf = (iso: string) => branchDay(new Date(iso))

/** Monday 0 … Sunday 6 of a branch day. */
const weekdayOf = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7

/** 响应时效: the branch's response figures and those of each agent the viewer may see. */
export async function responseTimesReport(db: Kysely<DB>, viewer: Viewer, period: Period) {
  const starts = await responseStarts(db, period)
  const byAgent = new Map<number, Array<number | null>>()
  for (const s of starts) {
    const mine = byAgent.get(s.agent) ?? byAgent.set(s.agent, []).get(s.agent)!
    mine.push(s.hours)
  }
  const agents = visibleStaff(viewer, await kpiStaff(db), new Set(byAgent.keys()))
  return {
    branch: responseSummary(starts.map((s) => s.hours)),
    agents: agents.map((a) => ({ staffId: a.id, name: a.name, team: a.team, ...responseSummary(byAgent.get(a.id) ?? []) })),
  }
}

/** 渠道转化: new clients per channel and campaign and how far they got. */
export async function conversionReport(db: Kysely<DB>, period: Period) {
  const rows = await conversionRows(db, period)
  return {
    rows: rows.map((r) => ({ channel: r.channel, campaignId: r.campaign_id, campaignName: r.campaign_name, clients: r.clients, intent: r.intent, negotiating: r.negotiating, deals: r.deals })),
  }
}

/** 到访与刷卡: visits and swipes per branch day, and per weekday and hour (of one team's or agent's clients with a subject). */
export async function trafficReport(db: Kysely<DB>, viewer: Viewer, q: Period & Pick<ReportFilter, 'subject'>) {
  const period = { from: q.from, to: q.to }
  const { visits, swipes } = await trafficRows(db, period, await subjectOwners(db, viewer, q.subject))
  const days = new Map<string, { day: string; visits: number; swipes: number }>()
  const cells = new Map<number, { weekday: number; hour: number; visits: number; swipes: number }>()
  const add = (rows: typeof visits, key: 'visits' | 'swipes') => {
    for (const r of rows) {
      const d = days.get(r.day) ?? days.set(r.day, { day: r.day, visits: 0, swipes: 0 }).get(r.day)!
      d[key] += r.n
      const weekday = weekdayOf(r.day)
      const at = weekday * 24 + r.hour
      const c = cells.get(at) ?? cells.set(at, { weekday, hour: r.hour, visits: 0, swipes: 0 }).get(at)!
      c[key] += r.n
    }
  }
  add(visits, 'visits')
  add(swipes, 'swipes')
  return {
    days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    cells: [...cells.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c),
  }
}

/** 销控与回款: sell-through, 认购 per day, instalments due with their state as of `now` (the 认购 and instalments of one team's or agent's deals with a subject; the sell-through is the board's). */
export async function boardReport(db: Kysely<DB>, viewer: Viewer, q: Period & Pick<ReportFilter, 'subject'>, projectId: number | null, now: Date) {
  const period = { from: q.from, to: q.to }
  const agents = await subjectOwners(db, viewer, q.subject)
  const [days, sold, due] = [
    await subscriptionsByDay(db, period, projectId, agents),
    await unitsSold(db, projectId),
    await instalmentsDue(db, dayOf(period.from), dayOf(period.to), projectId, agents),
  ]
  const ledger = await dealsLedger(db, [...new Set(due.map((d) => d.tx_id))])
  const paidOf = new Map(ledger.paid.map((p) => [p.tx_id, p.paid]))
  const today = branchDay(now)
  // each deal's instalments settle in due order from everything paid on the deal
  const stateOf = new Map<number, { state: 'paid' | 'due' | 'overdue'; paid: number }>()
  for (const txId of new Set(ledger.schedule.map((s) => s.tx_id))) {
    const mine = ledger.schedule.filter((s) => s.tx_id === txId)
    instalmentStates(mine.map((s) => ({ dueDate: s.due_date, amount: s.amount })), paidOf.get(txId) ?? 0, today).forEach((st, i) => stateOf.set(mine[i]!.id, st))
  }
  return {
    units: sold.units,
    sold: sold.sold,
    days: days.map((d) => ({ day: d.day, subscribed: d.n, amount: d.amount, area: d.area })),
    instalments: due.map((d) => ({
      id: d.id,
      txId: d.tx_id,
      unit: unitLabel(d.building, d.number),
      client: d.client_name,
      label: d.label,
      dueDate: d.due_date,
      amount: d.amount,
      ...(stateOf.get(d.id) ?? { state: 'due' as const, paid: 0 }),
    })),
  }
}

/** 会员俱乐部: members by level at the period's end, points per kind, referrals per referrer. */
export async function clubReport(db: Kysely<DB>, period: Period) {
  const levels = await clubLevels(db)
  const members = new Map(levels.map((l) => [l.name, 0]))
  for (const m of await memberBalances(db, period.to)) {
    const level = levelFor(m.points, levels).level
    members.set(level, (members.get(level) ?? 0) + 1)
  }
  const referrals = await referralsByReferrer(db, period)
  return {
    levels: [...members.entries()].map(([level, n]) => ({ level, members: n })),
    points: await pointsByKind(db, period),
    referrals: referrals.map((r) => ({ referrerId: r.referrer_id, name: r.referrer_name, referred: r.referred, rewarded: r.rewarded })),
  }
}

/** 客户地图: clients, new clients, deals and high purchasing power per district (of some owners, channel or campaign), and the rows without a district. */
export async function districtsReport(db: Kysely<DB>, viewer: Viewer, q: Period & ReportFilter) {
  checkPeriod(q)
  const { clients, deals } = await districtRows(db, q, await clientFilter(db, viewer, q))
  const rows = new Map<string | null, DistrictRow>()
  const row = (district: string | null) => rows.get(district) ?? rows.set(district, { district, clients: 0, newClients: 0, deals: 0, highWealth: 0 }).get(district)!
  for (const c of clients) Object.assign(row(c.district), { clients: c.clients, newClients: c.new_clients, highWealth: c.high_wealth })
  for (const d of deals) row(d.district).deals = d.n
  return districtMap([...rows.values()])
}

/** The branch reports beyond the KPIs (issue #19 item 2): definitions in docs/usage.md "报表". */
export const branchReportsHandlers: Pick<HandlersOf<'reports'>, BranchReportMethods> = {
  'reports.responseTimes': async (period, ctx) => {
    const viewer = requireSession(ctx)
    checkPeriod(period)
    return responseTimesReport(ctx.db, viewer, period)
  },

  'reports.conversion': async (period, ctx) => {
    checkPeriod(period)
    return conversionReport(ctx.db, period)
  },

  'reports.traffic': async (q, ctx) => {
    checkPeriod(q)
    return trafficReport(ctx.db, requireSession(ctx), q)
  },

  'reports.board': async ({ projectId, ...q }, ctx) => {
    checkPeriod(q)
    return boardReport(ctx.db, requireSession(ctx), q, projectId ?? null, ctx.clock.now())
  },

  'reports.club': async (period, ctx) => {
    checkPeriod(period)
    return clubReport(ctx.db, period)
  },

  'reports.districts': async (q, ctx) => districtsReport(ctx.db, requireSession(ctx), q),
}
