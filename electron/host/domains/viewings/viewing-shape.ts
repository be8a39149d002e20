import { seesViewing, type Viewer } from '@shared/domain/client-access'
import type { ViewingRow } from './viewings.repository'
import { unitLabel } from '../units/unit-shape'

/** Whether this viewer sees the viewing's details (see seesViewing). */
export function seesDetails(r: ViewingRow, viewer: Viewer): boolean {
  return seesViewing(viewer, { agentId: r.agent_id, ownerId: r.client_owner_id, ownerTeam: r.client_owner_team })
}

/** A viewing as this viewer may see it: the client's feedback only for its agent and those with full access. */
export function toViewing(r: ViewingRow, viewer: Viewer) {
  return {
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    clientCode: r.client_code,
    agentId: r.agent_id,
    agentName: r.agent_name,
    unitId: r.unit_id,
    unitLabel: r.building_name !== null && r.unit_number !== null ? `${r.project_name ?? ''} ${unitLabel(r.building_name, r.unit_number)}`.trim() : null,
    address: r.address,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status as 'booked',
    feedback: seesDetails(r, viewer) ? r.feedback : null,
    version: r.version,
  }
}
