import { z } from 'zod'
import { HOUR_MS } from './rules'

/**
 * The six KPIs of seed 002 (效果评估): three process measures and three result measures.
 * The host counts a numerator and a denominator for each from the stored rows; this module
 * turns the counts into a value and judges it against the branch's target. The exact
 * definitions (which rows, which columns) are in docs/usage.md "报表" and beside the queries in
 * electron/host/domains/reports/kpi.repository.ts:
 *
 * - completeness: mean profile completeness score of clients created in [from, to) (sum of
 *   scores / 100 over their count); target ≥ 90 %.
 * - responseHours: mean hours from a client's creation to the first contact (a follow-up other
 *   than a note), over clients created in [from, to) that were contacted before `to`; target ≤ 2 h.
 * - poolClaim: of the clients that entered the public pool in [from, to), the share claimed
 *   back from it before `to`; branch only (the pool belongs to no agent); target ≥ 80 %.
 * - potentialToIntent: of the clients who were 潜在 at some time in [from, to), the share whose
 *   潜在 spell ended in [from, to) into 意向 or a later stage; target ≥ 30 %.
 * - intentToDeal: of the clients who were 意向 or 谈判 at some time in [from, to), the share who
 *   reached 成交 in [from, to) after it; target ≥ 20 %.
 * - repeatReferral: of the clients who reached 成交 or 复购转介 in [from, to) (the period's deals),
 *   the share that are a repeat purchase (复购转介) or were referred (a referral row, or the
 *   source channel 转介); target ≥ 15 %.
 */
export const KPI_IDS = ['completeness', 'responseHours', 'poolClaim', 'potentialToIntent', 'intentToDeal', 'repeatReferral'] as const
export const KpiId = z.enum(KPI_IDS)
export type KpiId = z.infer<typeof KpiId>

/** Rates are met at or above their target; the response time at or below. */
export const KPI_DIRECTION: Record<KpiId, 'atLeast' | 'atMost'> = {
  completeness: 'atLeast',
  responseHours: 'atMost',
  poolClaim: 'atLeast',
  potentialToIntent: 'atLeast',
  intentToDeal: 'atLeast',
  repeatReferral: 'atLeast',
}

/** KPIs that only mean something for the whole branch (agents and teams show none). */
export const BRANCH_ONLY_KPIS: readonly KpiId[] = ['poolClaim']

const percent = z.number().min(0).max(100)
/** The branch's targets (a setting the manager edits in 设置): rates in percent, the response time in hours. */
export const KpiTargetsSchema = z
  .object({
    completeness: percent,
    responseHours: z.number().min(0.1).max(168),
    poolClaim: percent,
    potentialToIntent: percent,
    intentToDeal: percent,
    repeatReferral: percent,
  })
  .strict()
export type KpiTargets = z.infer<typeof KpiTargetsSchema>

/** The seed's targets. */
export const DEFAULT_KPI_TARGETS: KpiTargets = {
  completeness: 90,
  responseHours: 2,
  poolClaim: 80,
  potentialToIntent: 30,
  intentToDeal: 20,
  repeatReferral: 15,
}

/** What the rows give for one KPI: a numerator and a denominator (hours summed, for the response time). */
export const KpiCount = z.object({ num: z.number().min(0), den: z.number().int().min(0) })
export type KpiCount = z.infer<typeof KpiCount>
export type KpiCounts = Record<KpiId, KpiCount>

export const EMPTY_COUNT: KpiCount = { num: 0, den: 0 }

/** Counts with nothing in them, for a subject the period has no rows for. */
export function emptyCounts(): KpiCounts {
  return { completeness: EMPTY_COUNT, responseHours: EMPTY_COUNT, poolClaim: EMPTY_COUNT, potentialToIntent: EMPTY_COUNT, intentToDeal: EMPTY_COUNT, repeatReferral: EMPTY_COUNT }
}

/** The sum of several subjects' counts (a team from its agents). */
export function addCounts(all: readonly KpiCounts[]): KpiCounts {
  const out = emptyCounts()
  for (const c of all) {
    for (const id of KPI_IDS) out[id] = { num: out[id].num + c[id].num, den: out[id].den + c[id].den }
  }
  return out
}

/**
 * A KPI's value: a rate in percent, or the response time in hours; null ("no data") when the
 * denominator is empty, never NaN.
 */
export function kpiValue(id: KpiId, c: KpiCount): number | null {
  if (c.den <= 0) return null
  const v = c.num / c.den
  return id === 'responseHours' ? v : v * 100
}

/** Whether a value meets its target; null when there is no value to judge. */
export function kpiMet(id: KpiId, value: number | null, target: number): boolean | null {
  if (value === null || !Number.isFinite(value)) return null
  return KPI_DIRECTION[id] === 'atLeast' ? value >= target : value <= target
}

export const PeriodKind = z.enum(['week', 'month', 'quarter', 'custom'])
export type PeriodKind = z.infer<typeof PeriodKind>

/** A half-open period [from, to) as UTC ISO instants. */
export interface Period {
  from: string
  to: string
}

const SHANGHAI_MS = 8 * HOUR_MS

/** The branch-day (Asia/Shanghai) calendar parts of an instant. */
function localParts(at: Date): { y: number; m: number; d: number; dow: number } {
  const l = new Date(at.getTime() + SHANGHAI_MS)
  return { y: l.getUTCFullYear(), m: l.getUTCMonth(), d: l.getUTCDate(), dow: (l.getUTCDay() + 6) % 7 }
}

/** The instant a Shanghai calendar day starts (month overflow allowed, as Date.UTC does). */
function localStart(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m, d) - SHANGHAI_MS)
}

/**
 * The calendar period of a kind that holds `at` (weeks start on Monday, in branch time), moved
 * back `back` periods: `periodOf('month', now, 1)` is last month.
 */
export function periodOf(kind: Exclude<PeriodKind, 'custom'>, at: Date, back = 0): Period {
  const p = localParts(at)
  let from: Date
  let to: Date
  if (kind === 'week') {
    from = localStart(p.y, p.m, p.d - p.dow - 7 * back)
    to = localStart(p.y, p.m, p.d - p.dow - 7 * back + 7)
  } else {
    const len = kind === 'month' ? 1 : 3
    const first = kind === 'month' ? p.m : p.m - (p.m % 3)
    from = localStart(p.y, first - len * back, 1)
    to = localStart(p.y, first - len * back + len, 1)
  }
  return { from: from.toISOString(), to: to.toISOString() }
}

/**
 * The periods of a trend, oldest first, ending with `period`: the same calendar kind before it,
 * or for a custom period, equal lengths back to back.
 */
export function trendPeriods(kind: PeriodKind, period: Period, count: number): Period[] {
  const out: Period[] = []
  const from = new Date(period.from)
  for (let back = count - 1; back >= 0; back--) {
    if (kind === 'custom') {
      const len = Date.parse(period.to) - Date.parse(period.from)
      out.push({ from: new Date(from.getTime() - back * len).toISOString(), to: new Date(from.getTime() - (back - 1) * len).toISOString() })
    } else {
      out.push(periodOf(kind, from, back))
    }
  }
  return out
}
