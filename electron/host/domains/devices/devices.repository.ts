import type { Kysely, Selectable } from 'kysely'
import type { DB, PairedDevicesTable, StandbyFeedsTable } from '../../db/schema'
import type { StandbyState } from '../../standby/standby-feed'
import { feedTriggersProcedure } from '../../db/change-feed'
import { callProcedure } from '../../db/procedures'

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

/** A device's standby row, if the admin made it a standby. */
export function findStandby(db: Kysely<DB>, deviceId: number): Promise<Selectable<StandbyFeedsTable> | undefined> {
  return db.selectFrom('standby_feeds').selectAll().where('device_id', '=', deviceId).executeTakeFirst()
}

/** Makes a device a standby holding the feed from `head` (kept as it is when it already was one). */
export async function setStandby(db: Kysely<DB>, deviceId: number, head: number, atIso: string): Promise<StandbyState> {
  await db.insertInto('standby_feeds').values({ device_id: deviceId, acked_seq: head, allowed_at: atIso }).onConflict((oc) => oc.column('device_id').doNothing()).execute()
  const row = (await findStandby(db, deviceId))!
  return { deviceId, ackedSeq: row.acked_seq, allowedAt: row.allowed_at, lastPullAt: row.last_pull_at, address: row.address }
}

/** The device is no standby any more (its pulls are refused from the commit on). */
export async function clearStandby(db: Kysely<DB>, deviceId: number): Promise<void> {
  await db.deleteFrom('standby_feeds').where('device_id', '=', deviceId).execute()
}

/**
 * Makes the standby feed's triggers when a standby is registered, drops them when none is (see
 * syncChangeTriggers): on the writer, in the calling write's transaction.
 */
export async function syncFeedTriggers(db: Kysely<DB>): Promise<{ fed: boolean }> {
  return callProcedure(db, feedTriggersProcedure, {})
}
