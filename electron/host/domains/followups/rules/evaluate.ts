import type { Kysely } from 'kysely'
import type { BranchRules } from '@shared/domain/rules'
import type { HandlerContext } from '../../../api/handler'
import type { DB } from '../../../db/schema'
import type { AuditLog } from '../../audit/audit-log'
import { writeBehaviourTags, writeLapsingBehaviourTags } from '../../clients/behaviour-tags'
import type { ClientScope } from '../../clients/client-scope'
import { awardBookPoints } from '../../club/book-points'
import { publishNotices, type Notice } from '../../notifications/notice'
import { insertNotices } from '../../notifications/notifications.repository'
import { getRules } from '../../settings/rules.repository'
import { maxTaskId } from '../../tasks/tasks.repository'
import { carePlanRule } from './care-plans'
import { contractRule } from './contract'
import { mergePooledOwners, poolNotices, taskNotices, type PooledOwner } from './digest'
import { entryRule } from './entry'
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
export const FOLLOW_UP_RULES: readonly FollowUpRule[] = [entryRule, needsRule, viewingRule, negotiationRule, contractRule, wakeRule, carePlanRule, stuckRule, reasonGoneRule, poolReturnRule, escalationRule]

/** What the rules did over the clients in scope. */
export interface RuleCounts {
  tasksCreated: number
  tasksResolved: number
  pooled: number
  escalated: number
}

/** What a pass did, and the notices it stored (to push once its transaction has committed). */
export interface RulePass extends RuleCounts {
  notices: Notice[]
}

/**
 * Which behaviour tags a run of the rules re-reads: every client in scope (a change; the first
 * pass of a day), or only those whose tags can lapse with time (the once-a-minute pass).
 */
export type TagReading = 'whole' | 'lapsing'

/**
 * Every rule at `now` over the clients in scope, inside the caller's transaction, the club points
 * that follow from the book and the clients' behaviour tags (so a change rewrites its client's
 * tags, and each pass over the book lets the tags of lapsed windows go); no notices (a pass in slices writes them once, at its end).
 */
export async function applyRules(
  db: Kysely<DB>,
  auditLog: AuditLog,
  now: Date,
  rules: BranchRules,
  scope: ClientScope,
  tags: TagReading = 'whole',
): Promise<RuleCounts & { pooledOwners: PooledOwner[] }> {
  const ctx: RuleContext = { now, at: now.toISOString(), rules, scope, auditLog }
  const done = { tasksCreated: 0, tasksResolved: 0, pooled: 0, escalated: 0, pooledOwners: [] as PooledOwner[] }
  for (const rule of FOLLOW_UP_RULES) {
    const r = await rule.evaluate(db, ctx)
    done.tasksCreated += r.created ?? 0
    done.tasksResolved += r.resolved ?? 0
    done.pooled += r.pooled ?? 0
    done.escalated += r.escalated ?? 0
    if (r.pooledOwners) done.pooledOwners = mergePooledOwners(done.pooledOwners, r.pooledOwners)
  }
  await awardBookPoints(db, ctx.at, scope)
  await (tags === 'whole' ? writeBehaviourTags(db, now, scope) : writeLapsingBehaviourTags(db, now, scope))
  return done
}

/**
 * One pass of every rule at `now` over the clients in scope (a few, after a change), inside the
 * caller's transaction, with its notices: per person, their new task or one digest of them, and
 * one for the clients that went back to the pool. Any number of passes set each task once.
 */
export async function evaluateRules(db: Kysely<DB>, auditLog: AuditLog, now: Date, rules: BranchRules, scope: ClientScope): Promise<RulePass> {
  const at = now.toISOString()
  const maxBefore = await maxTaskId(db)
  const { pooledOwners, ...counts } = await applyRules(db, auditLog, now, rules, scope)
  // every new task is also an in-app notification (pushed, and an OS notice on the desktop)
  const notices = [...(await taskNotices(db, maxBefore, at)), ...poolNotices(pooledOwners)]
  await insertNotices(db, notices, at)
  return { ...counts, notices }
}

/** Re-evaluates the rules for one client inside the current change (after a write about them). */
export async function evaluateClient(ctx: HandlerContext, clientId: number): Promise<void> {
  const pass = await evaluateRules(ctx.db, ctx.auditLog, ctx.clock.now(), await getRules(ctx.db), { clientIds: [clientId] })
  if (pass.notices.length > 0) ctx.afterCommit(() => publishNotices(ctx.events, pass.notices))
}
