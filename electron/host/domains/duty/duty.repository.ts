import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** The roster of a day, with the agents' names. */
export async function dutyOf(db: Kysely<DB>, day: string) {
  return db
    .selectFrom('duty_roster as d')
    .innerJoin('staff as s', 's.id', 'd.staff_id')
    .select(['d.staff_id', 'd.region', 'd.client_kind', 's.name'])
    .where('d.day', '=', day)
    .orderBy('s.name')
    .execute()
}

/** Replaces the roster of a day. */
export async function replaceDuty(db: Kysely<DB>, day: string, entries: ReadonlyArray<{ staffId: number; region: string | null; clientKind: string | null }>): Promise<void> {
  await db.deleteFrom('duty_roster').where('day', '=', day).execute()
  if (entries.length === 0) return
  await db
    .insertInto('duty_roster')
    .values(entries.map((e) => ({ day, staff_id: e.staffId, region: e.region, client_kind: e.clientKind })))
    .execute()
}

/** Takes a staff member off the roster from a day on (they left). */
export async function clearDutyFrom(db: Kysely<DB>, staffId: number, fromDay: string): Promise<void> {
  await db.deleteFrom('duty_roster').where('staff_id', '=', staffId).where('day', '>=', fromDay).execute()
}

/** An on-duty agent who could take a new enquiry: their book's size and when they last got one. */
export interface RotaCandidate {
  staff_id: number
  load: number
  last: string | null
}

/**
 * The active agents on duty on a day whose entry fits the client's region and type, least
 * recently assigned first (never assigned before anyone), then by book size.
 */
export async function rotaCandidates(db: Kysely<DB>, day: string, region: string | null, kind: string): Promise<RotaCandidate[]> {
  const onDuty = db
    .selectFrom('duty_roster as d')
    .innerJoin('staff as s', 's.id', 'd.staff_id')
    .select((eb) => [
      'd.staff_id',
      eb
        .selectFrom('clients as o')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('o.owner_id', '=', 'd.staff_id')
        .where('o.merged_into', 'is', null)
        .as('load'),
      eb
        .selectFrom('assignments as a')
        .select((x) => x.fn.max('a.assigned_at').as('m'))
        .whereRef('a.staff_id', '=', 'd.staff_id')
        .as('last'),
    ])
    .where('d.day', '=', day)
    .where('s.active', '=', 1)
    .where('s.role', 'in', ['agent', 'senior_agent'])
    .where((eb) => eb.or([eb('d.region', 'is', null), eb('d.region', '=', region)]))
    .where((eb) => eb.or([eb('d.client_kind', 'is', null), eb('d.client_kind', '=', kind)]))
  // ordered outside: an ORDER BY expression may not name a select alias everywhere (PostgreSQL)
  const rows = await db
    .selectFrom(onDuty.as('r'))
    .selectAll()
    .orderBy((eb) => eb('r.last', 'is not', null))
    .orderBy('r.last')
    .orderBy('r.load')
    .orderBy('r.staff_id')
    .execute()
  return rows.map((r) => ({ staff_id: r.staff_id, load: Number(r.load ?? 0), last: r.last }))
}
