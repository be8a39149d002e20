import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** The survey templates (question sets with a kind), in id order. */
export async function surveyTemplates(db: Kysely<DB>) {
  return db.selectFrom('question_sets').selectAll().where('survey_kind', 'is not', null).orderBy('id').execute()
}

/** Stores one survey filled in; returns its id. */
export async function insertResponse(
  db: Kysely<DB>,
  r: { setId: number; clientId: number; staffId: number; channel: string; answers: string; followUpId: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto('survey_responses')
    .values({ set_id: r.setId, client_id: r.clientId, staff_id: r.staffId, channel: r.channel, answers: r.answers, follow_up_id: r.followUpId, created_at: r.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Responses with their template's name and who took them. */
function selectResponses(db: Kysely<DB>) {
  return db
    .selectFrom('survey_responses as r')
    .innerJoin('question_sets as q', 'q.id', 'r.set_id')
    .leftJoin('staff as s', 's.id', 'r.staff_id')
    .selectAll('r')
    .select(['q.name as set_name', 's.name as staff_name'])
}
export type ResponseRow = Awaited<ReturnType<ReturnType<typeof selectResponses>['executeTakeFirstOrThrow']>>

export async function findResponse(db: Kysely<DB>, id: number): Promise<ResponseRow> {
  return selectResponses(db).where('r.id', '=', id).executeTakeFirstOrThrow()
}

/** A client's responses, newest first (a client answers a handful; no paging). */
export async function clientResponses(db: Kysely<DB>, clientId: number): Promise<ResponseRow[]> {
  return selectResponses(db).where('r.client_id', '=', clientId).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(500).execute()
}

/** The answers (JSON) of a template's responses in [from, to); only those `staffId` took when given. */
export async function responseAnswers(db: Kysely<DB>, setId: number, from: string, to: string, staffId: number | null): Promise<string[]> {
  let q = db.selectFrom('survey_responses').select('answers').where('set_id', '=', setId).where('created_at', '>=', from).where('created_at', '<', to)
  if (staffId !== null) q = q.where('staff_id', '=', staffId)
  return (await q.execute()).map((r) => r.answers)
}
