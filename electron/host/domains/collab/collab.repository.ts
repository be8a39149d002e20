import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** Requests with their client (and its owner now), requester and answerer. */
function selectRequests(db: Kysely<DB>) {
  return db
    .selectFrom('collaboration_requests as r')
    .innerJoin('clients as c', 'c.id', 'r.client_id')
    .innerJoin('staff as q', 'q.id', 'r.requester_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .leftJoin('staff as d', 'd.id', 'r.decided_by')
    .select([
      'r.id',
      'r.client_id',
      'c.code as client_code',
      'c.name as client_name',
      'c.owner_id',
      'o.name as owner_name',
      'r.requester_id',
      'q.name as requester_name',
      'q.active as requester_active',
      'r.note',
      'r.status',
      'r.created_at',
      'r.decided_at',
      'r.decided_by',
      'd.name as decider_name',
      'r.decision_reason',
      'r.version',
    ])
}

export type RequestRow = Awaited<ReturnType<ReturnType<typeof selectRequests>['executeTakeFirstOrThrow']>>

export async function findRequest(db: Kysely<DB>, id: number): Promise<RequestRow | undefined> {
  return selectRequests(db).where('r.id', '=', id).executeTakeFirst()
}

/** Whose requests a page lists: those a staff member answers (their clients'; everyone's for a manager), or their own. */
export type InboxScope = { answeredBy: number | 'any' } | { requester: number }

/** One page of requests, open ones first then newest first; the total and how many are open. */
export async function inboxPage(db: Kysely<DB>, scope: InboxScope, offset: number, limit: number) {
  let q = selectRequests(db).where('c.merged_into', 'is', null)
  if ('requester' in scope) q = q.where('r.requester_id', '=', scope.requester)
  else if (scope.answeredBy !== 'any') q = q.where('c.owner_id', '=', scope.answeredBy)
  const [rows, counts] = await Promise.all([
    q.orderBy(sql`r.status = 'open'`, 'desc').orderBy('r.id', 'desc').offset(offset).limit(limit).execute(),
    q
      .clearSelect()
      .select((eb) => [eb.fn.countAll<number>().as('n'), sql<number>`coalesce(sum(r.status = 'open'), 0)`.as('open')])
      .executeTakeFirstOrThrow(),
  ])
  return { rows, total: counts.n, open: counts.open }
}

/** Answers an open request read at `version`; false when it was answered (or changed) meanwhile. */
export async function answerRequest(
  db: Kysely<DB>,
  id: number,
  version: number,
  a: { status: 'accepted' | 'declined'; by: number; reason: string | null; at: string },
): Promise<boolean> {
  const r = await db
    .updateTable('collaboration_requests')
    .set((eb) => ({ status: a.status, decided_by: a.by, decision_reason: a.reason, decided_at: a.at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * A departing colleague's requests close, and the collaborations they had end (their access with
 * them); returns the ids of the requests closed.
 */
export async function closeRequestsOf(db: Kysely<DB>, staffId: number, at: string): Promise<number[]> {
  const rows = await db
    .updateTable('collaboration_requests')
    .set((eb) => ({ status: 'closed', decided_at: at, version: eb('version', '+', 1) }))
    .where('requester_id', '=', staffId)
    .where('status', 'in', ['open', 'accepted'])
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}
