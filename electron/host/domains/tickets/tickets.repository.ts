import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import type { OwnerScope } from '../care/care.repository'

/** Tickets with their client's basics and owner, and the names of who took them in and who handles them. */
export function selectTickets(db: Kysely<DB>) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('clients as c', 'c.id', 't.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .innerJoin('staff as i', 'i.id', 't.intake_by')
    .leftJoin('staff as a', 'a.id', 't.assignee_id')
    .selectAll('t')
    .select(['c.code as client_code', 'c.name as client_name', 'c.tier as client_tier', 'c.owner_id', 'o.name as owner_name', 'o.team as owner_team', 'i.name as intake_name', 'a.name as assignee_name'])
}
export type TicketRecord = Awaited<ReturnType<ReturnType<typeof selectTickets>['executeTakeFirstOrThrow']>>

export async function findTicket(db: Kysely<DB>, id: number): Promise<TicketRecord | undefined> {
  return selectTickets(db).where('t.id', '=', id).executeTakeFirst()
}

/** Whose tickets a list holds: everyone's (a manager), or those the caller took in, handles, or whose client's owner is in scope. */
export type TicketScope = 'all' | { staffId: number; owners: OwnerScope | null }

export interface TicketFilter {
  state?: string
  assigneeId?: number
  clientId?: number
  /** open past their deadline at this time */
  overdueAt?: string
}

/** One page of the tickets in scope matching the filter, newest first, and how many there are. */
export async function ticketsPage(db: Kysely<DB>, scope: TicketScope, f: TicketFilter, offset: number, limit: number) {
  let q = selectTickets(db)
  if (scope !== 'all') {
    const { staffId, owners } = scope
    q = q.where((eb) => {
      const mine = [eb('t.intake_by', '=', staffId), eb('t.assignee_id', '=', staffId)]
      if (owners === 'all') mine.push(eb.lit(true))
      else if (owners !== null) mine.push(eb('c.owner_id', 'in', owners.ownerIds))
      return eb.or(mine)
    })
  }
  if (f.state !== undefined) q = q.where('t.state', '=', f.state)
  if (f.assigneeId !== undefined) q = q.where('t.assignee_id', '=', f.assigneeId)
  if (f.clientId !== undefined) q = q.where('t.client_id', '=', f.clientId)
  if (f.overdueAt !== undefined) q = q.where('t.state', 'in', ['dispatched', 'handling']).where('t.deadline_at', '<', f.overdueAt)
  const [rows, total] = await Promise.all([
    q.orderBy('t.id', 'desc').offset(offset).limit(limit).execute(),
    db
      .selectFrom(q.clearSelect().select(sql<number>`1`.as('one')).as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}

export async function insertTicket(db: Kysely<DB>, t: { clientId: number; categoryId: number; channel: string; content: string; intakeBy: number; at: string }): Promise<number> {
  const r = await db
    .insertInto('tickets')
    .values({ client_id: t.clientId, category_id: t.categoryId, channel: t.channel, content: t.content, state: 'new', intake_by: t.intakeBy, created_at: t.at, updated_at: t.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

type TicketChange = Partial<Pick<DB['tickets'], 'state' | 'assignee_id' | 'deadline_at' | 'dispatched_at' | 'handling_at' | 'fed_back_at' | 'feedback' | 'closed_at' | 'return_visit' | 'satisfaction'>> & {
  dispatches?: number
}

/** Applies a change to a ticket read at `version`; false when someone changed it meanwhile. */
export async function updateTicket(db: Kysely<DB>, id: number, version: number, change: TicketChange, at: string): Promise<boolean> {
  const r = await db
    .updateTable('tickets')
    .set({ ...change, updated_at: at, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The event key of a ticket's task for one of its dispatches: the task that escalates when overdue. */
export function ticketTaskKey(ticketId: number, dispatch: number): string {
  return `ticket:${ticketId}:${dispatch}`
}

/** The id of a ticket's task for one of its dispatches. */
export async function ticketTaskId(db: Kysely<DB>, ticketId: number, dispatch: number): Promise<number> {
  return (await db.selectFrom('tasks').select('id').where('event_key', '=', ticketTaskKey(ticketId, dispatch)).executeTakeFirstOrThrow()).id
}

/** Closes a ticket's open task (answered, or dispatched to someone else): `done` or `cancelled`. */
export async function endTicketTask(db: Kysely<DB>, ticketId: number, dispatch: number, status: 'done' | 'cancelled', at: string): Promise<void> {
  await db.updateTable('tasks').set({ status, done_at: at }).where('event_key', '=', ticketTaskKey(ticketId, dispatch)).where('status', '=', 'open').execute()
}

export async function listCategories(db: Kysely<DB>) {
  return db.selectFrom('ticket_categories').selectAll().orderBy('sort').orderBy('id').execute()
}
export type CategoryRecord = Awaited<ReturnType<typeof listCategories>>[number]

export async function findCategory(db: Kysely<DB>, id: number): Promise<CategoryRecord | undefined> {
  return db.selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirst()
}

export interface CategoryValues {
  kind: string
  nameZh: string
  nameEn: string
  hours: { vip: number; key: number; normal: number; potential: number }
  active: boolean
}

const categoryColumns = (c: CategoryValues) => ({
  kind: c.kind,
  name_zh: c.nameZh,
  name_en: c.nameEn,
  hours_vip: c.hours.vip,
  hours_key: c.hours.key,
  hours_normal: c.hours.normal,
  hours_potential: c.hours.potential,
  active: c.active ? 1 : 0,
})

/** A new category, after the others; its code is made from its id (the seeded ones keep theirs). */
export async function insertCategory(db: Kysely<DB>, c: CategoryValues): Promise<number> {
  const last = await db
    .selectFrom('ticket_categories')
    .select((eb) => [eb.fn.max('sort').as('sort'), eb.fn.max('id').as('id')])
    .executeTakeFirst()
  // one writer: the next id is max + 1 within this transaction
  const id = (last?.id ?? 0) + 1
  await db
    .insertInto('ticket_categories')
    .values({ ...categoryColumns(c), id, code: `custom-${id}`, sort: (last?.sort ?? 0) + 1 })
    .execute()
  return id
}

/** Edits a category read at `version`; false when someone changed it meanwhile. */
export async function updateCategory(db: Kysely<DB>, id: number, version: number, c: CategoryValues): Promise<boolean> {
  const r = await db
    .updateTable('ticket_categories')
    .set({ ...categoryColumns(c), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** An active staff member who can take a ticket (anyone but an admin). */
export async function findHandler(db: Kysely<DB>, id: number) {
  return db.selectFrom('staff').select(['id', 'name', 'role']).where('id', '=', id).where('active', '=', 1).where('role', '!=', 'admin').executeTakeFirst()
}
