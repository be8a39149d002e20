import { clientAccess } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { mustFindClient } from '../clients/client-lookup'
import { ownershipOf, viewerOf } from '../clients/client-shape'
import { activeNeedData } from '../needs/needs.repository'
import { findProject } from '../projects/projects.repository'
import { toUnit } from '../units/unit-shape'
import { mustFindUnit } from '../units/unit-tx'
import { projectOfUnit, unitRecords, type UnitRecord } from '../units/units.repository'
import { clientsFitting, unitsFitting, type MatchedNeed } from './matching.repository'

/**
 * A need's orientation as the word a unit list writes (朝向 "南", "南北"); a unit whose 朝向
 * contains it fits. These are the words of the branch's unit data, not words shown to anyone.
 */
const ORIENTATION_WORDS: Record<string, string> = { south: '南', north: '北', east: '东', west: '西', south_north: '南北', east_west: '东西' }

/** Units that fit a client's needs, and clients whose needs a unit fits (to recommend one to the other). */
export const matchingHandlers: HandlersOf<'matching'> = {
  'matching.unitsForClient': async ({ clientId, limit }, ctx) => {
    const s = requireSession(ctx)
    const c = await mustFindClient(ctx.db, clientId, 'clientId')
    // a client's needs are part of the full profile: the owner, the senior of the team, managers
    if (clientAccess(viewerOf(s), ownershipOf(c)) !== 'full') {
      throw new ApiFailure('FORBIDDEN', 'you may not read this client’s needs', 'clientId')
    }
    const needs = await activeNeedData(ctx.db, clientId)
    if (needs.length === 0) return { units: [], activeNeeds: 0 }
    const nowIso = ctx.clock.now().toISOString()
    const seen = new Map<number, UnitRecord & { project_name: string; building_name: string }>()
    for (const data of needs) {
      const d = JSON.parse(data) as MatchedNeed
      const word = d.orientation && d.orientation !== 'any' ? (ORIENTATION_WORDS[d.orientation] ?? null) : null
      const rows = await unitsFitting(ctx.db, d, word, nowIso, limit)
      for (const r of await unitRecords(ctx.db, { unitIds: rows.map((x) => x.id) })) {
        const extra = rows.find((x) => x.id === r.id)!
        seen.set(r.id, { ...r, project_name: extra.project_name, building_name: extra.building_name })
      }
    }
    return {
      // cheapest first, as each need's query picked them (unitRecords returns them in board order)
      units: [...seen.values()]
        .sort((x, y) => x.list_price - y.list_price || x.id - y.id)
        .slice(0, limit)
        .map((r) => ({ ...toUnit(r, nowIso, ctx.session), projectId: r.project_id, projectName: r.project_name, buildingName: r.building_name })),
      activeNeeds: needs.length,
    }
  },

  'matching.clientsForUnit': async ({ unitId, limit }, ctx) => {
    const viewer = viewerOf(requireSession(ctx))
    const u = await mustFindUnit(ctx.db, unitId)
    const projectId = await projectOfUnit(ctx.db, unitId)
    const district = projectId === undefined ? null : ((await findProject(ctx.db, projectId))?.district ?? null)
    // only clients the viewer may see in full: an agent's own, a senior's team's, everyone's for managers
    const scope = viewer.role === 'manager' || viewer.role === 'admin' ? null : { ownerId: viewer.staffId, team: viewer.role === 'senior_agent' ? viewer.team : null }
    // the need orientations whose word the unit's 朝向 contains ('any' fits every unit)
    const orientations = u.orientation ? Object.keys(ORIENTATION_WORDS).filter((k) => u.orientation!.includes(ORIENTATION_WORDS[k]!)) : null
    const clients = await clientsFitting(ctx.db, { area: u.area, listPrice: u.list_price, bedrooms: u.bedrooms, floor: u.floor, district }, orientations, scope, limit)
    return { clients }
  },
}
