import { addDays, holidaysOfYear, type Holiday } from './holidays'
import type { BranchRules } from './rules'
import type { Stage } from './client-enums'

/**
 * The care plans per lifecycle layer (seed 002 差异化维护策略): what the owner does for a client in
 * each stage, as a follow-up task the rules set (its rule is the plan's name). Each has its setting
 * (0 turns it off) and the stage it serves: a client who leaves it has the plan's open tasks
 * cancelled. The owners' plans (handover, gifts) follow the sale, not a stage, and stay.
 */
export const CARE_PLANS = {
  'care.market': { setting: 'careMarketNoteDays', stage: 'potential' },
  'care.salon': { setting: 'careSalonDays', stage: 'potential' },
  'care.compare': { setting: 'careComparisonHours', stage: 'intent' },
  'care.plan': { setting: 'carePurchasePlanDays', stage: 'intent' },
  'care.cases': { setting: 'careDealCasesDays', stage: 'negotiating' },
  'care.decor': { setting: 'careHandoverDays', stage: null },
  'care.gift': { setting: 'careFestivalGiftDays', stage: null },
} as const satisfies Record<string, { setting: keyof BranchRules; stage: Stage | null }>
export type CarePlan = keyof typeof CARE_PLANS

/** The plans repeated every so many days while the client stays in the layer (one task per period). */
export const PERIODIC_CARE_PLANS = ['care.market', 'care.salon', 'care.cases'] as const satisfies readonly CarePlan[]

/** The holidays an owner's gift is prepared for (seed 002: 每年春节、中秋寄送业主专属礼包). */
export const GIFT_HOLIDAYS = ['springFestival', 'midAutumn'] as const

/** Whole days from 1970-01-01 to a YYYY-MM-DD day. */
export function dayIndex(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000)
}

/**
 * A client's period of a periodic plan on a day: periods are `every` days long and staggered by
 * client id, so a weekly note falls on a seventh of the clients each day instead of all on one.
 * The rules' SQL computes the same (`(day + id % every) / every`); a test holds them together.
 */
export function carePeriod(day: number, clientId: number, every: number): number {
  return Math.floor((day + (clientId % every)) / every)
}

/** Days from `day` to the first day of the client's next period (1 to `every`): its task is due then. */
export function daysToNextPeriod(day: number, clientId: number, every: number): number {
  return every - ((day + (clientId % every)) % every)
}

/**
 * The gift holidays from `today` to `leadDays` ahead (both included): an owner's gift is prepared
 * in that window. Lunar dates come from the holiday table (any year lunar-typescript covers).
 */
export function giftHolidaysAhead(today: string, leadDays: number): Holiday[] {
  if (leadDays <= 0) return []
  const to = addDays(today, leadDays)
  const years = new Set([Number(today.slice(0, 4)), Number(to.slice(0, 4))])
  return [...years]
    .flatMap(holidaysOfYear)
    .filter((h) => (GIFT_HOLIDAYS as readonly string[]).includes(h.key) && h.date >= today && h.date <= to)
}
