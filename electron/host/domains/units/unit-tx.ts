import type { Kysely } from 'kysely'
import { UNIT_STATUS_LABELS, type UnitStatus } from '@shared/domain/unit-status'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import { toUnit } from './unit-shape'
import { findUnit, projectOfUnit, unitRecords } from './units.repository'

/**
 * "already held by 李四": the clear refusal when a unit is not free. It names the agent (the board
 * shows them to everyone), never the buyer: the caller may not see that client.
 */
export function heldBy(tx: { status: string; agent_name: string | null }): ApiFailure {
  const who = tx.agent_name ?? '店长'
  return new ApiFailure('CONFLICT', `already ${UNIT_STATUS_LABELS[tx.status as UnitStatus]} by ${who}`, 'unitId', `unit_${tx.status}`, {
    status: tx.status,
    holder: who,
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
