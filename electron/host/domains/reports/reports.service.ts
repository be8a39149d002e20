import type { HandlersOf } from '../../api/handler'
import { lostReasonCounts } from '../clients/clients.repository'

/** Figures for the manager's dashboard. */
export const reportsHandlers: HandlersOf<'reports'> = {
  'reports.lostReasons': async ({ from, to }, ctx) => {
    const rows = await lostReasonCounts(ctx.db, from, to)
    return { reasons: rows.map((r) => ({ reason: r.lost_reason ?? '', count: r.n })) }
  },
}
