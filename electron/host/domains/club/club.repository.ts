import { sql, type Kysely } from 'kysely'
import { LEVEL_RULES, levelFor, levelUnder, sortLevels, type LevelRule, type MemberMeasure, type RuledLevel } from '@shared/domain/club'
import type { MemberStanding } from '@shared/domain/member-price'
import type { HostText } from '@shared/contract/host-text'
import type { DB } from '../../db/schema'
import { textJson } from '../../db/stored-text'
import { readSetting, writeSetting } from '../settings/settings.repository'

/** A member's points: the sum of their ledger. */
export async function pointsBalance(db: Kysely<DB>, clientId: number): Promise<number> {
  const r = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delta'), eb.lit(0)).as('p'))
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow()
  return Number(r.p)
}

const RULE_KEY = 'club.levelRule'

/** The branch's level rule: points (the default, as before migration 027) or purchases. */
export async function levelRule(db: Kysely<DB>): Promise<LevelRule> {
  const v = await readSetting(db, RULE_KEY)
  return (LEVEL_RULES as readonly string[]).includes(v ?? '') ? (v as LevelRule) : 'points'
}

/** Stores the level rule. */
export async function saveLevelRule(db: Kysely<DB>, rule: LevelRule, now: string): Promise<void> {
  await writeSetting(db, RULE_KEY, rule, now)
}

/** The member levels, lowest first under the rule in force. */
export async function clubLevels(db: Kysely<DB>): Promise<RuledLevel[]> {
  const rows = await db.selectFrom('club_levels').selectAll().orderBy('min_points').execute()
  const levels = rows.map((l) => ({ name: l.name, minPoints: l.min_points, discountPermille: l.discount_permille, minAmountFen: l.min_amount, minDeals: l.min_deals }))
  return sortLevels(await levelRule(db), levels)
}

/** Replaces the level table. */
export async function replaceLevels(db: Kysely<DB>, levels: readonly RuledLevel[]): Promise<void> {
  await db.deleteFrom('club_levels').execute()
  await db
    .insertInto('club_levels')
    .values(levels.map((l) => ({ name: l.name, min_points: l.minPoints, discount_permille: l.discountPermille, min_amount: l.minAmountFen, min_deals: l.minDeals })))
    .execute()
}

// a purchase: a live deal signed or sold (a cancelled one is no longer live)
const PURCHASE = sql`t.live = 1 AND t.status IN ('sign','sold')`

/** What a client bought: the amount (fen) and number of their live signed or sold deals. */
export async function purchasesOf(db: Kysely<DB>, clientId: number): Promise<{ amountFen: number; deals: number }> {
  const r = await sql<{ amount: number; deals: number }>`SELECT coalesce(sum(t.price), 0) AS amount, count(*) AS deals
    FROM unit_transactions t WHERE t.client_id = ${clientId} AND ${PURCHASE}`.execute(db)
  return { amountFen: Number(r.rows[0]?.amount ?? 0), deals: Number(r.rows[0]?.deals ?? 0) }
}

/** A member's balance and level: from the append-only ledger, or from their purchases when that is the rule. */
export async function standingOf(db: Kysely<DB>, clientId: number) {
  const [points, levels, rule] = await Promise.all([pointsBalance(db, clientId), clubLevels(db), levelRule(db)])
  if (rule === 'points') return { ...levelFor(points, levels), rule }
  const bought = await purchasesOf(db, clientId)
  const level = levelUnder(rule, { points, ...bought }, levels)
  const next = levels[levels.findIndex((l) => l === level) + 1] ?? null
  return { points, level: level?.name ?? '', discountPermille: level?.discountPermille ?? 0, nextLevel: next?.name ?? null, pointsToNext: null, rule, ...bought }
}

/** Every member (a client holding a card, not merged away) with what the level rules measure, by id. */
export async function memberMeasures(db: Kysely<DB>) {
  const r = await sql<{ id: number; code: string; name: string; points: number; amount: number; deals: number }>`
    SELECT c.id, c.code, c.name,
      coalesce((SELECT sum(l.delta) FROM points_ledger l WHERE l.client_id = c.id), 0) AS points,
      coalesce((SELECT sum(t.price) FROM unit_transactions t WHERE t.client_id = c.id AND ${PURCHASE}), 0) AS amount,
      (SELECT count(*) FROM unit_transactions t WHERE t.client_id = c.id AND ${PURCHASE}) AS deals
    FROM clients c
    WHERE c.merged_into IS NULL AND EXISTS (SELECT 1 FROM member_cards m WHERE m.client_id = c.id)
    ORDER BY c.id`.execute(db)
  return r.rows.map((m) => ({ id: m.id, code: m.code, name: m.name, measure: { points: Number(m.points), amountFen: Number(m.amount), deals: Number(m.deals) } satisfies MemberMeasure }))
}

/**
 * A buyer's club standing for pricing a deal: their level and its discount when they hold a member
 * card (any card: a lost one not yet replaced still makes them a member, as for the purchase
 * points), else null.
 */
export async function memberStandingOf(db: Kysely<DB>, clientId: number): Promise<MemberStanding | null> {
  const card = await db.selectFrom('member_cards').select('id').where('client_id', '=', clientId).limit(1).executeTakeFirst()
  if (!card) return null
  const { level, discountPermille } = await standingOf(db, clientId)
  return { level, discountPermille }
}

/** Adds one ledger entry; a `ref` makes it happen at most once (e.g. `viewing:12`). Returns false if it already had. */
export async function award(
  db: Kysely<DB>,
  e: { clientId: number; delta: number; kind: string; reason: HostText; ref: string | null; staffId: number | null; at: string; reverses?: number },
): Promise<boolean> {
  const r = await db
    .insertInto('points_ledger')
    .values({ client_id: e.clientId, delta: e.delta, kind: e.kind, reason: textJson(e.reason), ref: e.ref, reverses: e.reverses ?? null, staff_id: e.staffId, at: e.at })
    .onConflict((oc) => oc.column('ref').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}

/** One page of a member's ledger, newest first, each entry with who made it and whether it was reversed; and their count. */
export async function ledgerPage(db: Kysely<DB>, clientId: number, offset: number, limit: number) {
  const base = db.selectFrom('points_ledger as l').where('l.client_id', '=', clientId)
  const [rows, total] = await Promise.all([
    base
      .leftJoin('staff as s', 's.id', 'l.staff_id')
      .selectAll('l')
      .select(['s.name as staff_name', (eb) => eb.exists(eb.selectFrom('points_ledger as r').select('r.id').whereRef('r.reverses', '=', 'l.id')).as('reversed')])
      .orderBy('l.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}

export async function findLedgerEntry(db: Kysely<DB>, id: number) {
  return db.selectFrom('points_ledger').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Whether an entry has been reversed already. */
export async function isReversed(db: Kysely<DB>, entryId: number): Promise<boolean> {
  return (await db.selectFrom('points_ledger').select('id').where('reverses', '=', entryId).executeTakeFirst()) !== undefined
}
