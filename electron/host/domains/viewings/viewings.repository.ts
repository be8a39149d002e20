import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** Viewings with their client's name, code and owner (for who sees the feedback) and the agent's name. */
export function selectViewings(db: Kysely<DB>) {
  return db
    .selectFrom('viewings as v')
    .innerJoin('clients as c', 'c.id', 'v.client_id')
    .innerJoin('staff as a', 'a.id', 'v.agent_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .leftJoin('units as u', 'u.id', 'v.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('projects as p', 'p.id', 'b.project_id')
    .selectAll('v')
    .select(['c.name as client_name', 'c.code as client_code', 'a.name as agent_name', 'c.owner_id as client_owner_id', 'o.team as client_owner_team'])
    .select(['p.name as project_name', 'b.name as building_name', 'u.number as unit_number'])
}

export type ViewingRow = Awaited<ReturnType<ReturnType<typeof selectViewings>['executeTakeFirstOrThrow']>>

export async function findViewing(db: Kysely<DB>, id: number): Promise<ViewingRow | undefined> {
  return selectViewings(db).where('v.id', '=', id).executeTakeFirst()
}

/**
 * The first booked viewing that overlaps [startsAt, endsAt) for the same agent, the same client
 * or (when given) the same unit; `kind` says which of the three it shares (agent first).
 */
export async function overlappingViewing(db: Kysely<DB>, w: { agentId: number; clientId: number; unitId: number | undefined; startsAt: string; endsAt: string }) {
  return db
    .selectFrom('viewings as v')
    .innerJoin('clients as c', 'c.id', 'v.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select((eb) => [
      'v.id',
      eb.case().when('v.agent_id', '=', w.agentId).then('agent').when('v.client_id', '=', w.clientId).then('client').else('unit').end().as('kind'),
      'v.starts_at',
      'c.name as client_name',
      'v.agent_id',
      'c.owner_id',
      'o.team as owner_team',
    ])
    .where('v.status', '=', 'booked')
    .where('v.starts_at', '<', w.endsAt)
    .where('v.ends_at', '>', w.startsAt)
    .where((eb) =>
      eb.or([eb('v.agent_id', '=', w.agentId), eb('v.client_id', '=', w.clientId), ...(w.unitId === undefined ? [] : [eb('v.unit_id', '=', w.unitId)])]),
    )
    .limit(1)
    .executeTakeFirst()
}

/** Books a viewing; returns its id. */
export async function insertViewing(
  db: Kysely<DB>,
  v: { clientId: number; agentId: number; unitId: number | null; address: string | null; startsAt: string; endsAt: string; by: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto('viewings')
    .values({
      client_id: v.clientId,
      agent_id: v.agentId,
      unit_id: v.unitId,
      address: v.address,
      starts_at: v.startsAt,
      ends_at: v.endsAt,
      created_by: v.by,
      created_at: v.at,
      updated_at: v.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** An agent's viewings that overlap a period, earliest first. */
export async function viewingsOfAgent(db: Kysely<DB>, agentId: number, from: string, to: string): Promise<ViewingRow[]> {
  return selectViewings(db).where('v.agent_id', '=', agentId).where('v.starts_at', '<', to).where('v.ends_at', '>', from).orderBy('v.starts_at').execute()
}

/** An agent's viewings starting in a period that are not cancelled (the home screen's day). */
export async function liveViewingsOfAgent(db: Kysely<DB>, agentId: number, from: string, to: string): Promise<ViewingRow[]> {
  return selectViewings(db)
    .where('v.agent_id', '=', agentId)
    .where('v.starts_at', '>=', from)
    .where('v.starts_at', '<', to)
    .where('v.status', '!=', 'cancelled')
    .orderBy('v.starts_at')
    .execute()
}

/** A client's viewings, latest first; `liveOnly` leaves out cancelled ones. */
export async function viewingsOfClient(db: Kysely<DB>, clientId: number, limit: number, liveOnly = false): Promise<ViewingRow[]> {
  let q = selectViewings(db).where('v.client_id', '=', clientId)
  if (liveOnly) q = q.where('v.status', '!=', 'cancelled')
  return q.orderBy('v.starts_at', 'desc').limit(limit).execute()
}

/** Records how a viewing went. */
export async function recordViewing(db: Kysely<DB>, id: number, r: { status: string; feedback: string | null; version: number; at: string }): Promise<void> {
  await db.updateTable('viewings').set({ status: r.status, feedback: r.feedback, updated_at: r.at, version: r.version + 1 }).where('id', '=', id).execute()
}
