import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'

/** What has been paid on a transaction, in fen. */
export async function paidOn(db: Kysely<DB>, txId: number): Promise<number> {
  const r = await db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('p')).where('tx_id', '=', txId).executeTakeFirstOrThrow()
  return Number(r.p)
}

/** A payment at the counter (a 小订's deposit too); returns its id. */
export async function insertPayment(db: Kysely<DB>, p: { txId: number; receiptNo: string; method: string; amount: number; at: string; staffId: number }): Promise<number> {
  const r = await db
    .insertInto('payments')
    .values({ tx_id: p.txId, receipt_no: p.receiptNo, method: p.method, amount: p.amount, paid_at: p.at, staff_id: p.staffId })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** Whether a receipt number is on file already (each is used once). */
export async function receiptUsed(db: Kysely<DB>, receiptNo: string): Promise<boolean> {
  return (await db.selectFrom('payments').select('id').where('receipt_no', '=', receiptNo).executeTakeFirst()) !== undefined
}

/** A transaction's payments in order, with who took each. */
export async function paymentsOf(db: Kysely<DB>, txId: number) {
  return db.selectFrom('payments as p').leftJoin('staff as s', 's.id', 'p.staff_id').selectAll('p').select('s.name').where('p.tx_id', '=', txId).orderBy('p.id').execute()
}

/** A swap: the payments follow the deal to its new transaction. */
export async function movePayments(db: Kysely<DB>, fromTxId: number, toTxId: number): Promise<void> {
  await db.updateTable('payments').set({ tx_id: toTxId }).where('tx_id', '=', fromTxId).execute()
}

/** A transaction's payment schedule, by due date. */
export async function scheduleOf(db: Kysely<DB>, txId: number) {
  return db.selectFrom('payment_schedule').selectAll().where('tx_id', '=', txId).orderBy('due_date').execute()
}

export async function replaceSchedule(db: Kysely<DB>, txId: number, items: ReadonlyArray<{ dueDate: string; amount: number; label: string }>): Promise<void> {
  await db.deleteFrom('payment_schedule').where('tx_id', '=', txId).execute()
  await db.insertInto('payment_schedule').values(items.map((i) => ({ tx_id: txId, due_date: i.dueDate, amount: i.amount, label: i.label }))).execute()
}

/**
 * For each live deal with a due date passed before `today`, its latest such date: the schedule
 * due by then and what was paid in all (their difference is owed); earliest first.
 */
export async function lastDueDates(db: Kysely<DB>, today: string, projectId: number | undefined) {
  return db
    .selectFrom('payment_schedule as s')
    .innerJoin('unit_transactions as t', (j) => j.onRef('t.id', '=', 's.tx_id').on('t.live', '=', sql.lit(1)))
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .innerJoin('buildings as b', 'b.id', 'u.building_id')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .select((eb) => [
      't.unit_id',
      'b.name as building',
      'u.number',
      'c.name as client_name',
      's.due_date',
      's.label',
      eb
        .selectFrom('payment_schedule as x')
        .select((x) => x.fn.sum<number>('x.amount').as('n'))
        .whereRef('x.tx_id', '=', 't.id')
        .whereRef('x.due_date', '<=', 's.due_date')
        .as('scheduled'),
      eb.selectFrom('payments as p').select((x) => x.fn.sum<number>('p.amount').as('n')).whereRef('p.tx_id', '=', 't.id').as('paid'),
    ])
    .where('s.due_date', '<', today)
    .$if(projectId !== undefined, (q) => q.where('b.project_id', '=', projectId ?? 0))
    .where((eb) =>
      eb(
        's.due_date',
        '=',
        eb
          .selectFrom('payment_schedule as y')
          .select((x) => x.fn.max('y.due_date').as('m'))
          .whereRef('y.tx_id', '=', 't.id')
          .where('y.due_date', '<', today),
      ),
    )
    .orderBy('s.due_date')
    .execute()
}
