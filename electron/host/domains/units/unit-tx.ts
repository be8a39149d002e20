import type { Kysely } from 'kysely'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import { toUnit } from './unit-shape'
import { findUnit, projectOfUnit, unitRecords } from './units.repository'

/**
 * "already held by 李四": the clear refusal when a unit is not free. It names the agent (the board
 * shows them to everyone), never the buyer: the caller may not see that client. A manager's hold
 * has no agent: the holder is empty, and the board says "the manager".
 */
export function heldBy(tx: { status: string; agent_name: string | null }): ApiFailure {
  return new ApiFailure('CONFLICT', `already ${tx.status} by ${tx.agent_name ?? 'the manager'}`, 'unitId', `unit_${tx.status}`, {
    status: tx.status,
    holder: tx.agent_name ?? '',
  })
}

/** A unit by id, for any domain acting on one; NOT_FOUND on `field` otherwise. */
export async function mustFindUnit(db: Kysely<DB>, unitId: number, field = 'unitId') {
  const u = await findUnit(db, unitId)
  if (!u) throw new ApiFailure('NOT_FOUND', `no unit ${unitId}`, field)
  return u
}

/** Tells every open board that these units changed (after commit), and returns the first of them as the API shows it. */
export async function unitChanged(ctx: HandlerContext, unitIds: number[]) {
  const projectId = await projectOfUnit(ctx.db, unitIds[0]!)
  if (projectId !== undefined) ctx.afterCommit(() => ctx.events.publish('board.changed', { projectId, unitIds }))
  const [rec] = await unitRecords(ctx.db, { unitIds: [unitIds[0]!] })
  return toUnit(rec!, ctx.clock.now().toISOString(), ctx.session)
}
