import type { z } from 'zod'
import type { Unit } from '@shared/contract/units'
import { clientAccess, seesDeal, type Viewer } from '@shared/domain/client-access'
import type { UnitStatus } from '@shared/domain/unit-status'
import type { UnitRecord } from './units.repository'

/** How a unit is named to people: "1号楼-301" (building name and unit number as entered). */
export function unitLabel(building: string, number: string): string {
  return `${building}-${number}`
}

/**
 * A unit as the API shows it to a viewer (a session or an exporter; null: the public lobby screen); an expired hold already
 * counts as available. The deal's buyer and money only for viewers who see the deal (seesDeal):
 * everyone else sees its status and agent.
 */
export function toUnit(r: UnitRecord, nowIso: string, viewer: Viewer | null): z.infer<typeof Unit> {
  const expired = r.tx_expires_at !== null && r.tx_expires_at <= nowIso
  const live = r.tx_id !== null && !expired
  const ownership = { ownerId: r.client_owner_id, ownerTeam: r.client_owner_team }
  const sees = viewer !== null && seesDeal(viewer, { agentId: r.tx_agent_id, ...ownership })
  // the host's own test for 推进 and deal changes (units.advance, changes.request), so the board offers only those
  const yours = viewer !== null && (viewer.role === 'manager' || r.tx_agent_id === viewer.staffId) && clientAccess(viewer, ownership) === 'full'
  return {
    id: r.id,
    buildingId: r.building_id,
    floor: r.floor,
    number: r.number,
    layout: r.layout,
    area: r.area,
    orientation: r.orientation,
    listPrice: r.list_price,
    unitPrice: Math.round((r.list_price * 100) / r.area),
    tags: JSON.parse(r.tags) as string[],
    status: live ? (r.tx_status as UnitStatus) : 'available',
    tx: live
      ? {
          id: r.tx_id!,
          clientId: sees ? r.tx_client_id : null,
          clientName: sees ? r.client_name : null,
          agentName: r.agent_name,
          yours,
          price: sees ? (r.tx_price ?? 0) : 0,
          paid: sees ? (r.paid ?? 0) : 0,
          expiresAt: r.tx_expires_at,
          updatedAt: r.tx_updated_at ?? '',
          reason: r.tx_reason,
          member:
            sees && r.tx_priced_list_price !== null && r.tx_member_level !== null && (r.tx_member_discount ?? 0) > 0
              ? { listPrice: r.tx_priced_list_price, level: r.tx_member_level, discountPermille: r.tx_member_discount_permille ?? 0, discount: r.tx_member_discount ?? 0 }
              : null,
        }
      : null,
    version: r.version,
  }
}
