import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { hostTextOf, NAMES_SEPARATOR } from '@shared/domain/host-text-keys'
import type { DB } from '../../../db/schema'
import { textOf } from '../../../db/stored-text'
import type { Notice } from '../../notifications/notice'

/** How many names a digest shows before "and others". */
const NAMES_SHOWN = 3

/** The clients a pass returned to the pool from one owner: how many, the first names, the one client when alone. */
export const PooledOwner = z.object({ staffId: z.number().int(), count: z.number().int(), names: z.array(z.string()), clientId: z.number().int().nullable() })
export type PooledOwner = z.infer<typeof PooledOwner>

/** Owners of clients returned to the pool, grouped in one walk over the rows (linear whatever one owner holds). */
export function pooledOwners(rows: ReadonlyArray<{ id: number; owner_id: number; name: string }>): PooledOwner[] {
  const byOwner = new Map<number, PooledOwner>()
  for (const r of rows) {
    const o = byOwner.get(r.owner_id)
    if (!o) byOwner.set(r.owner_id, { staffId: r.owner_id, count: 1, names: [r.name], clientId: r.id })
    else {
      o.count++
      o.clientId = null
      if (o.names.length < NAMES_SHOWN) o.names.push(r.name)
    }
  }
  return [...byOwner.values()]
}

/** Two slices' owners as one pass's. */
export function mergePooledOwners(a: readonly PooledOwner[], b: readonly PooledOwner[]): PooledOwner[] {
  const byOwner = new Map<number, PooledOwner>(a.map((o) => [o.staffId, { ...o, names: [...o.names] }]))
  for (const o of b) {
    const m = byOwner.get(o.staffId)
    if (!m) byOwner.set(o.staffId, { ...o, names: [...o.names] })
    else {
      m.count += o.count
      m.clientId = null
      m.names = [...m.names, ...o.names].slice(0, NAMES_SHOWN)
    }
  }
  return [...byOwner.values()]
}

/** One notice per former owner: their clients went back to the pool. */
export function poolNotices(owners: readonly PooledOwner[]): Notice[] {
  return owners.map((o) => {
    const names = o.names.join(NAMES_SEPARATOR)
    const body = o.count <= NAMES_SHOWN ? hostTextOf('notice.pooledClients', { names }) : hostTextOf('notice.pooledClientsMore', { names, count: o.count })
    return { staffId: o.staffId, kind: 'pool', title: hostTextOf('notice.pooled'), body, clientId: o.count === 1 ? o.clientId : null, taskId: null }
  })
}

/**
 * The notices for the tasks a pass created (after task `afterId`, at `at`, still open), one per
 * person: their task itself when it is one, else how many and about whom. Grouped in SQL, so a
 * pass that set 100,000 tasks reads one row per person.
 */
export async function taskNotices(db: Kysely<DB>, afterId: number, at: string): Promise<Notice[]> {
  // NOT INDEXED: the new tasks are the last ids, a range of the rowid; the planner would otherwise
  // walk every task in tasks_staff_open (to group without sorting) or every open one in tasks_open_due
  const perStaff = (
    await sql<{ staff_id: number; n: number; first: number }>`
      SELECT staff_id, count(*) AS n, min(id) AS first FROM tasks NOT INDEXED
      WHERE id > ${afterId} AND created_at = ${at} AND status = 'open'
      GROUP BY staff_id ORDER BY staff_id`.execute(db)
  ).rows
  const notices: Notice[] = []
  for (const s of perStaff) {
    if (s.n === 1) {
      const t = await db.selectFrom('tasks').select(['id', 'text_key', 'text_params', 'detail', 'client_id']).where('id', '=', s.first).executeTakeFirstOrThrow()
      notices.push({ staffId: s.staff_id, kind: 'task', title: textOf(t.text_key, t.text_params), body: hostTextOf('notice.subject', { subject: t.detail ?? '' }), clientId: t.client_id, taskId: t.id })
      continue
    }
    const first = await sql<{ detail: string | null }>`
      SELECT detail FROM tasks NOT INDEXED
      WHERE id >= ${s.first} AND created_at = ${at} AND status = 'open' AND staff_id = ${s.staff_id}
      ORDER BY id LIMIT ${NAMES_SHOWN}`.execute(db)
    const names = first.rows.map((t) => t.detail ?? '').join(NAMES_SEPARATOR)
    notices.push({ staffId: s.staff_id, kind: 'task', title: hostTextOf('notice.tasks', { count: s.n }), body: hostTextOf('notice.tasksAbout', { names }), clientId: null, taskId: null })
  }
  return notices
}
