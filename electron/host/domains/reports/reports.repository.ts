import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Period } from '@shared/domain/kpi'
import type { DB } from '../../db/schema'
import { clientConditions, inIds, narrows, type ClientFilter } from './report-filter'

/** The funnel's stages, in order. */
export const FUNNEL_STAGES = ['potential', 'intent', 'negotiating', 'closed', 'repeat'] as const

/**
 * Clients who were at each stage at some time in the period (their stage spells overlap it),
 * merged records left out. Counted over every spell in stage_spells_funnel's client order (no
 * temporary b-tree, no client row), then the few merged clients' spells counted the same way and
 * taken off: a client is merged or not, so the difference is exactly the live clients, without
 * looking up a client row for each of the period's spells.
 */
export async function funnelCounts(db: Kysely<DB>, p: Period, f: ClientFilter = { owners: null }): Promise<Map<string, number>> {
  const overlaps = sql`s.stage IN ('potential', 'intent', 'negotiating', 'closed', 'repeat') AND s.started_at < ${p.to} AND (s.ended_at IS NULL OR s.ended_at >= ${p.from})`
  if (narrows(f)) return funnelFiltered(db, overlaps, f)
  const { rows } = await sql<{ stage: string; n: number }>`SELECT stage, sum(n) AS n FROM (
      SELECT s.stage AS stage, count(DISTINCT s.client_id) AS n FROM client_stage_spells s INDEXED BY stage_spells_funnel
        WHERE ${overlaps} GROUP BY s.stage
      UNION ALL
      SELECT s.stage AS stage, -count(DISTINCT s.client_id) AS n FROM clients c CROSS JOIN client_stage_spells s ON s.client_id = c.id
        WHERE c.merged_into IS NOT NULL AND ${overlaps} GROUP BY s.stage)
    GROUP BY stage`.execute(db)
  return new Map(rows.map((r) => [r.stage, r.n]))
}

/**
 * The funnel of some clients: the period's spells from stage_spells_funnel, each joined to its live
 * client by the primary key and kept when the spell's owner (an agent's stage) and the client's
 * source and campaign match.
 */
async function funnelFiltered(db: Kysely<DB>, overlaps: RawBuilder<unknown>, f: ClientFilter): Promise<Map<string, number>> {
  const { rows } = await sql<{ stage: string; n: number }>`SELECT s.stage AS stage, count(DISTINCT s.client_id) AS n
    FROM client_stage_spells s INDEXED BY stage_spells_funnel CROSS JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
    WHERE ${overlaps} AND ${clientConditions(f, sql`s.owner_id`)} GROUP BY s.stage`.execute(db)
  return new Map(rows.map((r) => [r.stage, r.n]))
}

/**
 * Clients marked lost in the period by reason, of some clients (the owner now, source, campaign):
 * the range of clients_lost, each client's row read for the filter.
 */
export async function lostReasonsOf(db: Kysely<DB>, p: Period, f: ClientFilter) {
  const { rows } = await sql<{ lost_reason: string | null; n: number }>`SELECT c.lost_reason AS lost_reason, count(*) AS n
    FROM clients c INDEXED BY clients_lost
    WHERE c.stage = 'lost' AND c.merged_into IS NULL AND c.lost_at >= ${p.from} AND c.lost_at < ${p.to} AND ${clientConditions(f, sql`c.owner_id`)}
    GROUP BY c.lost_reason ORDER BY n DESC`.execute(db)
  return rows
}

/** One agent's contacts (follow-ups other than notes, imported history left out) made in the period: a range of the covering follow_ups_contacts. */
export async function contactsOf(db: Kysely<DB>, staffId: number, p: Period): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM follow_ups
    WHERE staff_id = ${staffId} AND created_at >= ${p.from} AND created_at < ${p.to} AND channel != 'note' AND import_id IS NULL`.execute(db)
  return rows[0]?.n ?? 0
}

/**
 * Deals (clients reaching 成交 or 复购转介) in the period, by the owner at the deal, merged records
 * left out the way funnelCounts leaves them out: every deal spell of the period from the covering
 * stage_spells_kpi, less those of merged clients.
 */
export async function dealsByOwner(db: Kysely<DB>, p: Period): Promise<Map<number | null, number>> {
  const deals = sql`s.stage IN ('closed', 'repeat') AND s.started_at >= ${p.from} AND s.started_at < ${p.to}`
  const { rows } = await sql<{ owner: number | null; n: number }>`SELECT owner, sum(n) AS n FROM (
      SELECT s.owner_id AS owner, count(DISTINCT s.client_id) AS n FROM client_stage_spells s INDEXED BY stage_spells_kpi
        WHERE ${deals} GROUP BY s.owner_id
      UNION ALL
      SELECT s.owner_id AS owner, -count(DISTINCT s.client_id) AS n FROM clients c CROSS JOIN client_stage_spells s ON s.client_id = c.id
        WHERE c.merged_into IS NOT NULL AND ${deals} GROUP BY s.owner_id)
    GROUP BY owner HAVING sum(n) > 0`.execute(db)
  return new Map(rows.map((r) => [r.owner, r.n]))
}

/** One agent's tasks due in the period: done on time, done late, still open past due (at `now`), escalated. */
export async function slaOf(db: Kysely<DB>, staffId: number, p: Period, now: string) {
  const { rows } = await sql<{ on_time: number | null; late: number | null; overdue: number | null; escalated: number | null }>`SELECT
      sum(status = 'done' AND done_at <= due_at) AS on_time,
      sum(status = 'done' AND done_at > due_at) AS late,
      sum(status = 'open' AND due_at < ${now}) AS overdue,
      sum(status != 'cancelled' AND escalated_at IS NOT NULL) AS escalated
    FROM tasks WHERE staff_id = ${staffId} AND due_at >= ${p.from} AND due_at < ${p.to}`.execute(db)
  const r = rows[0]
  return { onTime: r?.on_time ?? 0, late: r?.late ?? 0, overdue: r?.overdue ?? 0, escalated: r?.escalated ?? 0 }
}

/** Pool entries and claims per branch day (UTC+8) of the period; with `owners`, the entries of their clients (the owner before) and their claims. */
export async function poolByDay(db: Kysely<DB>, p: Period, owners: readonly number[] | null = null) {
  const entries = owners === null ? sql`1` : inIds(sql`e.from_owner_id`, owners)
  const claims = owners === null ? sql`1` : inIds(sql`staff_id`, owners)
  const entered = await sql<{ day: string; n: number }>`SELECT date(e.at, '+8 hours') AS day, count(*) AS n
    FROM client_pool_entries e JOIN clients c ON c.id = e.client_id AND c.merged_into IS NULL
    WHERE e.at >= ${p.from} AND e.at < ${p.to} AND ${entries} GROUP BY day`.execute(db)
  const claimed = await sql<{ day: string; n: number }>`SELECT date(claimed_at, '+8 hours') AS day, count(*) AS n
    FROM pool_claims WHERE claimed_at >= ${p.from} AND claimed_at < ${p.to} AND ${claims} GROUP BY day`.execute(db)
  return { entered: entered.rows, claimed: claimed.rows }
}

/**
 * The audit actions the data-use review (seed 000) counts, by kind: full phone numbers shown, client
 * data read where a read is logged (an admin opening a profile, phone lookups, printed viewing
 * sheets, number searches in the log); exports are any action named for one.
 */
export const DATA_USE_ACTIONS = {
  reveals: ['clients.revealPhones'],
  reads: ['clients.get', 'clients.phoneLookup', 'viewings.sheet', 'audit.searchNumber'],
} as const

/** Audit rows of the period per staff member and action: reveals, reads and exports (audit_at index). */
export async function dataUseRows(db: Kysely<DB>, p: Period) {
  const listed = [...DATA_USE_ACTIONS.reveals, ...DATA_USE_ACTIONS.reads]
  const { rows } = await sql<{ actor: number; action: string; n: number }>`SELECT actor_id AS actor, action, count(*) AS n FROM audit_log
    WHERE at >= ${p.from} AND at < ${p.to} AND actor_id IS NOT NULL AND (action IN (${sql.join(listed)}) OR action GLOB '*export*')
    GROUP BY actor_id, action`.execute(db)
  return rows
}
