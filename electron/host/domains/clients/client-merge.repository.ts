import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { deleteSearchTerms } from './clients.repository'

/** Keeps what a merge did: the merged record as it was, who merged it into which client and why. */
export async function insertMergeRecord(db: Kysely<DB>, m: { keptId: number; mergedId: number; reason: string; snapshot: unknown; by: number; at: string }): Promise<void> {
  await db
    .insertInto('client_merges')
    .values({ kept_id: m.keptId, merged_id: m.mergedId, reason: m.reason, snapshot: JSON.stringify(m.snapshot), merged_by: m.by, merged_at: m.at })
    .execute()
}

/** Moves the merged record's phones and needs to the kept one; its phones go after the kept record's own. */
export async function moveContactData(db: Kysely<DB>, fromId: number, toId: number, movedPhoneIds: readonly number[], keptPhoneCount: number): Promise<void> {
  await db.updateTable('client_phones').set({ client_id: toId }).where('client_id', '=', fromId).execute()
  await db
    .updateTable('client_phones')
    .set((eb) => ({ position: eb('position', '+', keptPhoneCount) }))
    .where('client_id', '=', toId)
    .where('id', 'in', movedPhoneIds.length ? movedPhoneIds : [0])
    .execute()
  await db.updateTable('requirements').set({ client_id: toId }).where('client_id', '=', fromId).execute()
}

/**
 * Everything that happened to the merged record becomes the kept record's history: contacts,
 * viewings, tasks, visits, cards, claims. A sign-up or referral the kept record already has stays
 * with the merged one (each activity once per client; a client is referred once, never by themselves).
 */
export async function moveHistory(db: Kysely<DB>, fromId: number, toId: number): Promise<void> {
  for (const table of ['collaboration_requests', 'follow_ups', 'viewings', 'tasks', 'notifications', 'visits', 'pool_claims', 'assignments', 'swipe_log'] as const) {
    await db.updateTable(table).set({ client_id: toId }).where('client_id', '=', fromId).execute()
  }
  await db
    .updateTable('activity_signups as s')
    .set({ client_id: toId })
    .where('s.client_id', '=', fromId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('activity_signups as k').select('k.client_id').whereRef('k.activity_id', '=', 's.activity_id').where('k.client_id', '=', toId))),
    )
    .execute()
  await db.updateTable('referrals').set({ referrer_id: toId }).where('referrer_id', '=', fromId).where('referred_id', '!=', toId).execute()
  await db
    .updateTable('referrals')
    .set({ referred_id: toId })
    .where('referred_id', '=', fromId)
    .where('referrer_id', '!=', toId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('referrals as k').select('k.id').where('k.referred_id', '=', toId))))
    .execute()
}

/** The merged record leaves the book: pointed at the kept one, its org name free, out of search. */
export async function retireMerged(db: Kysely<DB>, mergedId: number, keptId: number, at: string): Promise<void> {
  await db
    .updateTable('clients')
    .set((eb) => ({ merged_into: keptId, org_name_key: null, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', '=', mergedId)
    .execute()
  await deleteSearchTerms(db, mergedId)
}
