import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { HostTextKey } from '@shared/domain/host-text-keys'
import type { BranchRules } from '@shared/domain/rules'
import type { DB } from '../../../db/schema'
import { likely } from '../../../db/sqlite-sql'
import type { AuditAppender } from '../../audit/audit-log'
import type { ClientScope } from '../../clients/client-scope'
import type { PooledOwner } from './digest'

/** What every rule is given: the time of the pass, the branch's rules, the clients in scope. */
export interface RuleContext {
  now: Date
  /** `now` as stored: every row the pass writes carries it. */
  at: string
  rules: BranchRules
  scope: ClientScope
  auditLog: AuditAppender
}

/** What a rule did. */
export interface RuleOutcome {
  created?: number
  resolved?: number
  pooled?: number
  escalated?: number
  /** the owners whose clients went back to the pool (one notice each per pass) */
  pooledOwners?: PooledOwner[]
}

/**
 * One follow-up rule (DESIGN §6). Set-based SQL, idempotent: each firing has an event key
 * (UNIQUE), so any number of passes — or a catch-up after a week switched off — creates each
 * task once. Runs inside the caller's transaction.
 */
export interface FollowUpRule {
  name: string
  evaluate(db: Kysely<DB>, ctx: RuleContext): Promise<RuleOutcome>
}

/** Rows a statement changed. */
export async function affected(db: Kysely<DB>, q: RawBuilder<unknown>): Promise<number> {
  return Number((await q.execute(db)).numAffectedRows ?? 0n)
}

/** An ISO time this many ms before or after `now`. */
export function isoFrom(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString()
}

/**
 * The clients (alias c) the follow-up rules watch: live, owned, not closed or lost. likely(): nearly
 * every client is live. The sampled statistics of PRAGMA optimize put clients_live at ~2,000 rows
 * per value, so without the hint the planner walks all clients through that index instead of the
 * rule's own range (rule needs: 280 ms instead of 20 ms on 100k clients; bench: scheduler).
 */
export const WATCHED_CLIENT = sql<SqlBool>`${likely(sql<SqlBool>`c.merged_into IS NULL`)} AND c.owner_id IS NOT NULL AND c.stage NOT IN ('closed', 'lost')`

/**
 * `<alias.>status = 'open'` for a rule's statement over tasks. In a pass over part of the book,
 * `+` keeps the status off the index, so the planner walks the clients' own tasks in tasks_client
 * (client_id, status) instead of every open task of the branch in tasks_open_due: a sliced pass
 * would otherwise read all open tasks once per slice.
 */
export function openTask(scope: ClientScope, column: string): RawBuilder<SqlBool> {
  return 'all' in scope ? sql<SqlBool>`${sql.ref(column)} = 'open'` : sql<SqlBool>`+${sql.ref(column)} = 'open'`
}

/** A task title's key, for a rule's SQL (bound, and checked against the list of host texts). */
export function titleKey(key: HostTextKey & `task.${string}`): string {
  return key
}
