import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { mustBeActiveAgent } from '../staff/staff-guards'
import { dutyOf, replaceDuty } from './duty.repository'

/** The duty roster (值班): who takes new enquiries on a day, by region and client type. */
export const dutyHandlers: HandlersOf<'duty'> = {
  'duty.get': async ({ day }, ctx) => {
    const rows = await dutyOf(ctx.db, day)
    return { day, entries: rows.map((r) => ({ staffId: r.staff_id, staffName: r.name, region: r.region, clientKind: r.client_kind as 'person' | null })) }
  },

  'duty.set': async ({ day, entries }, ctx) => {
    const seen = new Set<number>()
    for (const [i, e] of entries.entries()) {
      if (seen.has(e.staffId)) throw new ApiFailure('VALIDATION', 'listed twice', `entries.${i}.staffId`, 'repeated')
      seen.add(e.staffId)
      const s = await mustBeActiveAgent(ctx.db, e.staffId, `entries.${i}.staffId`)
      if (s.role === 'manager') throw new ApiFailure('VALIDATION', 'the rota is for agents', `entries.${i}.staffId`, 'not_agent')
    }
    await replaceDuty(ctx.db, day, entries)
    ctx.auditTarget(`duty:${day}`)
    return { ok: true as const }
  },
}
