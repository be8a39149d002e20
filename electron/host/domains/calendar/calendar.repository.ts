import { sql, type Kysely } from 'kysely'
import { EVENT_MAX_HOURS } from '@shared/domain/calendar'
import type { DB, TasksTable } from '../../db/schema'
import { aliasIndexedBy } from '../../db/sqlite-sql'
import { selectViewings } from '../viewings/viewings.repository'

/** An ISO time this many hours before another. */
const hoursBefore = (iso: string, hours: number) => new Date(Date.parse(iso) - hours * 3_600_000).toISOString()

/** The people's viewings (not cancelled) starting in [from, to): one range of viewings_agent per person. */
export function viewingsStatement(db: Kysely<DB>, staffIds: readonly number[], from: string, to: string, limit: number) {
  return selectViewings(db).where('v.agent_id', 'in', staffIds).where('v.starts_at', '>=', from).where('v.starts_at', '<', to).where('v.status', '!=', 'cancelled').orderBy('v.starts_at').limit(limit)
}

/**
 * The people's open tasks due in [from, to): one range of tasks_staff_open per person. Named:
 * the planner would otherwise range over every open task of the branch due then (tasks_open_due).
 */
export function tasksStatement(db: Kysely<DB>, staffIds: readonly number[], from: string, to: string, limit: number) {
  return db
    .selectFrom(sql<TasksTable>`tasks`.as<'t'>(aliasIndexedBy('t', 'tasks_staff_open')))
    .select(['t.id', 't.staff_id', 't.client_id', 't.text_key', 't.text_params', 't.detail', 't.due_at'])
    .where('t.staff_id', 'in', staffIds)
    .where('t.status', '=', 'open')
    .where('t.due_at', '>=', from)
    .where('t.due_at', '<', to)
    .orderBy('t.due_at')
    .limit(limit)
}

/** The branch's team events (not cancelled) running in [from, to): a range of team_events_time reaching back the longest event. */
export function eventsStatement(db: Kysely<DB>, from: string, to: string, limit: number) {
  return db
    .selectFrom('team_events as e')
    .selectAll('e')
    .where('e.cancelled_at', 'is', null)
    .where('e.starts_at', '>=', hoursBefore(from, EVENT_MAX_HOURS))
    .where('e.starts_at', '<', to)
    .where('e.ends_at', '>', from)
    .orderBy('e.starts_at')
    .limit(limit)
}

export type TeamEventRow = Awaited<ReturnType<ReturnType<typeof eventsStatement>['execute']>>[number]

/** The participants of some events. */
export async function participantsOf(db: Kysely<DB>, eventIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>()
  if (eventIds.length === 0) return out
  const rows = await db.selectFrom('team_event_participants').select(['event_id', 'staff_id']).where('event_id', 'in', eventIds).orderBy('event_id').orderBy('staff_id').execute()
  for (const r of rows) {
    const list = out.get(r.event_id)
    if (list) list.push(r.staff_id)
    else out.set(r.event_id, [r.staff_id])
  }
  return out
}

/**
 * What the people already have in [from, to): their viewings (a viewing longer than the longest
 * event is not looked for) and the team events they take part in, by the per-person indexes.
 */
export async function busyDuring(db: Kysely<DB>, staffIds: readonly number[], from: string, to: string) {
  const since = hoursBefore(from, EVENT_MAX_HOURS)
  const viewings = await db
    .selectFrom('viewings as v')
    .select(['v.id', 'v.agent_id as staff_id'])
    .where('v.agent_id', 'in', staffIds)
    .where('v.starts_at', '>=', since)
    .where('v.starts_at', '<', to)
    .where('v.ends_at', '>', from)
    .where('v.status', '=', 'booked')
    .execute()
  const events = await db
    .selectFrom('team_event_participants as p')
    .innerJoin('team_events as e', 'e.id', 'p.event_id')
    .select(['e.id', 'p.staff_id'])
    .where('p.staff_id', 'in', staffIds)
    .where('p.starts_at', '>=', since)
    .where('p.starts_at', '<', to)
    .where('e.ends_at', '>', from)
    .where('e.cancelled_at', 'is', null)
    .execute()
  return [...viewings.map((v) => ({ staffId: v.staff_id, key: `viewing:${v.id}` })), ...events.map((e) => ({ staffId: e.staff_id, key: `event:${e.id}` }))]
}

/** Stores a team event and its participants; returns its id. */
export async function insertTeamEvent(
  db: Kysely<DB>,
  e: { kind: 'meeting' | 'duty' | 'training' | 'other'; title: string; place: string | null; startsAt: string; endsAt: string; participantIds: readonly number[]; by: number; at: string },
): Promise<number> {
  const { id } = await db
    .insertInto('team_events')
    .values({ kind: e.kind, title: e.title, place: e.place, starts_at: e.startsAt, ends_at: e.endsAt, created_by: e.by, created_at: e.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('team_event_participants')
    .values(e.participantIds.map((staffId) => ({ event_id: id, staff_id: staffId, starts_at: e.startsAt })))
    .execute()
  return id
}

/** A team event by id. */
export async function findTeamEvent(db: Kysely<DB>, id: number): Promise<TeamEventRow | undefined> {
  return db.selectFrom('team_events as e').selectAll('e').where('e.id', '=', id).executeTakeFirst()
}

/** Marks a team event cancelled. */
export async function cancelTeamEvent(db: Kysely<DB>, id: number, version: number, at: string): Promise<void> {
  await db.updateTable('team_events').set({ cancelled_at: at, version: version + 1 }).where('id', '=', id).execute()
}

/** Active staff among some ids, with name, role and team. */
export async function activeStaffAmong(db: Kysely<DB>, ids: readonly number[]) {
  if (ids.length === 0) return []
  return db.selectFrom('staff').select(['id', 'name', 'role', 'team']).where('id', 'in', ids).where('active', '=', 1).orderBy('id').execute()
}

/** The branch's active people with a calendar (everyone but the admins), or one team's. */
export async function calendarPeople(db: Kysely<DB>, team: string | null) {
  let q = db.selectFrom('staff').select(['id', 'name', 'role', 'team']).where('active', '=', 1).where('role', '!=', 'admin')
  if (team !== null) q = q.where('team', '=', team)
  return q.orderBy('id').execute()
}
