import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { FullAccessScope } from '@shared/domain/client-access'
import type { DB } from '../../db/schema'
import { teamMemberIds } from '../clients/search-statements'

/** A client as a care list reads it. */
export interface CareClientRecord {
  id: number
  code: string
  name: string
  tier: string
  primary_phone: string | null
  birth_date: string | null
  birth_md: string | null
  owner_id: number | null
  owner_name: string | null
}

/** Whose clients a list holds: everyone's, or a list of owners (an agent; a senior and their team). */
export type OwnerScope = 'all' | { ownerIds: readonly number[] }

/** The caller's full-access scope as owners a query can filter on (a senior's team resolved to its members). */
export async function ownerScopeOf(db: Kysely<DB>, full: Exclude<FullAccessScope, 'none'>): Promise<OwnerScope> {
  if (full === 'all') return 'all'
  return { ownerIds: full.team === null ? [full.ownerId] : [...new Set([full.ownerId, ...(await teamMemberIds(db, full.team))])] }
}

function ownerFilter(scope: OwnerScope): RawBuilder<unknown> {
  return scope === 'all' ? sql`` : sql`AND c.owner_id IN (${sql.join(scope.ownerIds)})`
}

// VIP first, then 重点, then the rest
const TIER_RANK = sql`CASE c.tier WHEN 'vip' THEN 0 WHEN 'key' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`
const CARE_COLUMNS = sql`c.id, c.code, c.name, c.tier, c.primary_phone, c.birth_date, c.birth_md, c.owner_id, o.name AS owner_name`
// clients a greeting can go to: not merged away, not marked lost (a follow-up of a lost client is refused)
const LIVE = sql`c.merged_into IS NULL AND c.stage <> 'lost'`

/**
 * The statement finding birthdays: the month-days are looked up in the partial index
 * clients_birth_md (migration 019), so the book is never scanned (tests/integration/care.test.ts
 * reads its plan at 100,000 clients).
 */
export function birthdayStatement(monthDays: readonly string[], scope: OwnerScope, offset: number, limit: number) {
  // soonest first: the month-days in the order given
  const order = sql`CASE c.birth_md ${sql.join(
    monthDays.map((md, i) => sql`WHEN ${md} THEN ${i}`),
    sql` `,
  )} END`
  return sql<CareClientRecord>`SELECT ${CARE_COLUMNS} FROM clients c LEFT JOIN staff o ON o.id = c.owner_id
    WHERE c.birth_md IN (${sql.join(monthDays)}) AND c.birth_md IS NOT NULL AND ${LIVE} ${ownerFilter(scope)}
    ORDER BY ${order}, ${TIER_RANK}, c.id LIMIT ${limit} OFFSET ${offset}`
}

/** One page of birthdays on the month-days (soonest first, in the order given), and how many there are. */
export async function birthdaysPage(db: Kysely<DB>, monthDays: readonly string[], scope: OwnerScope, offset: number, limit: number) {
  const rows = (await birthdayStatement(monthDays, scope, offset, limit).execute(db)).rows
  const total = await sql<{ n: number }>`SELECT count(*) AS n FROM clients c
    WHERE c.birth_md IN (${sql.join(monthDays)}) AND c.birth_md IS NOT NULL AND ${LIVE} ${ownerFilter(scope)}`.execute(db)
  return { rows, total: total.rows[0]?.n ?? 0 }
}

/** One page of the clients to greet on a holiday, VIP and 重点 first, and how many there are. */
export async function holidayClientsPage(db: Kysely<DB>, scope: OwnerScope, offset: number, limit: number) {
  const rows = (
    await sql<CareClientRecord>`SELECT ${CARE_COLUMNS} FROM clients c LEFT JOIN staff o ON o.id = c.owner_id
    WHERE ${LIVE} ${ownerFilter(scope)} ORDER BY ${TIER_RANK}, c.id LIMIT ${limit} OFFSET ${offset}`.execute(db)
  ).rows
  const total = await sql<{ n: number }>`SELECT count(*) AS n FROM clients c WHERE ${LIVE} ${ownerFilter(scope)}`.execute(db)
  return { rows, total: total.rows[0]?.n ?? 0 }
}

/** The greetings done for these clients on these occasions and dates, with who did them. */
export async function greetingsOf(db: Kysely<DB>, clientIds: readonly number[], occasion: string, dates: readonly string[]) {
  if (clientIds.length === 0 || dates.length === 0) return []
  return db
    .selectFrom('care_greetings as g')
    .leftJoin('staff as s', 's.id', 'g.staff_id')
    .select(['g.client_id', 'g.occasion_date', 'g.channel', 'g.done_at', 's.name as staff_name'])
    .where('g.client_id', 'in', clientIds)
    .where('g.occasion', '=', occasion)
    .where('g.occasion_date', 'in', dates)
    .execute()
}

/** Records a greeting done (the caller checked it is not recorded yet: the table's UNIQUE key holds it anyway). */
export async function insertGreeting(
  db: Kysely<DB>,
  g: { clientId: number; occasion: string; date: string; followUpId: number; staffId: number; channel: string; at: string },
): Promise<void> {
  await db
    .insertInto('care_greetings')
    .values({ client_id: g.clientId, occasion: g.occasion, occasion_date: g.date, follow_up_id: g.followUpId, staff_id: g.staffId, channel: g.channel, done_at: g.at })
    .execute()
}

/** Whether this client's greeting for the occasion and date is already recorded. */
export async function greetingDone(db: Kysely<DB>, clientId: number, occasion: string, date: string): Promise<boolean> {
  const r = await db.selectFrom('care_greetings').select('id').where('client_id', '=', clientId).where('occasion', '=', occasion).where('occasion_date', '=', date).executeTakeFirst()
  return r !== undefined
}
