import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** Whether someone already referred this client (a client is referred once). */
export async function isReferred(db: Kysely<DB>, referredId: number): Promise<boolean> {
  return (await db.selectFrom('referrals').select('referrer_id').where('referred_id', '=', referredId).executeTakeFirst()) !== undefined
}

export async function insertReferral(db: Kysely<DB>, r: { referrerId: number; referredId: number; by: number; at: string }): Promise<void> {
  await db.insertInto('referrals').values({ referrer_id: r.referrerId, referred_id: r.referredId, created_by: r.by, created_at: r.at }).execute()
}
