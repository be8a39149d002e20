import type { HandlerContext } from '../api/handler'
import { getRules } from '../domains/settings/rules.repository'
import { evaluateRules, type RuleRunResult } from './rules-engine'

/** Pushes the notices of a rule run to their receivers once the transaction has committed. */
export function pushNotices(ctx: Pick<HandlerContext, 'events' | 'afterCommit'>, notices: RuleRunResult['notices']): void {
  if (notices.length === 0) return
  ctx.afterCommit(() => {
    for (const n of notices) {
      ctx.events.publish('notice.new', { title: n.title, body: n.body, clientId: n.clientId, taskId: n.taskId }, { kind: 'staff', staffId: n.staffId })
    }
  })
}

/** Re-evaluates the rules for one client inside the current change (incremental scheduler run). */
export async function evaluateClient(ctx: HandlerContext, clientId: number): Promise<void> {
  const result = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db), clientId)
  pushNotices(ctx, result.notices)
}
