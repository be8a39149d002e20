import type { Kysely } from 'kysely'
import type { HostText } from '@shared/contract/host-text'
import type { DB } from '../../db/schema'
import { textJson } from '../../db/stored-text'

/** Work for finance an approved change or a release leaves: a refund, a new invoice. */
export interface NewFinanceTodo {
  kind: 'refund' | 'reinvoice'
  txId: number | null
  changeId: number | null
  amount: number
  note: HostText
  at: string
}

/** Adds an open finance to-do; returns its id (a VIP card keeps the id of its refund). */
export async function insertFinanceTodo(db: Kysely<DB>, t: NewFinanceTodo): Promise<number> {
  const r = await db.insertInto('finance_todos').values({ kind: t.kind, tx_id: t.txId, change_id: t.changeId, amount: t.amount, note: textJson(t.note), created_at: t.at }).returning('id').executeTakeFirstOrThrow()
  return r.id
}

function selectTodos(db: Kysely<DB>) {
  return db
    .selectFrom('finance_todos as f')
    .leftJoin('unit_transactions as t', 't.id', 'f.tx_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('staff as s', 's.id', 'f.done_by')
    .select(['f.id', 'f.kind', 'b.name as building', 'u.number', 'f.amount', 'f.note', 'f.created_at', 'f.status', 'f.version', 's.name as done_by_name', 'f.done_at', 'f.reference'])
}

export type FinanceTodoRow = NonNullable<Awaited<ReturnType<typeof financeTodo>>>

/** Finance to-dos of a status, newest first (at most 500), with their unit's building and number. */
export async function financeTodos(db: Kysely<DB>, status: string) {
  return selectTodos(db).where('f.status', '=', status).orderBy('f.id', 'desc').limit(500).execute()
}

export async function financeTodo(db: Kysely<DB>, id: number) {
  return selectTodos(db).where('f.id', '=', id).executeTakeFirst()
}

/** Closes an open to-do at the version the caller saw; false when it was not open at that version. */
export async function markFinanceTodoDone(db: Kysely<DB>, id: number, version: number, by: number, reference: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('finance_todos')
    .set((eb) => ({ status: 'done', done_by: by, done_at: at, reference, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('version', '=', version)
    .executeTakeFirst()
  return r.numUpdatedRows === 1n
}
