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

/** The care items worked (done or skipped) for these clients on these occasions and dates, with who worked them. */
export async function greetingsOf(db: Kysely<DB>, clientIds: readonly number[], occasions: readonly string[], dates: readonly string[]) {
  if (clientIds.length === 0 || occasions.length === 0 || dates.length === 0) return []
  return db
    .selectFrom('care_greetings as g')
    .leftJoin('staff as s', 's.id', 'g.staff_id')
    .select(['g.client_id', 'g.occasion', 'g.occasion_date', 'g.outcome', 'g.channel', 'g.note', 'g.done_at', 's.name as staff_name'])
    .where('g.client_id', 'in', clientIds)
    .where('g.occasion', 'in', occasions)
    .where('g.occasion_date', 'in', dates)
    .execute()
}

/** Records a care item worked: done (with its follow-up and channel) or skipped (with a note). The table's UNIQUE key holds one per client, occasion and date. */
export async function insertGreeting(
  db: Kysely<DB>,
  g: { clientId: number; occasion: string; date: string; staffId: number; at: string } & ({ outcome: 'done'; followUpId: number; channel: string } | { outcome: 'skipped'; note: string }),
): Promise<void> {
  await db
    .insertInto('care_greetings')
    .values({
      client_id: g.clientId,
      occasion: g.occasion,
      occasion_date: g.date,
      outcome: g.outcome,
      follow_up_id: g.outcome === 'done' ? g.followUpId : null,
      channel: g.outcome === 'done' ? g.channel : null,
      note: g.outcome === 'skipped' ? g.note : null,
      staff_id: g.staffId,
      done_at: g.at,
    })
    .execute()
}

/** Whether this client's care item for the occasion and date is already worked (done or skipped). */
export async function greetingDone(db: Kysely<DB>, clientId: number, occasion: string, date: string): Promise<boolean> {
  const r = await db.selectFrom('care_greetings').select('id').where('client_id', '=', clientId).where('occasion', '=', occasion).where('occasion_date', '=', date).executeTakeFirst()
  return r !== undefined
}

/** One client as a care list reads it, or undefined. */
export async function careClientById(db: Kysely<DB>, id: number): Promise<CareClientRecord | undefined> {
  return (await sql<CareClientRecord>`SELECT ${CARE_COLUMNS} FROM clients c LEFT JOIN staff o ON o.id = c.owner_id WHERE c.id = ${id}`.execute(db)).rows[0]
}

/** A live signed or sold deal, with the moment it was first signed (or sold), for the anniversary list. */
export interface DealRecord extends CareClientRecord {
  signed_at: string
  unit: string
}

/**
 * The live signed or sold deals of the live clients in scope (optionally one client), each with
 * when it was first signed or sold. A branch holds thousands of deals at most; the caller keeps
 * those whose anniversary falls in the week.
 */
export async function dealsOf(db: Kysely<DB>, scope: OwnerScope, clientId?: number): Promise<DealRecord[]> {
  const one = clientId === undefined ? sql`` : sql`AND c.id = ${clientId}`
  return (
    await sql<DealRecord>`SELECT ${CARE_COLUMNS}, b.name || '-' || u.number AS unit,
        (SELECT min(s.at) FROM transaction_steps s WHERE s.tx_id = t.id AND s.status IN ('sign','sold')) AS signed_at
      FROM unit_transactions t
      JOIN clients c ON c.id = t.client_id
      JOIN units u ON u.id = t.unit_id JOIN buildings b ON b.id = u.building_id
      LEFT JOIN staff o ON o.id = c.owner_id
      WHERE t.live = 1 AND t.status IN ('sign','sold') AND ${LIVE} ${ownerFilter(scope)} ${one}`.execute(db)
  ).rows.filter((r) => r.signed_at !== null)
}

/** A handover done: a closed 交房 ticket of a live client in scope. */
export interface HandoverRecord extends CareClientRecord {
  closed_at: string
}

/** The handover tickets closed between two instants (UTC ISO) for the live clients in scope (optionally one client). */
export async function handoversBetween(db: Kysely<DB>, scope: OwnerScope, fromIso: string, toIso: string, clientId?: number): Promise<HandoverRecord[]> {
  const one = clientId === undefined ? sql`` : sql`AND c.id = ${clientId}`
  return (
    await sql<HandoverRecord>`SELECT ${CARE_COLUMNS}, t.closed_at
      FROM tickets t JOIN ticket_categories k ON k.id = t.category_id AND k.code = 'handover'
      JOIN clients c ON c.id = t.client_id LEFT JOIN staff o ON o.id = c.owner_id
      WHERE t.state = 'closed' AND t.closed_at >= ${fromIso} AND t.closed_at < ${toIso} AND ${LIVE} ${ownerFilter(scope)} ${one}`.execute(db)
  ).rows
}
