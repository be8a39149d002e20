import type { HandlersOf } from '../../api/handler'
import { pushNotices } from '../../scheduler/evaluate-client'
import { evaluateRules } from '../../scheduler/rules-engine'
import { getRules } from '../settings/rules.repository'

/** Running the rules by hand (the host also runs them every minute and after each change). */
export const schedulerHandlers: HandlersOf<'scheduler'> = {
  'scheduler.run': async (_input, ctx) => {
    const r = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db))
    pushNotices(ctx, r.notices)
    return { tasksCreated: r.tasksCreated, tasksResolved: r.tasksResolved, pooled: r.pooled, escalated: r.escalated }
  },
}
