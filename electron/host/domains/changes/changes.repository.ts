import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { ChangeRequestsTable, DB } from '../../db/schema'

export type ChangeRecord = Selectable<ChangeRequestsTable>

export async function findRequest(db: Kysely<DB>, id: number): Promise<ChangeRecord | undefined> {
  return db.selectFrom('change_requests').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A pending request on the same unit, or (without a unit) a pending 批量调价 of the same project; `except` is the request itself. */
export async function pendingOn(db: Kysely<DB>, on: { unitId: number | null; projectId: number }, except: number | null): Promise<boolean> {
  let q = db.selectFrom('change_requests').select('id').where('status', '=', 'pending')
  q = on.unitId !== null ? q.where('unit_id', '=', on.unitId) : q.where('project_id', '=', on.projectId).where('kind', '=', 'bulkPrice')
  if (except !== null) q = q.where('id', '!=', except)
  return (await q.executeTakeFirst()) !== undefined
}

export async function insertRequest(db: Kysely<DB>, r: Insertable<ChangeRequestsTable>): Promise<ChangeRecord> {
  return db.insertInto('change_requests').values(r).returningAll().executeTakeFirstOrThrow()
}

export async function updateRequest(db: Kysely<DB>, id: number, cols: Updateable<ChangeRequestsTable>): Promise<ChangeRecord> {
  return db.updateTable('change_requests').set(cols).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/**
 * Requests, newest first (at most 500), filtered; `visibleTo` keeps those of a non-manager: their
 * own, those on their deals, and those a step of their role decides.
 */
export async function listRequests(
  db: Kysely<DB>,
  f: { status?: string | undefined; unitId?: number | undefined; projectId?: number | undefined },
  visibleTo: { staffId: number; role: string } | null,
): Promise<ChangeRecord[]> {
  let q = db.selectFrom('change_requests as r').selectAll('r')
  if (f.status) q = q.where('r.status', '=', f.status)
  if (f.unitId) q = q.where('r.unit_id', '=', f.unitId)
  if (f.projectId) q = q.where('r.project_id', '=', f.projectId)
  if (visibleTo) {
    q = q.where((eb) =>
      eb.or([
        eb('r.requested_by', '=', visibleTo.staffId),
        eb.exists(eb.selectFrom('unit_transactions as t').select('t.id').whereRef('t.id', '=', 'r.tx_id').where('t.agent_id', '=', visibleTo.staffId)),
        eb('r.steps', 'like', `%"${visibleTo.role}"%`),
      ]),
    )
  }
  return q.orderBy('r.id', 'desc').limit(500).execute()
}

/** Whether this person decided a step of this round of the request already (and which). */
export async function decisionBy(db: Kysely<DB>, changeId: number, round: number, staffId: number) {
  return db.selectFrom('change_decisions').select('step').where('change_id', '=', changeId).where('round', '=', round).where('staff_id', '=', staffId).executeTakeFirst()
}

/** One decision in a request's approval trail. */
export async function insertDecision(
  db: Kysely<DB>,
  d: { changeId: number; round: number; step: number; role: string; staffId: number; approve: boolean; comment: string | null; at: string },
): Promise<void> {
  await db
    .insertInto('change_decisions')
    .values({ change_id: d.changeId, round: d.round, step: d.step, role: d.role, staff_id: d.staffId, approve: d.approve ? 1 : 0, comment: d.comment, at: d.at })
    .execute()
}

/** The decisions on these requests, with who made them. */
export async function decisionsOf(db: Kysely<DB>, changeIds: readonly number[]) {
  return db
    .selectFrom('change_decisions as d')
    .innerJoin('staff as s', 's.id', 'd.staff_id')
    .select(['d.change_id', 'd.round', 'd.step', 'd.staff_id', 'd.approve', 'd.comment', 'd.at', 's.name'])
    .where('d.change_id', 'in', changeIds)
    .execute()
}

/** Active staff of one role (who may decide a step of that role). */
export async function activeStaffOfRole(db: Kysely<DB>, role: string): Promise<number[]> {
  const rows = await db.selectFrom('staff').select('id').where('role', '=', role).where('active', '=', 1).execute()
  return rows.map((r) => r.id)
}

/** Names of staff members by id. */
export async function staffNames(db: Kysely<DB>, ids: readonly number[]) {
  return ids.length ? db.selectFrom('staff').select(['id', 'name']).where('id', 'in', ids).execute() : []
}

/** Building names and numbers of units by id (to label them "1号楼-202"). */
export async function unitNames(db: Kysely<DB>, ids: readonly number[]) {
  return ids.length ? db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select(['u.id', 'b.name', 'u.number']).where('u.id', 'in', ids).execute() : []
}

/** Client names by id. */
export async function clientNames(db: Kysely<DB>, ids: readonly number[]) {
  return ids.length ? db.selectFrom('clients').select(['id', 'name']).where('id', 'in', ids).execute() : []
}
