import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** A staff member's stored preference (JSON text), if any. */
export async function readPref(db: Kysely<DB>, staffId: number, key: string): Promise<string | undefined> {
  return (await db.selectFrom('user_prefs').select('value').where('staff_id', '=', staffId).where('key', '=', key).executeTakeFirst())?.value
}

/** Stores a staff member's preference, replacing what was there. */
export async function writePref(db: Kysely<DB>, staffId: number, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto('user_prefs')
    .values({ staff_id: staffId, key, value, updated_at: now })
    .onConflict((oc) => oc.columns(['staff_id', 'key']).doUpdateSet({ value, updated_at: now }))
    .execute()
}
