import { sql, type Kysely } from 'kysely'
import type { Period } from '@shared/domain/kpi'
import type { DB } from '../../db/schema'
import { clientConditions, inIds, narrows, type ClientFilter } from './report-filter'

// The reports of issue #19 item 2 beyond the KPIs: response times, conversion by channel and
// campaign, visits and swipes by hour, the board's sell-through and payments, the club. Each reads
// one period [from, to) through an index on its time column (migration 030); timestamps are UTC
// ISO strings, so text order is time order, and branch days and hours are UTC+8.

/**
 * Each "response start" of the period with the hours to the first contact (a follow-up other than a
 * note, by anyone, logged in Keyuan: imported history is left out) at or after it and before `to`,
 * null when none came. A start is a client given to
 * an agent (an assignments row: rota, manual assignment, hand-over) or a client created with an
 * owner and not given at once (no assignment within a minute of creation), for the owner of the
 * client's first stage spell. Clients created without an owner count from when they are given.
 * The first contact after an assignment or a creation is stored on its row by triggers (migration
 * 043: assignments.first_contact_at, clients.first_contact_at; being the first, it came before `to`
 * exactly when it is < to), so the period's assignments are one range of assignments_first_contact
 * and its clients one of clients_created_kpi, with no follow-up read. Merged clients are left out
 * by a list of them made once (few), not by a client lookup for each assignment. (LIMIT -1 keeps
 * SQLite from copying the first-spell lookup into the subquery's WHERE, where it ran twice a client.)
 */
export async function responseStarts(db: Kysely<DB>, p: Period) {
  const { rows } = await sql<{ agent: number; hours: number | null }>`SELECT agent,
      round((julianday(first_contact) - julianday(start)) * 86400000) / 3600000.0 AS hours
    FROM (
      SELECT a.staff_id AS agent, a.assigned_at AS start, CASE WHEN a.first_contact_at < ${p.to} THEN a.first_contact_at END AS first_contact
        FROM assignments a INDEXED BY assignments_first_contact
        WHERE a.assigned_at >= ${p.from} AND a.assigned_at < ${p.to}
          AND a.client_id NOT IN (SELECT m.id FROM clients m WHERE m.merged_into IS NOT NULL)
      UNION ALL
      SELECT (SELECT s.owner_id FROM client_stage_spells s INDEXED BY stage_spells_client_start WHERE s.client_id = c.id ORDER BY s.started_at, s.id LIMIT 1) AS agent,
          c.created_at AS start, CASE WHEN c.first_contact_at < ${p.to} THEN c.first_contact_at END AS first_contact
        FROM clients c INDEXED BY clients_created_kpi
        WHERE c.merged_into IS NULL AND c.created_at >= ${p.from} AND c.created_at < ${p.to}
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.assigned_at < strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at, '+60 seconds'))
      LIMIT -1
    )
    WHERE agent IS NOT NULL`.execute(db)
  return rows
}

/**
 * Clients created in the period per source channel and campaign (null: none), and how many of them
 * reached 意向 or later, 谈判 or later, and a deal (成交 or 复购转介) before `to`: when a client first
 * reached each is stored on its row by triggers (migration 043), so the period's clients are one
 * range of the covering clients_created_kpi, a campaign a primary-key probe each, and the campaign's
 * name is looked up once a group.
 */
export async function conversionRows(db: Kysely<DB>, p: Period) {
  const reached = (column: 'reached_intent_at' | 'reached_negotiating_at' | 'reached_deal_at') => sql`count(CASE WHEN ${sql.ref(`c.${column}`)} < ${p.to} THEN 1 END)`
  const { rows } = await sql<{ channel: string; campaign_id: number | null; campaign_name: string | null; clients: number; intent: number; negotiating: number; deals: number }>`SELECT
      g.channel AS channel, g.campaign_id AS campaign_id, k.name AS campaign_name, g.clients AS clients, g.intent AS intent, g.negotiating AS negotiating, g.deals AS deals
    FROM (
      SELECT c.source_channel AS channel, cc.campaign_id AS campaign_id, count(*) AS clients,
        ${reached('reached_intent_at')} AS intent, ${reached('reached_negotiating_at')} AS negotiating, ${reached('reached_deal_at')} AS deals
      FROM clients c INDEXED BY clients_created_kpi LEFT JOIN client_campaigns cc ON cc.client_id = c.id
      WHERE c.merged_into IS NULL AND c.created_at >= ${p.from} AND c.created_at < ${p.to}
      GROUP BY c.source_channel, cc.campaign_id
    ) g LEFT JOIN campaigns k ON k.id = g.campaign_id
    ORDER BY clients DESC, channel, campaign_id`.execute(db)
  return rows
}

/**
 * Front-desk visits (visits) and card swipes (swipe_log, every swipe on record) per branch day and
 * hour; with `owners`, the visits of their clients (the owner at the visit) and the swipes of their
 * clients' cards (the owner now).
 */
export async function trafficRows(db: Kysely<DB>, p: Period, owners: readonly number[] | null = null) {
  const whose = {
    visits: owners === null ? sql`1` : inIds(sql`owner_id`, owners),
    // the owners' clients as a list from clients_owner (left to itself, SQLite read every client's entry of a covering index)
    swipe_log: owners === null ? sql`1` : sql`client_id IN (SELECT c.id FROM clients c INDEXED BY clients_owner WHERE c.merged_into IS NULL AND ${inIds(sql`c.owner_id`, owners)})`,
  }
  const per = (table: 'visits' | 'swipe_log') =>
    sql<{ day: string; hour: number; n: number }>`SELECT date(at, '+8 hours') AS day, CAST(strftime('%H', at, '+8 hours') AS INTEGER) AS hour, count(*) AS n
      FROM ${sql.table(table)} WHERE at >= ${p.from} AND at < ${p.to} AND ${whose[table]} GROUP BY day, hour`.execute(db)
  const [visits, swipes] = [await per('visits'), await per('swipe_log')]
  return { visits: visits.rows, swipes: swipes.rows }
}

/** Subscriptions (a deal's 认购 step) per branch day of the period: count, deal prices (fen) and areas (0.01 m²) summed; with `agents`, of their deals. */
export async function subscriptionsByDay(db: Kysely<DB>, p: Period, projectId: number | null, agents: readonly number[] | null = null) {
  const { rows } = await sql<{ day: string; n: number; amount: number; area: number }>`SELECT date(st.at, '+8 hours') AS day, count(*) AS n,
      sum(t.price) AS amount, sum(u.area) AS area
    FROM transaction_steps st CROSS JOIN unit_transactions t ON t.id = st.tx_id JOIN units u ON u.id = t.unit_id JOIN buildings b ON b.id = u.building_id
    WHERE st.status = 'subscribe' AND st.at >= ${p.from} AND st.at < ${p.to} AND (${projectId} IS NULL OR b.project_id = ${projectId})
      AND ${agents === null ? sql`1` : inIds(sql`t.agent_id`, agents)}
    GROUP BY day ORDER BY day`.execute(db)
  return rows
}

/** The board's units now: how many in all, and how many a live deal holds at 认购 or beyond (sold through). */
export async function unitsSold(db: Kysely<DB>, projectId: number | null) {
  const { rows } = await sql<{ units: number; sold: number }>`SELECT count(*) AS units,
      count(t.id) AS sold
    FROM units u JOIN buildings b ON b.id = u.building_id
      LEFT JOIN unit_transactions t ON t.unit_id = u.id AND t.live = 1 AND t.status IN ('subscribe', 'sign', 'sold')
    WHERE (${projectId} IS NULL OR b.project_id = ${projectId})`.execute(db)
  return rows[0] ?? { units: 0, sold: 0 }
}

/** One instalment due in the period, with its deal's other instalments' dues and everything paid on the deal. */
export interface InstalmentRow {
  id: number
  tx_id: number
  due_date: string
  amount: number
  label: string
  building: string
  number: string
  client_name: string | null
}

/** Instalments (payment_schedule) due on the period's branch days [fromDay, toDay), of live deals (with `agents`, of their deals), with their unit and buyer (the period's instalments first). */
export async function instalmentsDue(db: Kysely<DB>, fromDay: string, toDay: string, projectId: number | null, agents: readonly number[] | null = null) {
  const { rows } = await sql<InstalmentRow>`SELECT ps.id AS id, ps.tx_id AS tx_id, ps.due_date AS due_date, ps.amount AS amount, ps.label AS label,
      b.name AS building, u.number AS number, c.name AS client_name
    FROM payment_schedule ps CROSS JOIN unit_transactions t ON t.id = ps.tx_id JOIN units u ON u.id = t.unit_id JOIN buildings b ON b.id = u.building_id
      LEFT JOIN clients c ON c.id = t.client_id
    WHERE ps.due_date >= ${fromDay} AND ps.due_date < ${toDay} AND t.live = 1 AND (${projectId} IS NULL OR b.project_id = ${projectId})
      AND ${agents === null ? sql`1` : inIds(sql`t.agent_id`, agents)}
    ORDER BY ps.due_date, ps.id`.execute(db)
  return rows
}

/** Every instalment and the total paid of some deals (to settle instalments in due order). */
export async function dealsLedger(db: Kysely<DB>, txIds: readonly number[]) {
  if (txIds.length === 0) return { schedule: [], paid: [] }
  const schedule = await sql<{ id: number; tx_id: number; due_date: string; amount: number }>`SELECT id, tx_id, due_date, amount FROM payment_schedule
    WHERE tx_id IN (${sql.join(txIds)})`.execute(db)
  const paid = await sql<{ tx_id: number; paid: number }>`SELECT tx_id, sum(amount) AS paid FROM payments WHERE tx_id IN (${sql.join(txIds)}) GROUP BY tx_id`.execute(db)
  return { schedule: schedule.rows, paid: paid.rows }
}

/** Club members now (an active member card, issued before `to`) with their points balance as of `to`. */
export async function memberBalances(db: Kysely<DB>, to: string) {
  const { rows } = await sql<{ client_id: number; points: number }>`SELECT m.client_id AS client_id,
      coalesce((SELECT sum(l.delta) FROM points_ledger l WHERE l.client_id = m.client_id AND l.at < ${to}), 0) AS points
    FROM member_cards m INDEXED BY member_cards_one_active JOIN clients c ON c.id = m.client_id AND c.merged_into IS NULL
    WHERE m.status = 'active' AND m.issued_at < ${to}`.execute(db)
  return rows
}

/** Points issued (positive entries) and taken back or spent (negative entries) in the period, per kind. */
export async function pointsByKind(db: Kysely<DB>, p: Period) {
  const { rows } = await sql<{ kind: string; issued: number; redeemed: number }>`SELECT kind,
      coalesce(sum(CASE WHEN delta > 0 THEN delta END), 0) AS issued, coalesce(sum(CASE WHEN delta < 0 THEN -delta END), 0) AS redeemed
    FROM points_ledger WHERE at >= ${p.from} AND at < ${p.to} GROUP BY kind ORDER BY kind`.execute(db)
  return rows
}

/** Referrals recorded in the period per referrer (the referrer's name), and how many of them were rewarded (CROSS JOIN: the period's referrals first, whatever the statistics say). */
export async function referralsByReferrer(db: Kysely<DB>, p: Period) {
  const { rows } = await sql<{ referrer_id: number; referrer_name: string; owner_id: number | null; referred: number; rewarded: number }>`SELECT r.referrer_id AS referrer_id,
      c.name AS referrer_name, c.owner_id AS owner_id, count(*) AS referred, count(r.rewarded_at) AS rewarded
    FROM referrals r CROSS JOIN clients c ON c.id = r.referrer_id
    WHERE r.created_at >= ${p.from} AND r.created_at < ${p.to}
    GROUP BY r.referrer_id ORDER BY referred DESC, r.referrer_id`.execute(db)
  return rows
}

/**
 * 客户地图: clients on record at the period's end (created before `to`, merged records left out)
 * per district as typed (clients.region), with those created in the period and those of high
 * purchasing power (wealth tier 高); and deals (clients reaching 成交 or 复购转介 in the period) per
 * district. The first reads the covering index clients_region_live (region, created_at, wealth_tier of
 * live clients) in district order: no client row, no sort. INDEXED BY: on the 100k bench book the
 * statistics PRAGMA optimize gathers made SQLite prefer clients_live (merged_into=?) and read every
 * client row (329 ms instead of 67 ms through the API, docs/performance.md).
 */
export async function districtRows(db: Kysely<DB>, p: Period, f: ClientFilter = { owners: null }) {
  if (narrows(f)) return districtRowsOf(db, p, f)
  const clients = await sql<{ district: string | null; clients: number; new_clients: number; high_wealth: number }>`SELECT region AS district, count(*) AS clients,
      sum(created_at >= ${p.from}) AS new_clients, sum(wealth_tier = 'high') AS high_wealth
    FROM clients INDEXED BY clients_region_live WHERE merged_into IS NULL AND created_at < ${p.to} GROUP BY region`.execute(db)
  const deals = await sql<{ district: string | null; n: number }>`SELECT c.region AS district, count(DISTINCT s.client_id) AS n
    FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
    WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= ${p.from} AND s.started_at < ${p.to}
    GROUP BY c.region`.execute(db)
  return { clients: clients.rows, deals: deals.rows }
}

/**
 * 客户地图 of some clients: those of some owners (the owner now; a deal: the owner at the deal),
 * source channel or campaign. The clients are read through the index of the narrowest filter SQLite
 * finds (an owner's clients_owner, a channel's clients_source, or clients_region_live); the deals
 * from the period's deal spells (stage_spells_kpi) with their client by the primary key.
 */
async function districtRowsOf(db: Kysely<DB>, p: Period, f: ClientFilter) {
  const clients = await sql<{ district: string | null; clients: number; new_clients: number; high_wealth: number }>`SELECT c.region AS district, count(*) AS clients,
      sum(c.created_at >= ${p.from}) AS new_clients, sum(c.wealth_tier = 'high') AS high_wealth
    FROM clients c WHERE c.merged_into IS NULL AND c.created_at < ${p.to} AND ${clientConditions(f, sql`c.owner_id`)} GROUP BY c.region`.execute(db)
  const deals = await sql<{ district: string | null; n: number }>`SELECT c.region AS district, count(DISTINCT s.client_id) AS n
    FROM client_stage_spells s INDEXED BY stage_spells_kpi CROSS JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
    WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= ${p.from} AND s.started_at < ${p.to} AND ${clientConditions(f, sql`s.owner_id`)}
    GROUP BY c.region`.execute(db)
  return { clients: clients.rows, deals: deals.rows }
}
