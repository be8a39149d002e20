import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import { paramsJson } from '../../db/stored-text'
import type { Notice } from './notice'

/** Stores notices (500 rows a statement: SQLite's bound-variable limit leaves room). */
export async function insertNotices(db: Kysely<DB>, notices: readonly Notice[], at: string): Promise<void> {
  for (let i = 0; i < notices.length; i += 500) {
    await db
      .insertInto('notifications')
      .values(
        notices.slice(i, i + 500).map((n) => ({
          staff_id: n.staffId,
          kind: n.kind,
          title_key: n.title.key,
          title_params: paramsJson(n.title),
          body_key: n.body.key,
          body_params: paramsJson(n.body),
          client_id: n.clientId,
          task_id: n.taskId,
          created_at: at,
        })),
      )
      .execute()
  }
}

/** One page of a staff member's notifications, newest first, and their count. */
export async function notificationsPage(db: Kysely<DB>, staffId: number, unreadOnly: boolean, offset: number, limit: number) {
  let q = db.selectFrom('notifications').where('staff_id', '=', staffId)
  if (unreadOnly) q = q.where('read_at', 'is', null)
  const [rows, total] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: total.n }
}

export async function countUnread(db: Kysely<DB>, staffId: number): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('staff_id', '=', staffId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return r.n
}

/** Marks a staff member's unread notifications read: these ids, or all of them. */
export async function markRead(db: Kysely<DB>, staffId: number, ids: readonly number[] | 'all', at: string): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: at }).where('staff_id', '=', staffId).where('read_at', 'is', null)
  if (ids !== 'all') q = q.where('id', 'in', ids)
  await q.execute()
}
