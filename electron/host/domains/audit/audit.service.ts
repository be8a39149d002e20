import type { DomainHandlers } from '../../api/handler'
import { listAudit, verifyAudit } from './audit.repository'

export const auditHandlers: DomainHandlers<'audit.list' | 'audit.verify'> = {
  'audit.list': (input, ctx) => listAudit(ctx.db, input),
  'audit.verify': (_input, ctx) => verifyAudit(ctx.db),
}
