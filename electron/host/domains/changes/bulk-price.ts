import type { BulkPriceItemStored } from '@shared/contract/changes'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import { unitLabel } from '../units/unit-shape'
import { setListPrice, unitsWithBuilding } from '../units/units.repository'

/** Checks a 批量调价 against the units as they are now: all exist, all in one project. Returns the project and the items to store. */
export async function checkBulkPrice(ctx: HandlerContext, items: ReadonlyArray<{ unitId: number; listPrice: number }>): Promise<{ projectId: number; items: BulkPriceItemStored[] }> {
  const units = new Map((await unitsWithBuilding(ctx.db, items.map((it) => it.unitId))).map((u) => [u.id, u]))
  const stored = items.map((it, i) => {
    const u = units.get(it.unitId)
    if (!u) throw new ApiFailure('NOT_FOUND', `no unit ${it.unitId}`, `payload.items.${i}.unitId`)
    return { unit: u, item: { unitId: it.unitId, unit: unitLabel(u.building, u.number), listPrice: it.listPrice, was: u.list_price, version: u.version } }
  })
  const projectId = stored[0]!.unit.project_id
  const other = stored.findIndex((x) => x.unit.project_id !== projectId)
  if (other >= 0) throw new ApiFailure('VALIDATION', 'the units of one bulk price change are all in one project', `payload.items.${other}.unitId`, 'mixed_projects')
  return { projectId, items: stored.map((x) => x.item) }
}

/**
 * Applies an approved 批量调价 in the approval's transaction: every new price, each unit's version
 * bumped, or none when any unit's price changed since the request (the refusal names the unit).
 * Returns the units changed.
 */
export async function applyBulkPrice(ctx: HandlerContext, items: readonly BulkPriceItemStored[]): Promise<number[]> {
  const units = new Map((await unitsWithBuilding(ctx.db, items.map((it) => it.unitId))).map((u) => [u.id, u]))
  items.forEach((it, i) => {
    const u = units.get(it.unitId)
    if (!u) throw new ApiFailure('NOT_FOUND', `no unit ${it.unitId}`, `payload.items.${i}.unitId`)
    if (u.version !== it.version) {
      const unit = unitLabel(u.building, u.number)
      throw new ApiFailure('CONFLICT', `${unit} changed since the request (its list price is now ${u.list_price} fen); ask again`, `payload.items.${i}.unitId`, 'unit_changed', { unit })
    }
  })
  for (const it of items) await setListPrice(ctx.db, it.unitId, it.listPrice, it.version)
  return items.map((it) => it.unitId)
}
