import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import { projectOfUnit, toUnit, unitRecords } from './board.repository'

/** The unit's live transaction (after closing an expired hold), or undefined. */
export async function liveTx(db: Kysely<DB>, unitId: number, nowIso: string) {
  await db
    .updateTable('unit_transactions')
    .set({ live: 0, closed_reason: 'expired', closed_at: nowIso, updated_at: nowIso })
    .where('unit_id', '=', unitId)
    .where('live', '=', 1)
    .where('expires_at', '<=', nowIso)
    .execute()
  return db
    .selectFrom('unit_transactions as t')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .leftJoin('staff as a', 'a.id', 't.agent_id')
    .selectAll('t')
    .select(['c.owner_id as client_owner_id', 'o.team as client_owner_team', 'a.name as agent_name'])
    .where('t.unit_id', '=', unitId)
    .where('t.live', '=', 1)
    .executeTakeFirst()
}

/**
 * "already held by 李四": the clear refusal when a unit is not free. It names the agent (the board
 * shows them to everyone), never the buyer: the caller may not see that client.
 */
export function heldBy(tx: { status: string; agent_name: string | null }): ApiFailure {
  const who = tx.agent_name ?? '店长'
  return new ApiFailure('CONFLICT', `already ${tx.status} by ${who}`, 'unitId', `unit_${tx.status}`, {
    status: tx.status,
    holder: who,
  })
}

export async function mustFindUnit(db: Kysely<DB>, unitId: number, field = 'unitId') {
  const u = await db.selectFrom('units').selectAll().where('id', '=', unitId).executeTakeFirst()
  if (!u) throw new ApiFailure('NOT_FOUND', `no unit ${unitId}`, field)
  return u
}

export async function addStep(db: Kysely<DB>, txId: number, status: string, amount: number | null, note: string | null, staffId: number | null, at: string) {
  await db.insertInto('transaction_steps').values({ tx_id: txId, status, amount, note, staff_id: staffId, at }).execute()
}

/** Tells every open board that these units changed (after commit), and returns one of them as the API shows it. */
export async function unitChanged(ctx: HandlerContext, unitIds: number[]) {
  const projectId = await projectOfUnit(ctx.db, unitIds[0]!)
  if (projectId !== undefined) ctx.afterCommit(() => ctx.events.publish('board.changed', { projectId, unitIds }))
  const [rec] = await unitRecords(ctx.db, { unitIds: [unitIds[0]!] })
  return toUnit(rec!, ctx.clock.now().toISOString(), ctx.session)
}
