import { anniversaryBetween, handoverCareDay, handoverSearchRange } from '@shared/domain/care-milestones'
import { addDays } from '@shared/domain/holidays'
import { branchDay, branchDayStart } from '@shared/domain/rules'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { dealsOf, handoversBetween, type CareClientRecord, type OwnerScope } from './care.repository'

/** A deal anniversary or a handover's +1 month call falling in the week. */
export interface MilestoneItem {
  record: CareClientRecord
  occasion: 'dealAnniversary' | 'handoverMonth'
  date: string
  since: string
  years: number | null
  unit: string | null
}

// VIP first, then 重点, as the other lists
const TIER_RANK: Record<string, number> = { vip: 0, key: 1, normal: 2 }

/**
 * The deal anniversaries and handover +1 month calls of the `days` days from `today` for the
 * clients in scope (or one client), soonest first, then VIP and 重点 first; one item per client,
 * occasion and day (two deals signed the same day are one call).
 */
export async function milestonesBetween(db: Kysely<DB>, scope: OwnerScope, today: string, days: number, clientId?: number): Promise<MilestoneItem[]> {
  const items = new Map<string, MilestoneItem>()
  const keep = (i: MilestoneItem) => {
    const key = `${i.record.id}|${i.occasion}|${i.date}`
    if (!items.has(key)) items.set(key, i)
  }
  for (const d of await dealsOf(db, scope, clientId)) {
    const since = branchDay(new Date(d.signed_at))
    const a = anniversaryBetween(since, today, days)
    if (a) keep({ record: d, occasion: 'dealAnniversary', date: a.date, since, years: a.years, unit: d.unit })
  }
  const range = handoverSearchRange(today, days)
  const last = addDays(today, days - 1)
  for (const h of await handoversBetween(db, scope, branchDayStart(range.first), branchDayStart(addDays(range.last, 1)), clientId)) {
    const since = branchDay(new Date(h.closed_at))
    const date = handoverCareDay(since)
    if (date >= today && date <= last) keep({ record: h, occasion: 'handoverMonth', date, since, years: null, unit: null })
  }
  return [...items.values()].sort((a, b) => a.date.localeCompare(b.date) || (TIER_RANK[a.record.tier] ?? 3) - (TIER_RANK[b.record.tier] ?? 3) || a.record.id - b.record.id)
}
