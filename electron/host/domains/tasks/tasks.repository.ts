import type { Kysely } from 'kysely'
import type { HostText } from '@shared/contract/host-text'
import { keysetRanges, readAfter, type PageKey } from '../../db/keyset'
import type { DB } from '../../db/schema'
import { paramsJson } from '../../db/stored-text'

/** Tasks with their client's name and code. */
export function selectTasks(db: Kysely<DB>) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .selectAll('t')
    .select(['c.name as client_name', 'c.code as client_code'])
}
export type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>['executeTakeFirstOrThrow']>>

export async function findTask(db: Kysely<DB>, id: number): Promise<TaskRow | undefined> {
  return selectTasks(db).where('t.id', '=', id).executeTakeFirst()
}

/** An agent's open tasks for the home screen: overdue, due later today, and wake-ups (each list capped). */
export async function todayTasks(db: Kysely<DB>, staffId: number, nowIso: string, dayEnd: string) {
  const open = selectTasks(db).where('t.staff_id', '=', staffId).where('t.status', '=', 'open')
  const [overdue, due, waking] = await Promise.all([
    open.where('t.rule', '!=', 'wake').where('t.due_at', '<', nowIso).orderBy('t.due_at').limit(100).execute(),
    open.where('t.rule', '!=', 'wake').where('t.due_at', '>=', nowIso).where('t.due_at', '<', dayEnd).orderBy('t.due_at').limit(100).execute(),
    open.where('t.rule', '=', 'wake').orderBy('t.due_at').limit(50).execute(),
  ])
  return { overdue, due, waking }
}

/** One page of a staff member's tasks of a status (open ones soonest first, closed ones latest first) and their count. */
export async function tasksPage(db: Kysely<DB>, staffId: number, status: string, offset: number, limit: number) {
  const [rows, total] = await Promise.all([
    selectTasks(db)
      .where('t.staff_id', '=', staffId)
      .where('t.status', '=', status)
      .orderBy('t.due_at', taskOrder(status))
      // the index's own order of equal times, said aloud so that tasksAfter reads the same order
      .orderBy('t.id', taskOrder(status))
      .offset(offset)
      .limit(limit)
      .execute(),
    db
      .selectFrom('tasks as t')
      .where('t.staff_id', '=', staffId)
      .where('t.status', '=', status)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}

/** The order of a task list: open ones soonest first, closed ones latest first. */
const taskOrder = (status: string) => (status === 'open' ? 'asc' : 'desc')

/** A staff member's tasks of a status after `after` (null: from the first) in tasksPage's order, at most `limit`: an export's slice, read by keyset. */
export async function tasksAfter(db: Kysely<DB>, staffId: number, status: string, after: PageKey | null, limit: number): Promise<TaskRow[]> {
  const dir = taskOrder(status)
  return readAfter(keysetRanges(['t.due_at'], 't.id', dir, after), limit, (range, n) =>
    selectTasks(db).where('t.staff_id', '=', staffId).where('t.status', '=', status).where(range).orderBy('t.due_at', dir).orderBy('t.id', dir).limit(n).execute(),
  )
}

/** A task's place in its list, for tasksAfter. */
export const taskKey = (t: TaskRow): PageKey => ({ values: [t.due_at], id: t.id })

/** A client's open tasks, soonest first (the front desk's card). */
export async function openTasksOfClient(db: Kysely<DB>, clientId: number, limit: number): Promise<TaskRow[]> {
  return selectTasks(db).where('t.client_id', '=', clientId).where('t.status', '=', 'open').orderBy('t.due_at').limit(limit).execute()
}

export async function markTaskDone(db: Kysely<DB>, id: number, at: string): Promise<void> {
  await db.updateTable('tasks').set({ status: 'done', done_at: at }).where('id', '=', id).execute()
}

/** A task someone (not a rule run) sets: a claim's obligation, a follow-up's next action. */
export interface NewTask {
  staffId: number
  clientId: number
  rule: string
  title: HostText
  detail: string | null
  dueAt: string
  eventKey: string
  at: string
}

export async function insertTask(db: Kysely<DB>, t: NewTask): Promise<void> {
  await db
    .insertInto('tasks')
    .values({ staff_id: t.staffId, client_id: t.clientId, rule: t.rule, text_key: t.title.key, text_params: paramsJson(t.title), detail: t.detail, due_at: t.dueAt, event_key: t.eventKey, created_at: t.at })
    .execute()
}

/** Cancels the open tasks about these clients (they left their owner, or were lost). */
export async function cancelOpenTasksOfClients(db: Kysely<DB>, clientIds: readonly number[], at: string): Promise<void> {
  await db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('status', '=', 'open').where('client_id', 'in', clientIds).execute()
}

/** Cancels a staff member's open tasks (they left). */
export async function cancelOpenTasksOfStaff(db: Kysely<DB>, staffId: number, at: string): Promise<void> {
  await db.updateTable('tasks').set({ status: 'cancelled', done_at: at }).where('staff_id', '=', staffId).where('status', '=', 'open').execute()
}

/**
 * Gives the open tasks about these clients to their new owner: all of them but the managers'
 * (stuck, escalation) and the tickets' (a ticket's task is its handler's, whoever owns the client),
 * or with `fromStaffId` only those of the previous owner.
 */
export async function moveOpenTasks(db: Kysely<DB>, clientIds: readonly number[], toStaffId: number, fromStaffId?: number): Promise<void> {
  let q = db.updateTable('tasks').set({ staff_id: toStaffId }).where('client_id', 'in', clientIds).where('status', '=', 'open')
  q = fromStaffId === undefined ? q.where('rule', 'not in', ['stuck', 'escalation', 'ticket']) : q.where('staff_id', '=', fromStaffId)
  await q.execute()
}

/** Marks tasks as escalated to the managers (each escalates once). */
export async function markEscalated(db: Kysely<DB>, ids: readonly number[], at: string): Promise<void> {
  await db.updateTable('tasks').set({ escalated_at: at }).where('id', 'in', ids).execute()
}

/** The highest task id so far (a pass's new tasks come after it). */
export async function maxTaskId(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('tasks').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst()
  return r?.m ?? 0
}
