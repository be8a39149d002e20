import type { HandlersOf } from '../../api/handler'
import { evaluateRules } from '../followups/rules/evaluate'
import { publishNotices } from '../notifications/notice'
import { getRules } from '../settings/rules.repository'

/** Running the rules by hand (the host also runs them every minute and after each change). */
export const schedulerHandlers: HandlersOf<'scheduler'> = {
  'scheduler.run': async (_input, ctx) => {
    const r = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db))
    if (r.notices.length > 0) ctx.afterCommit(() => publishNotices(ctx.events, r.notices))
    return { tasksCreated: r.tasksCreated, tasksResolved: r.tasksResolved, pooled: r.pooled, escalated: r.escalated }
  },
}
