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

export async function insertFinanceTodo(db: Kysely<DB>, t: NewFinanceTodo): Promise<void> {
  await db.insertInto('finance_todos').values({ kind: t.kind, tx_id: t.txId, change_id: t.changeId, amount: t.amount, note: textJson(t.note), created_at: t.at }).execute()
}

/** Finance to-dos of a status, newest first (at most 500), with their unit's building and number. */
export async function financeTodos(db: Kysely<DB>, status: string) {
  return db
    .selectFrom('finance_todos as f')
    .leftJoin('unit_transactions as t', 't.id', 'f.tx_id')
    .leftJoin('units as u', 'u.id', 't.unit_id')
    .leftJoin('buildings as b', 'b.id', 'u.building_id')
    .select(['f.id', 'f.kind', 'b.name as building', 'u.number', 'f.amount', 'f.note', 'f.created_at'])
    .where('f.status', '=', status)
    .orderBy('f.id', 'desc')
    .limit(500)
    .execute()
}
