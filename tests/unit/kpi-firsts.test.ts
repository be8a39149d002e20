import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Random } from '../../electron/host/demo/random'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import type { SqliteHandle } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { moveHistory, retireMerged } from '../../electron/host/domains/clients/client-merge.repository'
import { conversionRows, responseStarts } from '../../electron/host/domains/reports/branch-reports.repository'
import { KPI_IDS } from '@shared/domain/kpi'
import { kpiCountsByOwner, kpiStatements } from '../../electron/host/domains/reports/kpi.repository'
import { tempDir } from '../helpers/temp-host'

// Migration 043 stores each client's first contact, each assignment's first contact, when each
// client first reached 意向 / 谈判 / a deal, and the open stage spells per stage, owner and month,
// kept by triggers. This test writes a random book the
// ways the product writes it (follow-ups of every kind, out of time order, notes and imported
// history, re-dated and reclassified follow-ups, deletions, stage changes, assignments, merges
// through the merge's own repository functions, a re-dated client), rebuilds every stored value
// in plain code from the raw rows, and compares exactly: first after the migration's backfill of a
// book written before it, then after more writes under the triggers. The KPI (response time,
// 潜在 → 意向, 意向 → 成交), 响应时效 and 渠道转化 statements are then compared with the statements
// they replace (which read the raw rows) over many periods.

const STAFF = [1, 2, 3, 4]
const STAGES = ['potential', 'intent', 'negotiating', 'closed', 'repeat', 'lost'] as const
const CHANNELS = ['phone', 'wechat', 'visit', 'note'] as const
const SOURCES = ['walk_in', 'referral', 'online'] as const
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const YEAR_MS = 365 * 86_400_000

let dir: string
let sqlite: SqliteHandle
let db: Kysely<DB>
const rnd = new Random(4319)
let seq = 0

const at = (offsetMs = rnd.int(0, YEAR_MS)) => new Date(T0 + offsetMs).toISOString()
const all = <T>(q: string, ...params: unknown[]) => sqlite.prepare(q).all(...params) as T[]
const liveClients = () => all<{ id: number }>(`SELECT id FROM clients WHERE merged_into IS NULL`).map((r) => r.id)

function addClient(): number {
  seq++
  const created = at()
  const r = sqlite
    .prepare(
      `INSERT INTO clients (code, kind, name, source_channel, owner_id, tier, stage, completeness, created_at, updated_at, stage_changed_at)
       VALUES (?, 'person', ?, ?, ?, 'normal', ?, ?, ?, ?, ?)`,
    )
    .run(`KF${seq}`, `客户${seq}`, rnd.pick(SOURCES), rnd.chance(0.15) ? null : rnd.pick(STAFF), rnd.chance(0.8) ? 'potential' : rnd.pick(STAGES), rnd.int(0, 100), created, created, created)
  const id = Number(r.lastInsertRowid)
  if (rnd.chance(0.3)) sqlite.prepare(`INSERT INTO client_campaigns (client_id, campaign_id) VALUES (?, ?)`).run(id, rnd.int(1, 2))
  return id
}

/** One random write, as the product makes it (merges through the merge's own repository functions). */
async function randomWrite(): Promise<void> {
  const clients = liveClients()
  const client = rnd.pick(clients)
  const created = (sqlite.prepare(`SELECT created_at FROM clients WHERE id = ?`).pluck().get(client) as string)
  // mostly after the client's creation, some before it (counted by no KPI), in no time order
  const when = rnd.chance(0.85) ? new Date(Date.parse(created) + rnd.int(0, 20 * 86_400_000)).toISOString() : at()
  const kind = rnd.weighted<string>([
    ['followUp', 40],
    ['imported', 6],
    ['deleteFollowUp', 5],
    ['redate', 5],
    ['reclassify', 5],
    ['stage', 14],
    ['owner', 4],
    ['assign', 10],
    ['merge', 3],
    ['client', 5],
    ['recreate', 1],
    ['spell', 2],
  ])
  const followUp = () => all<{ id: number }>(`SELECT id FROM follow_ups ORDER BY random() LIMIT 1`)[0]?.id
  switch (kind) {
    case 'followUp':
    case 'imported':
      sqlite
        .prepare(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at, import_id, import_row) VALUES (?, ?, ?, '跟进', ?, ?, ?)`)
        .run(client, rnd.pick(STAFF), rnd.pick(CHANNELS), when, kind === 'imported' ? 1 : null, kind === 'imported' ? ++seq : null)
      return
    case 'deleteFollowUp':
      sqlite.prepare(`DELETE FROM follow_ups WHERE id = ?`).run(followUp() ?? 0)
      return
    case 'redate':
      sqlite.prepare(`UPDATE follow_ups SET created_at = ? WHERE id = ?`).run(when, followUp() ?? 0)
      return
    case 'reclassify':
      if (rnd.chance(0.5)) sqlite.prepare(`UPDATE follow_ups SET channel = ? WHERE id = ?`).run(rnd.pick(CHANNELS), followUp() ?? 0)
      else sqlite.prepare(`UPDATE follow_ups SET import_id = CASE WHEN import_id IS NULL THEN 1 END, import_row = ? WHERE id = ?`).run(++seq, followUp() ?? 0)
      return
    case 'stage':
      sqlite.prepare(`UPDATE clients SET stage = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?`).run(rnd.pick(STAGES), when, when, client)
      return
    case 'owner':
      sqlite.prepare(`UPDATE clients SET owner_id = ? WHERE id = ?`).run(rnd.chance(0.2) ? null : rnd.pick(STAFF), client)
      return
    case 'assign':
      sqlite.prepare(`INSERT INTO assignments (client_id, staff_id, reason, assigned_at) VALUES (?, ?, '{}', ?)`).run(client, rnd.pick(STAFF), rnd.chance(0.3) ? created : when)
      return
    case 'merge': {
      const kept = rnd.pick(clients)
      if (kept === client) return
      await moveHistory(db, client, kept)
      await retireMerged(db, client, kept, when)
      return
    }
    case 'client':
      addClient()
      return
    case 'recreate':
      sqlite.prepare(`UPDATE clients SET created_at = ? WHERE id = ?`).run(at(), client)
      return
    case 'spell': {
      // no service edits a spell but its triggers; held all the same
      const spell = all<{ id: number }>(`SELECT id FROM client_stage_spells ORDER BY random() LIMIT 1`)[0]?.id ?? 0
      if (rnd.chance(0.5)) sqlite.prepare(`UPDATE client_stage_spells SET started_at = ? WHERE id = ?`).run(at(), spell)
      else sqlite.prepare(`DELETE FROM client_stage_spells WHERE id = ?`).run(spell)
      return
    }
  }
}

const INTENT = new Set(['intent', 'negotiating', 'closed', 'repeat'])
const NEGOTIATING = new Set(['negotiating', 'closed', 'repeat'])
const DEAL = new Set(['closed', 'repeat'])
const minOf = (values: string[]) => values.reduce<string | null>((m, v) => (m === null || v < m ? v : m), null)

/** Every stored value rebuilt in plain code from the raw rows. */
function recount() {
  const contacts = all<{ client_id: number; created_at: string; channel: string; import_id: number | null }>(`SELECT client_id, created_at, channel, import_id FROM follow_ups`).filter(
    (f) => f.channel !== 'note' && f.import_id === null,
  )
  const spells = all<{ client_id: number; stage: string; started_at: string }>(`SELECT client_id, stage, started_at FROM client_stage_spells`)
  const contactsOf = (client: number, since: string) => minOf(contacts.filter((f) => f.client_id === client && f.created_at >= since).map((f) => f.created_at))
  const reached = (client: number, stages: Set<string>) => minOf(spells.filter((s) => s.client_id === client && stages.has(s.stage)).map((s) => s.started_at))
  return {
    clients: all<{ id: number; created_at: string }>(`SELECT id, created_at FROM clients ORDER BY id`).map((c) => ({
      id: c.id,
      first_contact_at: contactsOf(c.id, c.created_at),
      reached_intent_at: reached(c.id, INTENT),
      reached_negotiating_at: reached(c.id, NEGOTIATING),
      reached_deal_at: reached(c.id, DEAL),
    })),
    assignments: all<{ id: number; client_id: number; assigned_at: string }>(`SELECT id, client_id, assigned_at FROM assignments ORDER BY id`).map((a) => ({
      id: a.id,
      first_contact_at: contactsOf(a.client_id, a.assigned_at),
    })),
    openMonths: openMonths(),
  }
}
/** The open spells per stage, owner (0: none) and month of start, counted in plain code. */
function openMonths() {
  const counts = new Map<string, number>()
  for (const s of all<{ stage: string; owner_id: number | null; started_at: string }>(`SELECT stage, owner_id, started_at FROM client_stage_spells WHERE ended_at IS NULL`)) {
    const key = `${s.stage}|${s.owner_id ?? 0}|${s.started_at.slice(0, 7)}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts.entries()].map(([key, n]) => `${key}|${n}`).sort()
}
function stored() {
  return {
    clients: all(`SELECT id, first_contact_at, reached_intent_at, reached_negotiating_at, reached_deal_at FROM clients ORDER BY id`),
    assignments: all(`SELECT id, first_contact_at FROM assignments ORDER BY id`),
    openMonths: all<{ row: string }>(`SELECT stage || '|' || owner_key || '|' || month || '|' || n AS row FROM stage_spells_open_months WHERE n != 0`)
      .map((r) => r.row)
      .sort(),
  }
}

/** The inner search terms' table (migration 045) as today's code writes it, for the book's time before the migrations. */
const PRE_045_INNER_TERMS = 'CREATE TABLE search_inner (term TEXT NOT NULL, client_id INTEGER NOT NULL, field INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (term, client_id, field, pos)) STRICT, WITHOUT ROWID'

beforeAll(async () => {
  dir = tempDir('keyuan-kpi-firsts-')
  sqlite = new Database(path.join(dir, 'k.db'))
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${'e3'.repeat(32)}'"`)
  sqlite.pragma('foreign_keys = ON')
  // as the host runs it (connection-setup.ts): no fsync per write
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  migrate(sqlite, MIGRATIONS.filter((m) => m.version < 43))
  // today's repository code writes these books: a merge also clears the inner search terms' table of
  // migration 045, which a book before 043 has not; an empty one stands in until the migrations run
  sqlite.exec(PRE_045_INNER_TERMS)
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  for (const id of STAFF) sqlite.prepare(`INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'agent', ?, 'x', 'n', 'n')`).run(id, `s${id}`, `员工${id}`, `${id % 2}组`)
  for (const id of [1, 2])
    sqlite
      .prepare(`INSERT INTO campaigns (id, name, channel, start_date, end_date, cost_yuan, created_by, created_at, updated_at) VALUES (?, ?, 'online', '2026-01-01', '2026-12-31', 0, 1, 'n', 'n')`)
      .run(id, `活动${id}`)
  sqlite.prepare(`INSERT INTO client_imports (id, file_name, created_by, created_at, updated_at) VALUES (1, 'history.xlsx', 1, 'n', 'n')`).run()
  for (let i = 0; i < 150; i++) addClient()
}, 60_000)
afterAll(async () => {
  await db.destroy()
  sqlite.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('the stored first contacts and stages reached (migration 043)', () => {
  it('the backfill of a book written before the migration equals a recount from the raw rows', async () => {
    for (let i = 0; i < 1500; i++) await randomWrite()
    sqlite.exec('DROP TABLE search_inner')
    migrate(sqlite, MIGRATIONS)
    const s = stored()
    expect(s.clients.length).toBeGreaterThan(150)
    expect(s.assignments.length).toBeGreaterThan(50)
    expect(s).toEqual(recount())
    // the book is not trivial: first contacts, stages reached and contacts after assignments exist, and some are null
    const firsts = s.clients.map((c) => (c as { first_contact_at: string | null }).first_contact_at)
    expect(firsts.filter((v) => v !== null).length).toBeGreaterThan(30)
    expect(firsts.filter((v) => v === null).length).toBeGreaterThan(5)
  }, 60_000)

  it('after more writes under the triggers (merges, deletions, re-dated and imported history) it still equals the recount', async () => {
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 500; i++) await randomWrite()
      expect(stored(), `round ${round}`).toEqual(recount())
    }
    expect(all(`SELECT 1 FROM clients WHERE merged_into IS NOT NULL`).length).toBeGreaterThan(10)
    // what the stage KPIs count on: a client has at most one open spell
    expect(all(`SELECT client_id FROM client_stage_spells WHERE ended_at IS NULL GROUP BY client_id HAVING count(*) > 1`)).toEqual([])
  }, 120_000)

  it('the KPI, 响应时效 and 渠道转化 statements give what the statements reading the raw rows gave, over many periods', async () => {
    const periods = [{ from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }]
    for (let i = 0; i < 30; i++) {
      const a = rnd.int(-30 * 86_400_000, YEAR_MS)
      periods.push({ from: at(a), to: at(a + rnd.int(3_600_000, 120 * 86_400_000)) })
    }
    for (const p of periods) {
      const old = {
        response: all<{ owner: number | null; num: number; den: number }>(
          `SELECT owner, sum(round((julianday(first_contact) - julianday(created_at)) * 86400000) / 3600000.0) AS num, count(*) AS den FROM (
            SELECT c.owner_id AS owner, c.created_at AS created_at,
              (SELECT min(f.created_at) FROM follow_ups f WHERE f.client_id = c.id AND f.channel != 'note' AND f.import_id IS NULL AND f.created_at >= c.created_at AND f.created_at < :to) AS first_contact
            FROM clients c WHERE c.merged_into IS NULL AND c.created_at >= :from AND c.created_at < :to)
          WHERE first_contact IS NOT NULL GROUP BY owner ORDER BY owner`,
          p,
        ),
        starts: all<{ agent: number; hours: number | null }>(
          `SELECT agent, round((julianday(first_contact) - julianday(start)) * 86400000) / 3600000.0 AS hours FROM (
            SELECT st.agent AS agent, st.start AS start,
              (SELECT min(f.created_at) FROM follow_ups f WHERE f.client_id = st.client_id AND f.channel != 'note' AND f.import_id IS NULL AND f.created_at >= st.start AND f.created_at < :to) AS first_contact
            FROM (
              SELECT a.client_id AS client_id, a.staff_id AS agent, a.assigned_at AS start FROM assignments a JOIN clients c ON c.id = a.client_id AND c.merged_into IS NULL
                WHERE a.assigned_at >= :from AND a.assigned_at < :to
              UNION ALL
              SELECT c.id, (SELECT s.owner_id FROM client_stage_spells s WHERE s.client_id = c.id ORDER BY s.started_at, s.id LIMIT 1), c.created_at FROM clients c
                WHERE c.merged_into IS NULL AND c.created_at >= :from AND c.created_at < :to
                  AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.assigned_at < strftime('%Y-%m-%dT%H:%M:%fZ', c.created_at, '+60 seconds'))
            ) st WHERE st.agent IS NOT NULL)`,
          p,
        ),
        conversion: all(
          `SELECT c.source_channel AS channel, cc.campaign_id AS campaign_id, k.name AS campaign_name, count(*) AS clients,
            sum(EXISTS (SELECT 1 FROM client_stage_spells s WHERE s.client_id = c.id AND s.stage IN ('intent', 'negotiating', 'closed', 'repeat') AND s.started_at < :to)) AS intent,
            sum(EXISTS (SELECT 1 FROM client_stage_spells s WHERE s.client_id = c.id AND s.stage IN ('negotiating', 'closed', 'repeat') AND s.started_at < :to)) AS negotiating,
            sum(EXISTS (SELECT 1 FROM client_stage_spells s WHERE s.client_id = c.id AND s.stage IN ('closed', 'repeat') AND s.started_at < :to)) AS deals
          FROM clients c LEFT JOIN client_campaigns cc ON cc.client_id = c.id LEFT JOIN campaigns k ON k.id = cc.campaign_id
          WHERE c.merged_into IS NULL AND c.created_at >= :from AND c.created_at < :to
          GROUP BY c.source_channel, cc.campaign_id ORDER BY clients DESC, channel, campaign_id`,
          p,
        ),
      }
      const UP = `('intent','negotiating','closed','repeat')`
      const oldStages = {
        potentialToIntent: all(
          `SELECT s.owner_id AS owner, count(DISTINCT CASE WHEN s.ended_at >= :from AND s.ended_at < :to AND s.next_stage IN ${UP} THEN s.client_id END) AS num, count(DISTINCT s.client_id) AS den
          FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
          WHERE s.stage = 'potential' AND s.started_at < :to AND (s.ended_at IS NULL OR s.ended_at >= :from)
          GROUP BY s.owner_id ORDER BY owner`,
          p,
        ),
        // the statement of migration 042, as it was
        intentToDeal: all(
          `SELECT owner, sum(num) AS num, sum(den) AS den FROM (
        SELECT s.owner_id AS owner, 0 AS num, count(DISTINCT s.client_id) AS den
        FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
        WHERE s.stage IN ('intent', 'negotiating') AND s.started_at < :to AND (s.ended_at IS NULL OR s.ended_at >= :from)
        GROUP BY s.owner_id
        UNION ALL
        SELECT s.owner_id AS owner, count(DISTINCT s.client_id) AS num, 0 AS den
        FROM client_stage_spells d JOIN clients c ON c.id = d.client_id AND c.merged_into IS NULL
        JOIN client_stage_spells s ON s.client_id = d.client_id AND s.stage IN ('intent', 'negotiating') AND s.started_at <= d.started_at
          AND (s.ended_at IS NULL OR s.ended_at >= :from)
        WHERE d.stage = 'closed' AND d.started_at >= :from AND d.started_at < :to
        GROUP BY s.owner_id)
      GROUP BY owner ORDER BY owner`,
          p,
        ),
      }
      for (const id of ['potentialToIntent', 'intentToDeal'] as const) {
        const rows = (await kpiStatements(p)[id].execute(db)).rows.map((r) => ({ owner: r.owner, num: r.num, den: r.den }))
        expect(rows.sort((x, y) => (x.owner ?? 0) - (y.owner ?? 0)), `${id} ${p.from}`).toEqual(oldStages[id])
      }
      const response = (await kpiStatements(p).responseHours.execute(db)).rows.sort((x, y) => (x.owner ?? 0) - (y.owner ?? 0))
      expect(response.map((r) => [r.owner, r.den]), p.from).toEqual(old.response.map((r) => [r.owner, r.den]))
      response.forEach((r, i) => expect(r.num, p.from).toBeCloseTo(old.response[i]!.num, 9))
      // what the API runs (completeness and response time in one pass) gives what each KPI's own statement gives
      const byOwner = await kpiCountsByOwner(db, p)
      const single = new Map<number | null, Record<string, { num: number; den: number }>>()
      for (const id of KPI_IDS) {
        for (const r of (await kpiStatements(p)[id].execute(db)).rows) {
          const mine = single.get(r.owner) ?? single.set(r.owner, {}).get(r.owner)!
          mine[id] = { num: r.num ?? 0, den: r.den }
        }
      }
      expect([...byOwner.keys()].sort(), p.from).toEqual([...single.keys()].sort())
      for (const [owner, counts] of byOwner) {
        for (const id of KPI_IDS) {
          const want = single.get(owner)?.[id] ?? { num: 0, den: 0 }
          expect(counts[id].den, `${id} ${owner} ${p.from}`).toBe(want.den)
          expect(counts[id].num, `${id} ${owner} ${p.from}`).toBeCloseTo(want.num, 9)
        }
      }
      const order = (rows: Array<{ agent: number; hours: number | null }>) => rows.map((r) => `${r.agent}:${r.hours}`).sort()
      expect(order(await responseStarts(db, p)), p.from).toEqual(order(old.starts))
      expect(await conversionRows(db, p), p.from).toEqual(old.conversion)
    }
    // the comparison saw figures, not only empty periods
    const year = periods[0]!
    expect((await responseStarts(db, year)).filter((r) => r.hours !== null).length).toBeGreaterThan(20)
    expect((await conversionRows(db, year)).reduce((n, r) => n + r.deals, 0)).toBeGreaterThan(5)
  }, 60_000)
})
