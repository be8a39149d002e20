import { instalmentStates, responseSummary } from '@shared/domain/branch-reports'
import { levelFor } from '@shared/domain/club'
import type { Period } from '@shared/domain/kpi'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { clubLevels } from '../club/club.repository'
import { unitLabel } from '../units/unit-shape'
import { visibleStaff } from './kpi-scope'
import { kpiStaff } from './kpi.repository'
import {
  conversionRows,
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

type BranchReportMethods = 'reports.responseTimes' | 'reports.conversion' | 'reports.traffic' | 'reports.board' | 'reports.club'

/** A period whose end is not after its start is refused, naming `to`. */
function checkPeriod(p: Period): void {
  if (Date.parse(p.to) <= Date.parse(p.from)) throw new ApiFailure('VALIDATION', 'the period must end after it starts', 'to', 'period_order')
}

/** The branch day (YYYY-MM-DD, UTC+8) an instant falls on; for `to` of a half-open period, the first day not in it. */
const dayOf = (iso: string) => branchDay(new Date(iso))

/** Monday 0 … Sunday 6 of a branch day. */
const weekdayOf = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7

/** The branch reports beyond the KPIs (issue #19 item 2): definitions in docs/usage.md "报表". */
export const branchReportsHandlers: Pick<HandlersOf<'reports'>, BranchReportMethods> = {
  'reports.responseTimes': async (period, ctx) => {
    const viewer = requireSession(ctx)
    checkPeriod(period)
    const starts = await responseStarts(ctx.db, period)
    const byAgent = new Map<number, Array<number | null>>()
    for (const s of starts) {
      const mine = byAgent.get(s.agent) ?? byAgent.set(s.agent, []).get(s.agent)!
      mine.push(s.hours)
    }
    const agents = visibleStaff(viewer, await kpiStaff(ctx.db), new Set(byAgent.keys()))
    return {
      branch: responseSummary(starts.map((s) => s.hours)),
      agents: agents.map((a) => ({ staffId: a.id, name: a.name, team: a.team, ...responseSummary(byAgent.get(a.id) ?? []) })),
    }
  },

  'reports.conversion': async (period, ctx) => {
    checkPeriod(period)
    const rows = await conversionRows(ctx.db, period)
    return {
      rows: rows.map((r) => ({ channel: r.channel, campaignId: r.campaign_id, campaignName: r.campaign_name, clients: r.clients, intent: r.intent, negotiating: r.negotiating, deals: r.deals })),
    }
  },

  'reports.traffic': async (period, ctx) => {
    checkPeriod(period)
    const { visits, swipes } = await trafficRows(ctx.db, period)
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
  },

  'reports.board': async ({ projectId, ...period }, ctx) => {
    checkPeriod(period)
    const project = projectId ?? null
    const [days, sold, due] = [await subscriptionsByDay(ctx.db, period, project), await unitsSold(ctx.db, project), await instalmentsDue(ctx.db, dayOf(period.from), dayOf(period.to), project)]
    const ledger = await dealsLedger(ctx.db, [...new Set(due.map((d) => d.tx_id))])
    const paidOf = new Map(ledger.paid.map((p) => [p.tx_id, p.paid]))
    const today = branchDay(ctx.clock.now())
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
  },

  'reports.club': async (period, ctx) => {
    checkPeriod(period)
    const levels = await clubLevels(ctx.db)
    const members = new Map(levels.map((l) => [l.name, 0]))
    for (const m of await memberBalances(ctx.db, period.to)) {
      const level = levelFor(m.points, levels).level
      members.set(level, (members.get(level) ?? 0) + 1)
    }
    const referrals = await referralsByReferrer(ctx.db, period)
    return {
      levels: [...members.entries()].map(([level, n]) => ({ level, members: n })),
      points: await pointsByKind(ctx.db, period),
      referrals: referrals.map((r) => ({ referrerId: r.referrer_id, name: r.referrer_name, referred: r.referred, rewarded: r.rewarded })),
    }
  },
}
