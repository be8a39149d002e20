import type { Kysely } from 'kysely'
import { levelFor } from '@shared/domain/club'
import type { MemberStanding } from '@shared/domain/member-price'
import type { HostText } from '@shared/contract/host-text'
import type { DB } from '../../db/schema'
import { textJson } from '../../db/stored-text'

/** A member's points: the sum of their ledger. */
export async function pointsBalance(db: Kysely<DB>, clientId: number): Promise<number> {
  const r = await db
    .selectFrom('points_ledger')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delta'), eb.lit(0)).as('p'))
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow()
  return Number(r.p)
}

/** The member levels, lowest first. */
export async function clubLevels(db: Kysely<DB>) {
  const rows = await db.selectFrom('club_levels').selectAll().orderBy('min_points').execute()
  return rows.map((l) => ({ name: l.name, minPoints: l.min_points, discountPermille: l.discount_permille }))
}

/** Replaces the level table. */
export async function replaceLevels(db: Kysely<DB>, levels: ReadonlyArray<{ name: string; minPoints: number; discountPermille: number }>): Promise<void> {
  await db.deleteFrom('club_levels').execute()
  await db.insertInto('club_levels').values(levels.map((l) => ({ name: l.name, min_points: l.minPoints, discount_permille: l.discountPermille }))).execute()
}

/** A member's balance and level, computed from the append-only ledger. */
export async function standingOf(db: Kysely<DB>, clientId: number) {
  const [points, levels] = await Promise.all([pointsBalance(db, clientId), clubLevels(db)])
  return levelFor(points, levels)
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
