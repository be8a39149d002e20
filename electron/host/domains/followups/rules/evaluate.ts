import type { Kysely } from 'kysely'
import type { BranchRules } from '@shared/domain/rules'
import type { HandlerContext } from '../../../api/handler'
import { callProcedure, type WriterProcedure } from '../../../db/procedures'
import type { DB } from '../../../db/schema'
import type { AuditAppender, AuditRecord } from '../../audit/audit-log'
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
  auditLog: AuditAppender,
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
export async function evaluateRules(db: Kysely<DB>, auditLog: AuditAppender, now: Date, rules: BranchRules, scope: ClientScope): Promise<RulePass> {
  const at = now.toISOString()
  const maxBefore = await maxTaskId(db)
  const { pooledOwners, ...counts } = await applyRules(db, auditLog, now, rules, scope)
  // every new task is also an in-app notification (pushed, and an OS notice on the desktop)
  const notices = [...(await taskNotices(db, maxBefore, at)), ...poolNotices(pooledOwners)]
  await insertNotices(db, notices, at)
  return { ...counts, notices }
}

/** What the rules did for one client in the writer's thread, for the caller to finish: audit rows to append, notices to push. */
export interface ClientRulesDone {
  notices: Notice[]
  audits: AuditRecord[]
}

/**
 * Every rule for one client at `at`, in the caller's transaction (in the writer's thread: see
 * clientRulesProcedure). The audit rows a rule writes are returned, not written: the chain's key
 * is the host's (appendRulesDone writes them, in the same order, before anything else is audited).
 */
export async function rulesForClient(db: Kysely<DB>, clientId: number, at: string): Promise<ClientRulesDone> {
  const audits: AuditRecord[] = []
  const collect: AuditAppender = {
    append: async (_db, r) => {
      audits.push(r)
    },
  }
  const pass = await evaluateRules(db, collect, new Date(at), await getRules(db), { clientIds: [clientId] })
  return { notices: pass.notices, audits }
}

/**
 * rulesForClient whole in the writer's thread: one message instead of one per statement (about
 * 28 for a client: the settings, the rules' statements, the club points, the tags, the digest).
 */
export const clientRulesProcedure: WriterProcedure<{ clientId: number; at: string }, ClientRulesDone> = {
  name: 'followups.rules-for-client',
  writes: true,
  run: (ctx, { clientId, at }) => rulesForClient(ctx.db, clientId, at),
}

/** Writes the audit rows the rules returned (in the call's transaction) and pushes their notices once it commits. */
export async function appendRulesDone(ctx: HandlerContext, done: ClientRulesDone): Promise<void> {
  for (const r of done.audits) await ctx.auditLog.append(ctx.db, r)
  if (done.notices.length > 0) ctx.afterCommit(() => publishNotices(ctx.events, done.notices))
}

/** Re-evaluates the rules for one client inside the current change (after a write about them). */
export async function evaluateClient(ctx: HandlerContext, clientId: number): Promise<void> {
  await appendRulesDone(ctx, await callProcedure(ctx.db, clientRulesProcedure, { clientId, at: ctx.clock.now().toISOString() }))
}
