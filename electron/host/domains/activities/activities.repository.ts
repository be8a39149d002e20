import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** An activity with how many signed up and how many came. */
export async function findActivity(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('activities as a')
    .selectAll('a')
    .select((eb) => [
      eb.selectFrom('activity_signups as s').select((x) => x.fn.countAll<number>().as('n')).whereRef('s.activity_id', '=', 'a.id').as('signed_up'),
      eb.selectFrom('activity_signups as s').select((x) => x.fn.countAll<number>().as('n')).whereRef('s.activity_id', '=', 'a.id').where('s.checked_in_at', 'is not', null).as('checked_in'),
    ])
    .where('a.id', '=', id)
    .executeTakeFirst()
}

/** The ids of activities still running from a time on, soonest first (at most 200). */
export async function activityIdsFrom(db: Kysely<DB>, from: string): Promise<number[]> {
  return (await db.selectFrom('activities').select('id').where('ends_at', '>=', from).orderBy('starts_at').limit(200).execute()).map((r) => r.id)
}

export async function insertActivity(
  db: Kysely<DB>,
  a: { name: string; startsAt: string; endsAt: string; place: string | null; capacity: number | null; points: number; by: number; at: string },
): Promise<number> {
  const r = await db
    .insertInto('activities')
    .values({ name: a.name, starts_at: a.startsAt, ends_at: a.endsAt, place: a.place, capacity: a.capacity, points: a.points, created_by: a.by, created_at: a.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** Signs a member up; false when they already were. */
export async function signUp(db: Kysely<DB>, activityId: number, clientId: number, at: string): Promise<boolean> {
  const r = await db
    .insertInto('activity_signups')
    .values({ activity_id: activityId, client_id: clientId, signed_up_at: at })
    .onConflict((oc) => oc.columns(['activity_id', 'client_id']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0
}

export async function findSignUp(db: Kysely<DB>, activityId: number, clientId: number) {
  return db.selectFrom('activity_signups').selectAll().where('activity_id', '=', activityId).where('client_id', '=', clientId).executeTakeFirst()
}

/** A walk-in: signed up and checked in at once. */
export async function insertWalkIn(db: Kysely<DB>, activityId: number, clientId: number, at: string): Promise<void> {
  await db.insertInto('activity_signups').values({ activity_id: activityId, client_id: clientId, signed_up_at: at, checked_in_at: at }).execute()
}

export async function checkIn(db: Kysely<DB>, activityId: number, clientId: number, at: string): Promise<void> {
  await db.updateTable('activity_signups').set({ checked_in_at: at }).where('activity_id', '=', activityId).where('client_id', '=', clientId).execute()
}
