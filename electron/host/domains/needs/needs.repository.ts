import type { Kysely, Selectable } from 'kysely'
import type { DB, RequirementsTable } from '../../db/schema'

export type RequirementRecord = Selectable<RequirementsTable>

/** How many active needs a client has (completeness, the profile). */
export async function activeNeedCount(db: Kysely<DB>, clientId: number): Promise<number> {
  const r = await db
    .selectFrom('requirements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  return r.n
}

/** The stored data of a client's active needs (matching reads them). */
export async function activeNeedData(db: Kysely<DB>, clientId: number): Promise<string[]> {
  return (await db.selectFrom('requirements').select('data').where('client_id', '=', clientId).where('active', '=', 1).execute()).map((r) => r.data)
}

export async function findNeed(db: Kysely<DB>, id: number): Promise<RequirementRecord | undefined> {
  return db.selectFrom('requirements').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A client's needs, active only unless asked, in the order they were recorded. */
export async function needsOf(db: Kysely<DB>, clientId: number, includeInactive: boolean): Promise<RequirementRecord[]> {
  let q = db.selectFrom('requirements').selectAll().where('client_id', '=', clientId)
  if (!includeInactive) q = q.where('active', '=', 1)
  return q.orderBy('id').execute()
}

export async function insertNeed(db: Kysely<DB>, n: { clientId: number; kind: string; data: string; by: number | null; at: string }): Promise<RequirementRecord> {
  return db
    .insertInto('requirements')
    .values({ client_id: n.clientId, kind: n.kind, active: 1, data: n.data, created_by: n.by, created_at: n.at, updated_at: n.at })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Saves a new version of a need, keeping the one it replaces in its history. */
export async function updateNeed(
  db: Kysely<DB>,
  current: RequirementRecord,
  next: { kind: string; data: string; active: number; by: number | null; at: string },
): Promise<RequirementRecord> {
  await db
    .insertInto('requirement_history')
    .values({ requirement_id: current.id, version: current.version, data: current.data, changed_by: next.by, changed_at: current.updated_at })
    .execute()
  return db
    .updateTable('requirements')
    .set({ data: next.data, kind: next.kind, active: next.active, updated_at: next.at, version: current.version + 1 })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A need's earlier versions, newest first, with who saved each. */
export async function needHistory(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('requirement_history as h')
    .leftJoin('staff as s', 's.id', 'h.changed_by')
    .select(['h.version', 'h.data', 'h.changed_at', 's.name'])
    .where('h.requirement_id', '=', id)
    .orderBy('h.version', 'desc')
    .execute()
}
