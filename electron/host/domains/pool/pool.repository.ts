import type { Kysely } from 'kysely'
import { keysetRanges, readAfter, type PageKey } from '../../db/keyset'
import type { DB } from '../../db/schema'
import { selectClientRows, type ClientRowRecord } from '../clients/clients.repository'

/** One page of the public pool (live, unowned, not lost), most recently returned first, and its size. */
/** The public pool's clients (live, unowned, not lost), of one region when named. */
function poolClients(db: Kysely<DB>, region: string | undefined) {
  return selectClientRows(db)
    .where('c.owner_id', 'is', null)
    .where('c.merged_into', 'is', null)
    .where('c.stage', '!=', 'lost')
    .$if(region !== undefined, (qb) => qb.where('c.region', '=', region ?? ''))
}

/** The pool after `after` (null: from the first) in poolPage's order, at most `limit`: an export's slice, read by keyset. */
export async function poolAfter(db: Kysely<DB>, region: string | undefined, after: PageKey | null, limit: number): Promise<{ rows: ClientRowRecord[]; last: PageKey | null }> {
  const rows = await readAfter(keysetRanges(['c.pooled_at'], 'c.id', 'desc', after), limit, (range, n) =>
    poolClients(db, region).select('c.pooled_at').where(range).orderBy('c.pooled_at', 'desc').orderBy('c.id', 'desc').limit(n).execute(),
  )
  const end = rows.at(-1)
  return { rows, last: end ? { values: [end.pooled_at], id: end.id } : null }
}

export async function poolPage(db: Kysely<DB>, region: string | undefined, offset: number, limit: number): Promise<{ rows: ClientRowRecord[]; total: number }> {
  const [rows, total] = await Promise.all([
    poolClients(db, region)
      .orderBy('c.pooled_at', 'desc')
      .orderBy('c.id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    db
      .selectFrom('clients as c')
      .where('c.owner_id', 'is', null)
      .where('c.merged_into', 'is', null)
      .where('c.stage', '!=', 'lost')
      .$if(region !== undefined, (qb) => qb.where('c.region', '=', region ?? ''))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}

/** How many pool clients a staff member claimed on a branch day. */
export async function claimsOn(db: Kysely<DB>, staffId: number, day: string): Promise<number> {
  const r = await db
    .selectFrom('pool_claims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staffId)
    .where('day', '=', day)
    .executeTakeFirstOrThrow()
  return r.n
}

/** A claim: on record for the daily cap, and the client is the claimer's from now. */
export async function claim(db: Kysely<DB>, clientId: number, staffId: number, at: string, day: string): Promise<void> {
  await db.insertInto('pool_claims').values({ client_id: clientId, staff_id: staffId, claimed_at: at, day }).execute()
  await db
    .updateTable('clients')
    .set((eb) => ({ owner_id: staffId, claimed_at: at, pooled_at: null, last_activity_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', clientId)
    .execute()
}
