import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** When the client last came to the counter. */
export async function lastVisitAt(db: Kysely<DB>, clientId: number): Promise<string | null> {
  return (await db.selectFrom('visits').select('at').where('client_id', '=', clientId).orderBy('at', 'desc').limit(1).executeTakeFirst())?.at ?? null
}

/** Records a visit (到访登记); returns its id. */
export async function insertVisit(
  db: Kysely<DB>,
  v: { clientId: number; cardId: number | null; by: number; ownerId: number | null; at: string; protectedUntil: string | null; campaignId: number | null },
): Promise<number> {
  const row = await db
    .insertInto('visits')
    .values({ client_id: v.clientId, card_id: v.cardId, registered_by: v.by, owner_id: v.ownerId, at: v.at, protected_until: v.protectedUntil, campaign_id: v.campaignId })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
