import type { Kysely } from 'kysely'
import { levelFor } from '@shared/domain/club'
import type { DB } from '../../db/schema'

/** A member's balance and level, computed from the append-only ledger. */
export async function standingOf(db: Kysely<DB>, clientId: number) {
  const [sum, levels] = await Promise.all([
    db.selectFrom('points_ledger').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('delta'), eb.lit(0)).as('p')).where('client_id', '=', clientId).executeTakeFirstOrThrow(),
    db.selectFrom('club_levels').selectAll().orderBy('min_points').execute(),
  ])
  return levelFor(Number(sum.p), levels.map((l) => ({ name: l.name, minPoints: l.min_points, discountPermille: l.discount_permille })))
}

/** Adds one ledger entry; a `ref` makes it happen at most once (e.g. `viewing:12`). Returns false if it already had. */
export async function award(
  db: Kysely<DB>,
  e: { clientId: number; delta: number; kind: string; reason: string; ref: string | null; staffId: number | null; at: string; reverses?: number },
): Promise<boolean> {
  const r = await db
    .insertInto('points_ledger')
    .values({ client_id: e.clientId, delta: e.delta, kind: e.kind, reason: e.reason, ref: e.ref, reverses: e.reverses ?? null, staff_id: e.staffId, at: e.at })
    .onConflict((oc) => oc.column('ref').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}
