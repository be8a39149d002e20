import { sql, type Kysely } from 'kysely'
import type { Unit } from '@shared/contract/board'
import { seesDeal } from '@shared/domain/client-access'
import type { SessionInfo } from '../../api/handler'
import { viewerOf } from '../clients/client-shape'
import type { DB } from '../../db/schema'
import type { UnitStatus } from '@shared/domain/unit-status'
import type { z } from 'zod'

export interface UnitRecord {
  id: number
  building_id: number
  project_id: number
  floor: number
  number: string
  layout: string | null
  area: number
  orientation: string | null
  list_price: number
  tags: string
  version: number
  tx_id: number | null
  tx_status: string | null
  tx_client_id: number | null
  tx_agent_id: number | null
  client_name: string | null
  client_owner_id: number | null
  client_owner_team: string | null
  agent_name: string | null
  tx_price: number | null
  tx_expires_at: string | null
  tx_updated_at: string | null
  tx_reason: string | null
  paid: number | null
}

/** How a unit is named to people: "1号楼-301" (the SQL reports write `b.name || '-' || u.number`). */
export function unitLabel(building: string, number: string): string {
  return `${building}-${number}`
}

/** Units with their live transaction (the status source) and money paid, for a project or some units. */
export async function unitRecords(db: Kysely<DB>, where: { projectId?: number; unitIds?: readonly number[] }): Promise<UnitRecord[]> {
  const r = await sql<UnitRecord>`
    SELECT u.id, u.building_id, b.project_id, u.floor, u.number, u.layout, u.area, u.orientation, u.list_price, u.tags, u.version,
      t.id AS tx_id, t.status AS tx_status, t.client_id AS tx_client_id, t.agent_id AS tx_agent_id, c.name AS client_name, c.owner_id AS client_owner_id, o.team AS client_owner_team, a.name AS agent_name,
      t.price AS tx_price, t.expires_at AS tx_expires_at, t.updated_at AS tx_updated_at, t.reason AS tx_reason,
      (SELECT sum(p.amount) FROM payments p WHERE p.tx_id = t.id) AS paid
    FROM units u
    JOIN buildings b ON b.id = u.building_id
    LEFT JOIN unit_transactions t ON t.unit_id = u.id AND t.live = 1
    LEFT JOIN clients c ON c.id = t.client_id
    LEFT JOIN staff o ON o.id = c.owner_id
    LEFT JOIN staff a ON a.id = t.agent_id
    WHERE ${where.projectId !== undefined ? sql`b.project_id = ${where.projectId}` : sql`u.id IN (${sql.join(where.unitIds?.length ? where.unitIds : [0])})`}
    ORDER BY b.id, u.floor DESC, u.number`.execute(db)
  return r.rows
}

/**
 * A unit as the API shows it to a viewer (null: the public lobby screen); an expired hold already
 * counts as available. The deal's buyer and money only for viewers who see the deal (seesDeal):
 * everyone else sees its status and agent.
 */
export function toUnit(r: UnitRecord, nowIso: string, viewer: SessionInfo | null): z.infer<typeof Unit> {
  const expired = r.tx_expires_at !== null && r.tx_expires_at <= nowIso
  const live = r.tx_id !== null && !expired
  const sees = viewer !== null && seesDeal(viewerOf(viewer), { agentId: r.tx_agent_id, ownerId: r.client_owner_id, ownerTeam: r.client_owner_team })
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
          price: sees ? (r.tx_price ?? 0) : 0,
          paid: sees ? (r.paid ?? 0) : 0,
          expiresAt: r.tx_expires_at,
          updatedAt: r.tx_updated_at ?? '',
          reason: r.tx_reason,
        }
      : null,
    version: r.version,
  }
}

/** Closes live holds and 小订 whose time ran out; returns the units that became available. */
export async function expireHolds(db: Kysely<DB>, nowIso: string): Promise<Array<{ unit_id: number; project_id: number }>> {
  const r = await sql<{ unit_id: number; project_id: number }>`
    UPDATE unit_transactions SET live = 0, closed_reason = 'expired', closed_at = ${nowIso}, updated_at = ${nowIso}
    WHERE live = 1 AND expires_at IS NOT NULL AND expires_at <= ${nowIso}
    RETURNING unit_id, (SELECT b.project_id FROM units u JOIN buildings b ON b.id = u.building_id WHERE u.id = unit_id) AS project_id`.execute(db)
  return r.rows
}

export async function projectOfUnit(db: Kysely<DB>, unitId: number): Promise<number | undefined> {
  const r = await db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select('b.project_id').where('u.id', '=', unitId).executeTakeFirst()
  return r?.project_id
}
