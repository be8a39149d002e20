import type { Kysely, Selectable } from 'kysely'
import type { DB, JobsTable } from '../db/schema'
import type { JobKind } from './job-kind'

export type JobRecord = Selectable<JobsTable>

/** A new job, running, at its first cursor (in the caller's transaction: it starts once that commits). */
export async function insertJob<P, C>(
  db: Kysely<DB>,
  kind: JobKind<P, C>,
  job: { params: P; cursor: C; total: number | null; createdBy: number | null; at: string },
): Promise<number> {
  const r = await db
    .insertInto('jobs')
    .values({
      kind: kind.kind,
      params: JSON.stringify(kind.params.parse(job.params)),
      cursor: JSON.stringify(kind.cursor.parse(job.cursor)),
      total: job.total,
      created_by: job.createdBy,
      created_at: job.at,
      updated_at: job.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function findJob(db: Kysely<DB>, id: number): Promise<JobRecord | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The running jobs, oldest first (the partial index jobs_running holds just these). */
export async function runningJobIds(db: Kysely<DB>): Promise<number[]> {
  return (await db.selectFrom('jobs').select('id').where('status', '=', 'running').orderBy('id').execute()).map((r) => r.id)
}

/** The running job of a kind, if any. */
export async function runningJobOf(db: Kysely<DB>, kind: string): Promise<number | undefined> {
  return (await db.selectFrom('jobs').select('id').where('status', '=', 'running').where('kind', '=', kind).orderBy('id').executeTakeFirst())?.id
}

/** Stores where a slice left the job (and, when it finished, what it did). */
export async function saveSlice(
  db: Kysely<DB>,
  id: number,
  s: { cursor: string; done: number; finished: boolean; result: Record<string, number> | undefined },
  at: string,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      cursor: s.cursor,
      done: s.done,
      updated_at: at,
      ...(s.finished ? { status: 'done' as const, result: JSON.stringify(s.result ?? {}), finished_at: at } : {}),
    })
    .where('id', '=', id)
    .execute()
}

/** A job whose slice failed: it stops where its last committed slice left it. */
export async function failJob(db: Kysely<DB>, id: number, at: string): Promise<void> {
  await db.updateTable('jobs').set({ status: 'failed', updated_at: at, finished_at: at }).where('id', '=', id).execute()
}

/** Forgets finished and failed jobs that ended before `before` (a pass a minute would otherwise pile up). */
export async function pruneJobs(db: Kysely<DB>, before: string): Promise<void> {
  await db.deleteFrom('jobs').where('status', '!=', 'running').where('finished_at', '<', before).execute()
}

/** Jobs for the management's list: newest first, optionally of one status. */
export async function listJobs(db: Kysely<DB>, status: JobRecord['status'] | undefined, limit: number): Promise<JobRecord[]> {
  let q = db.selectFrom('jobs').selectAll()
  if (status) q = q.where('status', '=', status)
  return q.orderBy('id', 'desc').limit(limit).execute()
}
