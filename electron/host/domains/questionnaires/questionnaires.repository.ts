import type { Kysely, Selectable } from 'kysely'
import type { DB, QuestionSetsTable } from '../../db/schema'

export type QuestionSetRecord = Selectable<QuestionSetsTable>

export async function findQuestionSet(db: Kysely<DB>, id: number): Promise<QuestionSetRecord | undefined> {
  return db.selectFrom('question_sets').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function questionSets(db: Kysely<DB>): Promise<QuestionSetRecord[]> {
  return db.selectFrom('question_sets').selectAll().orderBy('id').execute()
}

/** Stores a new questionnaire, or changes one (undefined: no such questionnaire). */
export async function saveQuestionSet(
  db: Kysely<DB>,
  id: number | undefined,
  values: { name: string; questions: string; active: number; survey_kind: string | null },
  at: string,
): Promise<QuestionSetRecord | undefined> {
  return id === undefined
    ? db.insertInto('question_sets').values({ ...values, created_at: at }).returningAll().executeTakeFirstOrThrow()
    : db.updateTable('question_sets').set(values).where('id', '=', id).returningAll().executeTakeFirst()
}
