import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { listAudit } from './audit.repository'

/**
 * `audit.list` is open to managers and admins; the number filter is the admin's alone: it
 * finds every row that mentions a client's (or anyone's) number across all staff, the tool of
 * whoever answers for the log, and that search is itself written to the log. Managers see
 * their branch's clients in full where they work (the client book); the log is not that place.
 */
export const auditHandlers: HandlersOf<'audit'> = {
  'audit.list': async (input, ctx) => {
    const { number, ...filter } = input
    if (number === undefined) return listAudit(ctx.db, filter)
    if (ctx.session?.role !== 'admin') throw new ApiFailure('FORBIDDEN', 'only an admin may search the log by number', 'number')
    const search = ctx.auditLog.searchKey(number)
    if (search === null) {
      throw new ApiFailure('VALIDATION', 'number: not a phone or an 18-character ID number', 'number', 'audit_number')
    }
    // under the key of its kind, so the row keeps it masked however it was typed
    await ctx.audit('audit.searchNumber', null, search.kind === 'id' ? { idNumber: number } : { phone: number })
    return listAudit(ctx.db, { ...filter, numberKey: search.key })
  },
  'audit.verify': (_input, ctx) => ctx.auditLog.verify(ctx.db),
}
