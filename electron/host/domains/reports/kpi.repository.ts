import { sql, type Kysely, type RawBuilder } from 'kysely'
import { emptyCounts, type KpiCounts, type KpiId, type Period } from '@shared/domain/kpi'
import type { DB } from '../../db/schema'

/** One KPI's counts for one owner (null: no owner, i.e. the pool, or the branch-only figures). */
interface OwnerCount {
  owner: number | null
  num: number | null
  den: number
}

const UPWARD = sql.raw(`('intent','negotiating','closed','repeat')`)
/** The merged clients (few), left out of the spell figures by a list made once, not a client lookup for each spell. */
const MERGED = sql`(SELECT m.id FROM clients m WHERE m.merged_into IS NOT NULL)`

/**
 * Per owner, the clients with a spell at one of `stages` overlapping the period (den), and `num`
 * over those spells. A client has one open spell (the stage triggers close the open one before
 * opening the next), so the open spells begun before `to` are counted, not DISTINCT: the whole UTC
 * months before `to`'s from stage_spells_open_months (kept by triggers, migration 043), the rest
 * from stage_spells_open_kpi, less the merged clients' open spells (few); the spells that ended in
 * or after the period (stage_spells_ended_kpi: those ended since `from`) add their distinct
 * clients, less those already counted for the same owner by an open spell. `num` reads only ended
 * spells (the KPIs' numerators are moves out of a stage).
 */
function overlapping(stages: RawBuilder<unknown>, p: Period, num: RawBuilder<unknown>): RawBuilder<OwnerCount> {
  const month = p.to.slice(0, 7)
  return sql<OwnerCount>`SELECT owner, sum(num) AS num, sum(den) AS den FROM (
      SELECT nullif(m.owner_key, 0) AS owner, 0 AS num, m.n AS den FROM stage_spells_open_months m WHERE m.stage IN ${stages} AND m.month < ${month}
      UNION ALL
      SELECT s.owner_id AS owner, 0 AS num, count(*) AS den FROM client_stage_spells s INDEXED BY stage_spells_open_kpi
        WHERE s.stage IN ${stages} AND s.ended_at IS NULL AND s.started_at >= ${month} AND s.started_at < ${p.to}
        GROUP BY s.owner_id
      UNION ALL
      SELECT s.owner_id AS owner, 0 AS num, -count(*) AS den FROM clients c CROSS JOIN client_stage_spells s INDEXED BY stage_spells_open ON s.client_id = c.id
        WHERE c.merged_into IS NOT NULL AND s.ended_at IS NULL AND s.stage IN ${stages} AND s.started_at < ${p.to}
        GROUP BY s.owner_id
      UNION ALL
      SELECT s.owner_id AS owner, ${num} AS num,
          count(DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM client_stage_spells o INDEXED BY stage_spells_open
            WHERE o.client_id = s.client_id AND o.ended_at IS NULL AND o.stage IN ${stages} AND o.started_at < ${p.to} AND o.owner_id IS s.owner_id) THEN s.client_id END) AS den
        FROM client_stage_spells s INDEXED BY stage_spells_ended_kpi
        WHERE s.stage IN ${stages} AND s.ended_at >= ${p.from} AND s.started_at < ${p.to} AND s.client_id NOT IN ${MERGED}
        GROUP BY s.owner_id)
    GROUP BY owner HAVING sum(den) > 0`
}

/**
 * The statement behind each KPI for a period [from, to), grouped by owner (definitions in
 * shared/domain/kpi.ts and docs/usage.md). Timestamps are UTC ISO strings, so text order is
 * time order. Owners: the client's owner for client-based figures; for stage figures the owner
 * of the stage spell (the owner while it ran, frozen when it ended); none for the pool.
 */
export function kpiStatements(p: Period): Record<KpiId, RawBuilder<OwnerCount>> {
  return {
    // clients created in the period (covering clients_created_kpi, named: with statistics of a small
    // book SQLite preferred walking clients_owner and every client row); completeness is 0–100 per client
    completeness: sql<OwnerCount>`SELECT owner_id AS owner, sum(completeness) / 100.0 AS num, count(*) AS den
      FROM clients INDEXED BY clients_created_kpi WHERE merged_into IS NULL AND created_at >= ${p.from} AND created_at < ${p.to}
      GROUP BY owner_id`,
    // hours from creation to the first contact (a follow-up that is not a note, logged in Keyuan:
    // imported history is no agent's response) made before `to`; clients with no contact yet are
    // not counted. first_contact_at is the client's first contact at or after its creation, kept by
    // triggers (migration 043), so "before `to`" is first_contact_at < to and the period's clients
    // are one range of the covering clients_created_kpi, no follow-up read.
    // julianday's float is rounded to whole milliseconds first, so an hour is 1, not 0.99999
    responseHours: sql<OwnerCount>`SELECT owner_id AS owner,
        sum(round((julianday(first_contact_at) - julianday(created_at)) * 86400000) / 3600000.0) AS num, count(*) AS den
      FROM clients INDEXED BY clients_created_kpi
      WHERE merged_into IS NULL AND created_at >= ${p.from} AND created_at < ${p.to} AND first_contact_at < ${p.to}
      GROUP BY owner_id`,
    // pool entries in the period, and of them those claimed back (pool_claims) before `to`
    poolClaim: sql<OwnerCount>`SELECT NULL AS owner, count(*) AS den,
        sum(EXISTS (SELECT 1 FROM pool_claims p WHERE p.client_id = e.client_id AND p.claimed_at >= e.at AND p.claimed_at < ${p.to})) AS num
      FROM client_pool_entries e JOIN clients c ON c.id = e.client_id
      WHERE c.merged_into IS NULL AND e.at >= ${p.from} AND e.at < ${p.to}`,
    // 潜在 spells overlapping the period; those that ended in it into 意向 or later
    potentialToIntent: overlapping(sql`('potential')`, p, sql`count(DISTINCT CASE WHEN s.ended_at < ${p.to} AND s.next_stage IN ${UPWARD} THEN s.client_id END)`),
    // 意向 or 谈判 spells overlapping the period; those whose client reached 成交 in it after the spell began.
    // The numerator starts from the period's 成交 spells (few) and looks up their clients' earlier
    // spells by index, instead of probing every overlapping spell for a deal.
    intentToDeal: sql<OwnerCount>`SELECT owner, sum(num) AS num, sum(den) AS den FROM (
        SELECT owner, 0 AS num, den FROM (${overlapping(sql`('intent', 'negotiating')`, p, sql`0`)})
        UNION ALL
        SELECT s.owner_id AS owner, count(DISTINCT s.client_id) AS num, 0 AS den
        FROM client_stage_spells d INDEXED BY stage_spells_kpi
        JOIN client_stage_spells s INDEXED BY stage_spells_client_stage ON s.client_id = d.client_id AND s.stage IN ('intent', 'negotiating') AND s.started_at <= d.started_at
          AND (s.ended_at IS NULL OR s.ended_at >= ${p.from})
        WHERE d.stage = 'closed' AND d.started_at >= ${p.from} AND d.started_at < ${p.to} AND d.client_id NOT IN ${MERGED}
        GROUP BY s.owner_id)
      GROUP BY owner`,
    // the period's deals (成交 or 复购转介 spells begun in it); repeats and referred clients among them
    // (each deal's client from clients_source_live, a narrow copy of the live clients' channel, not
    // the client row: thousands of scattered rows of a large file)
    repeatReferral: sql<OwnerCount>`SELECT s.owner_id AS owner, count(DISTINCT s.client_id) AS den,
        count(DISTINCT CASE WHEN s.stage = 'repeat' OR c.source_channel = 'referral'
          OR EXISTS (SELECT 1 FROM referrals r WHERE r.referred_id = s.client_id) THEN s.client_id END) AS num
      FROM client_stage_spells s JOIN clients c INDEXED BY clients_source_live ON c.id = s.client_id AND c.merged_into IS NULL
      WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= ${p.from} AND s.started_at < ${p.to}
      GROUP BY s.owner_id`,
  }
}

/**
 * completeness and responseHours of kpiStatements in one pass over the period's clients (both read
 * the same range of clients_created_kpi): what kpiCountsByOwner runs. An owner with clients but none
 * answered yet gets a response count of 0 / 0, which is what no row gives.
 */
export function createdFigures(p: Period) {
  return sql<{ owner: number | null; completeness_num: number; completeness_den: number; response_num: number | null; response_den: number }>`SELECT owner_id AS owner,
      sum(completeness) / 100.0 AS completeness_num, count(*) AS completeness_den,
      sum(CASE WHEN first_contact_at < ${p.to} THEN round((julianday(first_contact_at) - julianday(created_at)) * 86400000) / 3600000.0 END) AS response_num,
      count(CASE WHEN first_contact_at < ${p.to} THEN 1 END) AS response_den
    FROM clients INDEXED BY clients_created_kpi WHERE merged_into IS NULL AND created_at >= ${p.from} AND created_at < ${p.to}
    GROUP BY owner_id`
}

/** Every KPI's counts of a period per owner; the key null holds what belongs to no agent. */
export async function kpiCountsByOwner(db: Kysely<DB>, period: Period): Promise<Map<number | null, KpiCounts>> {
  const out = new Map<number | null, KpiCounts>()
  const countsOf = (owner: number | null) => out.get(owner) ?? out.set(owner, emptyCounts()).get(owner)!
  for (const r of (await createdFigures(period).execute(db)).rows) {
    const counts = countsOf(r.owner)
    counts.completeness = { num: r.completeness_num, den: r.completeness_den }
    counts.responseHours = { num: r.response_num ?? 0, den: r.response_den }
  }
  const statements = kpiStatements(period)
  for (const id of ['poolClaim', 'potentialToIntent', 'intentToDeal', 'repeatReferral'] as const) {
    const { rows } = await statements[id].execute(db)
    for (const r of rows) countsOf(r.owner)[id] = { num: r.num ?? 0, den: r.den }
  }
  return out
}

/** Staff a KPI table may list: everyone who can own clients, with their team. */
export async function kpiStaff(db: Kysely<DB>) {
  return db.selectFrom('staff').select(['id', 'name', 'role', 'team', 'active']).orderBy('id').execute()
}
