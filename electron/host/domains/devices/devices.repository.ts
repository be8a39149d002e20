import type { Kysely, Selectable } from 'kysely'
import type { DB, PairedDevicesTable } from '../../db/schema'

/** Every paired device, live ones first, newest first. */
export function listDevices(db: Kysely<DB>): Promise<Selectable<PairedDevicesTable>[]> {
  return db
    .selectFrom('paired_devices')
    .selectAll()
    .orderBy((eb) => eb.case().when('revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('id', 'desc')
    .execute()
}

/** The name of who is signed in from `address` now: the newest live session from it. */
export async function signedInFrom(db: Kysely<DB>, address: string, nowIso: string): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('staff', 'staff.id', 'sessions.staff_id')
    .select('staff.name')
    .where('sessions.address', '=', address)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', nowIso)
    .orderBy('sessions.last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.name ?? null
}

/** One device by id. */
export function findDevice(db: Kysely<DB>, id: number): Promise<Selectable<PairedDevicesTable> | undefined> {
  return db.selectFrom('paired_devices').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Marks a device revoked (once); returns whether it was live. */
export async function revokeDevice(db: Kysely<DB>, id: number, by: number, atIso: string): Promise<boolean> {
  const r = await db.updateTable('paired_devices').set({ revoked_at: atIso, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
