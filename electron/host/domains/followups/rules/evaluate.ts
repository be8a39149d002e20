import type { Kysely } from 'kysely'
import { hostTextOf } from '@shared/domain/host-text-keys'
import type { BranchRules } from '@shared/domain/rules'
import type { HandlerContext } from '../../../api/handler'
import type { DB } from '../../../db/schema'
import { textOf } from '../../../db/stored-text'
import type { AuditLog } from '../../audit/audit-log'
import type { ClientScope } from '../../clients/client-scope'
import { awardBookPoints } from '../../club/book-points'
import { publishNotices, type Notice } from '../../notifications/notice'
import { insertNotices } from '../../notifications/notifications.repository'
import { getRules } from '../../settings/rules.repository'
import { maxTaskId, newOpenTasks } from '../../tasks/tasks.repository'
import { contractRule } from './contract'
import { escalationRule } from './escalation'
import { needsRule } from './needs'
import { negotiationRule } from './negotiation'
import { poolReturnRule } from './pool-return'
import { reasonGoneRule } from './reason-gone'
import type { FollowUpRule, RuleContext } from './rule'
import { stuckRule } from './stuck'
import { viewingRule } from './viewing'
import { wakeRule } from './wake'

/**
 * The follow-up rules in the order a pass runs them: tasks are set, tasks whose reason went away
 * close, clients return to the pool (cancelling their tasks), then what is long overdue escalates.
 */
export const FOLLOW_UP_RULES: readonly FollowUpRule[] = [needsRule, viewingRule, negotiationRule, contractRule, wakeRule, stuckRule, reasonGoneRule, poolReturnRule, escalationRule]

/** What a pass did, and the notices it stored (to push once its transaction has committed). */
export interface RulePass {
  tasksCreated: number
  tasksResolved: number
  pooled: number
  escalated: number
  notices: Notice[]
}

/**
 * One pass of every rule at `now` over the clients in scope, inside the caller's transaction:
 * the rules, the club points that follow from the book, and a notice for every new task. Any
 * number of passes set each task once.
 */
export async function evaluateRules(db: Kysely<DB>, auditLog: AuditLog, now: Date, rules: BranchRules, scope: ClientScope = { all: true }): Promise<RulePass> {
  const ctx: RuleContext = { now, at: now.toISOString(), rules, scope, auditLog }
  const maxBefore = await maxTaskId(db)
  const pass: RulePass = { tasksCreated: 0, tasksResolved: 0, pooled: 0, escalated: 0, notices: [] }
  for (const rule of FOLLOW_UP_RULES) {
    const r = await rule.evaluate(db, ctx)
    pass.tasksCreated += r.created ?? 0
    pass.tasksResolved += r.resolved ?? 0
    pass.pooled += r.pooled ?? 0
    pass.escalated += r.escalated ?? 0
    pass.notices.push(...(r.notices ?? []))
  }
  await awardBookPoints(db, ctx.at, scope)
  // every new task is also an in-app notification (pushed, and an OS notice on the desktop)
  for (const t of await newOpenTasks(db, maxBefore, ctx.at)) {
    const title = textOf(t.text_key, t.text_params)
    pass.notices.push({ staffId: t.staff_id, kind: 'task', title, body: hostTextOf('notice.subject', { subject: t.detail ?? '' }), clientId: t.client_id, taskId: t.id })
  }
  await insertNotices(db, pass.notices, ctx.at)
  return pass
}

/** Re-evaluates the rules for one client inside the current change (after a write about them). */
export async function evaluateClient(ctx: HandlerContext, clientId: number): Promise<void> {
  const pass = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db), { clientIds: [clientId] })
  if (pass.notices.length > 0) ctx.afterCommit(() => publishNotices(ctx.events, pass.notices))
}
