import fs from 'node:fs'
import path from 'node:path'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { lostReasonCounts } from '../../electron/host/domains/clients/clients.repository'
import { recordedFollowUps } from '../../electron/host/domains/imports/imports.repository'
import { districtRows } from '../../electron/host/domains/reports/branch-reports.repository'
import { kpiStatements } from '../../electron/host/domains/reports/kpi.repository'
import { contactsOf, dealsByOwner, funnelCounts } from '../../electron/host/domains/reports/reports.repository'
import { tempDir } from '../helpers/temp-host'

// The manager's hot reports at 100,000 clients (issue #19: every report under 200 ms) read covering
// indexes (migration 042) and, for the funnel and the deals, count every spell and take off the
// merged clients' instead of looking up each spell's client. Two things are held here on a real
// encrypted database: (1) the plans, and the follow-up import's duplicate check (an OR of
// client-and-time pairs) through follow_ups_client; (2) the figures, against the plain statements
// they replace (a JOIN on the live clients), on a book of random stage changes, merges, notes and
// imported history, for many periods. The bench (tests/bench/reports.bench.ts) has the timings.

let dir: string
let store: OpenedDatabase
let db: Kysely<DB>
const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []

const STAFF = [1, 2, 3, 4]
const STAGES = ['potential', 'intent', 'negotiating', 'closed', 'repeat', 'lost'] as const
const CHANNELS = ['phone', 'wechat', 'visit', 'note'] as const
const START = Date.parse('2026-01-01T00:00:00.000Z')
const DAY = 86_400_000

/** A small deterministic generator (the book is the same on every run). */
function rng(seed: number) {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
}
const at = (days: number) => new Date(START + Math.round(days * DAY)).toISOString()

function planOf(q: { sql: string; parameters: readonly unknown[] }): string {
  return (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
}

/** The statements `run` makes, each with its plan. */
async function plansOf(run: (logged: Kysely<DB>) => Promise<unknown>): Promise<string[]> {
  captured.length = 0
  const logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: store.sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
  await run(logged)
  return captured.map(planOf)
}

beforeAll(() => {
  dir = tempDir('keyuan-report-plans-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'd4'.repeat(32))
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: store.sqlite }) })
  const s = store.sqlite
  const addStaff = s.prepare(`INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'agent', '一组', 'x', 'n', 'n')`)
  for (const id of STAFF) addStaff.run(id, `u${id}`, `员工${id}`)
  s.prepare(`INSERT INTO client_imports (id, file_name, status, kind, created_by, created_at, updated_at) VALUES (1, '跟进.xlsx', 'done', 'followUps', 1, ?, ?)`).run(at(0), at(0))
  const addClient = s.prepare(
    `INSERT INTO clients (code, kind, name, source_channel, owner_id, tier, stage, completeness, created_at, updated_at, stage_changed_at)
     VALUES (?, 'person', ?, 'walk_in', ?, 'normal', 'potential', 0, ?, ?, ?)`,
  )
  const setStage = s.prepare(`UPDATE clients SET stage = ?, lost_reason = ?, lost_at = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?`)
  const setOwner = s.prepare(`UPDATE clients SET owner_id = ? WHERE id = ?`)
  const merge = s.prepare(`UPDATE clients SET merged_into = ? WHERE id = ?`)
  const addFollowUp = s.prepare(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at, import_id, import_row) VALUES (?, ?, ?, '跟进', ?, ?, ?)`)
  const r = rng(19)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  let importRow = 0
  s.transaction(() => {
    for (let i = 1; i <= 400; i++) {
      let day = r() * 300
      const id = Number(addClient.run(`KP${i}`, `客户${i}`, r() < 0.1 ? null : pick(STAFF), at(day), at(day), at(day)).lastInsertRowid)
      for (let k = Math.floor(r() * 5); k > 0; k--) {
        day += r() * 30
        if (r() < 0.2) setOwner.run(pick(STAFF), id)
        const stage = pick(STAGES)
        setStage.run(stage, stage === 'lost' ? pick(['预算不足', '已买他处']) : null, stage === 'lost' ? at(day) : null, at(day), at(day), id)
      }
      for (let k = Math.floor(r() * 6); k > 0; k--) {
        const imported = r() < 0.25
        addFollowUp.run(id, pick(STAFF), pick(CHANNELS), at(r() * 365), imported ? 1 : null, imported ? ++importRow : null)
      }
      if (i > 10 && r() < 0.15) merge.run(i - 1 - Math.floor(r() * 10), id)
    }
  })()
})

afterAll(() => {
  store.sqlite.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Periods of every length and place: inside the book, over its edges, empty. */
function periods() {
  const out = [
    { from: at(-400), to: at(800) },
    { from: at(0), to: at(365) },
    { from: at(500), to: at(600) },
  ]
  const r = rng(7)
  for (let i = 0; i < 25; i++) {
    const from = r() * 360 - 10
    out.push({ from: at(from), to: at(from + 1 + r() * 120) })
  }
  return out
}

describe('the hot reports read covering indexes', () => {
  const p = { from: '2026-03-01T00:00:00.000Z', to: '2026-09-01T00:00:00.000Z' }

  it('the funnel walks stage_spells_funnel in client order: no client row, no temporary b-tree for its count', async () => {
    const [plan] = await plansOf((l) => funnelCounts(l, p))
    const live = plan!.slice(0, plan!.indexOf('UNION ALL'))
    expect(live).toMatch(/SEARCH s USING COVERING INDEX stage_spells_funnel \(stage=\?\)/)
    expect(live).not.toMatch(/TEMP B-TREE FOR count\(DISTINCT\)/)
    expect(live).not.toMatch(/\bclients\b|\bc USING/)
    // the merged clients' part starts from the merged clients (a range of clients_live), never all of them
    expect(plan!.slice(plan!.indexOf('UNION ALL'))).toMatch(/SEARCH c USING COVERING INDEX clients_live \(merged_into>\?\)/)
  })

  it('an agent’s contacts are one range of the covering follow_ups_contacts (notes and imported history not in it)', async () => {
    const [plan] = await plansOf((l) => contactsOf(l, 1, p))
    expect(plan).toBe('SEARCH follow_ups USING COVERING INDEX follow_ups_contacts (staff_id=? AND created_at>? AND created_at<?)')
  })

  it('deals by owner read the covering stage_spells_kpi, merged clients from clients_live', async () => {
    const [plan] = await plansOf((l) => dealsByOwner(l, p))
    expect(plan).toMatch(/SEARCH s USING COVERING INDEX stage_spells_kpi \(stage=\? AND started_at>\? AND started_at<\?\)/)
    expect(plan).toMatch(/SEARCH c USING COVERING INDEX clients_live \(merged_into>\?\)/)
    expect(plan).not.toMatch(/\bSCAN (c|s|clients|client_stage_spells)\b/)
  })

  it('lost reasons are one range of the covering clients_lost', async () => {
    const [plan] = await plansOf((l) => lostReasonCounts(l, p.from, p.to))
    expect(plan).toMatch(/^SEARCH clients USING COVERING INDEX clients_lost \(stage=\? AND lost_at>\? AND lost_at<\?\)/)
  })

  it('the follow-up import’s duplicate check (client-and-time pairs as one JSON value) looks each pair up in follow_ups_client', async () => {
    const pairs = Array.from({ length: 4500 }, (_, i) => ({ clientId: 1 + (i % 300), at: at(i) }))
    const plans = await plansOf((l) => recordedFollowUps(l, pairs))
    expect(plans).toHaveLength(1) // any number of pairs in one statement
    expect(plans[0]).toMatch(/SEARCH f USING INDEX follow_ups_client \(client_id=\? AND created_at=\?\)/)
    expect(plans[0]).not.toMatch(/\bSCAN (f|follow_ups)\b/)
  })
})

describe('the plans hold with statistics too', () => {
  // PRAGMA optimize gathers statistics on a real book; on the 100k bench book they once turned
  // 客户地图 from its covering index to clients_live and every client row. Here the book of the
  // comparison below is analysed first (the plans above ran without statistics).
  it('after ANALYZE each hot report still reads its covering index', async () => {
    store.sqlite.exec('ANALYZE')
    const p = { from: '2026-03-01T00:00:00.000Z', to: '2026-09-01T00:00:00.000Z' }
    expect((await plansOf((l) => funnelCounts(l, p)))[0]).toMatch(/SEARCH s USING COVERING INDEX stage_spells_funnel/)
    expect((await plansOf((l) => contactsOf(l, 1, p)))[0]).toMatch(/COVERING INDEX follow_ups_contacts/)
    expect((await plansOf((l) => dealsByOwner(l, p)))[0]).toMatch(/COVERING INDEX stage_spells_kpi/)
    expect((await plansOf((l) => lostReasonCounts(l, p.from, p.to)))[0]).toMatch(/COVERING INDEX clients_lost/)
    const districts = await plansOf((l) => districtRows(l, p))
    expect(districts.find((x) => !x.includes('client_stage_spells'))).toMatch(/USING COVERING INDEX clients_region_live/)
    const kpis = kpiStatements(p)
    const plan = (id: keyof typeof kpis) => planOf(kpis[id].compile(db))
    expect(plan('completeness')).toMatch(/COVERING INDEX clients_created_kpi/)
    expect(plan('responseHours')).toMatch(/COVERING INDEX follow_ups_first_contact/)
    store.sqlite.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4')
  })
})

describe('the covering shapes count what the plain statements count', () => {
  it('the book holds what the comparison needs: merged clients, several spells a client, notes and imported history', async () => {
    const q = await sql<{ merged: number; spells: number; clients: number; notes: number; imported: number; lost: number }>`SELECT
        (SELECT count(*) FROM clients WHERE merged_into IS NOT NULL) AS merged, (SELECT count(*) FROM client_stage_spells) AS spells,
        (SELECT count(*) FROM clients) AS clients, (SELECT count(*) FROM follow_ups WHERE channel = 'note') AS notes,
        (SELECT count(*) FROM follow_ups WHERE import_id IS NOT NULL) AS imported, (SELECT count(*) FROM clients WHERE stage = 'lost' AND merged_into IS NOT NULL) AS lost`.execute(db)
    const b = q.rows[0]!
    expect(b.merged).toBeGreaterThan(20)
    expect(b.spells).toBeGreaterThan(2 * b.clients)
    expect(b.notes).toBeGreaterThan(50)
    expect(b.imported).toBeGreaterThan(50)
    expect(b.lost).toBeGreaterThan(0)
  })

  it('funnel, deals by owner, contacts and lost reasons equal the JOIN on live clients, for every period', async () => {
    for (const p of periods()) {
      const funnel = await sql<{ stage: string; n: number }>`SELECT s.stage AS stage, count(DISTINCT s.client_id) AS n
        FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
        WHERE s.stage IN ('potential', 'intent', 'negotiating', 'closed', 'repeat') AND s.started_at < ${p.to} AND (s.ended_at IS NULL OR s.ended_at >= ${p.from})
        GROUP BY s.stage`.execute(db)
      const got = await funnelCounts(db, p)
      expect(Object.fromEntries([...got].filter(([, n]) => n > 0)), JSON.stringify(p)).toEqual(Object.fromEntries(funnel.rows.map((r) => [r.stage, r.n])))

      const deals = await sql<{ owner: number | null; n: number }>`SELECT s.owner_id AS owner, count(DISTINCT s.client_id) AS n
        FROM client_stage_spells s JOIN clients c ON c.id = s.client_id AND c.merged_into IS NULL
        WHERE s.stage IN ('closed', 'repeat') AND s.started_at >= ${p.from} AND s.started_at < ${p.to}
        GROUP BY s.owner_id`.execute(db)
      expect(await dealsByOwner(db, p), JSON.stringify(p)).toEqual(new Map(deals.rows.map((r) => [r.owner, r.n])))

      for (const staff of STAFF) {
        const plain = await sql<{ n: number }>`SELECT count(*) AS n FROM follow_ups NOT INDEXED
          WHERE staff_id = ${staff} AND created_at >= ${p.from} AND created_at < ${p.to} AND channel != 'note' AND import_id IS NULL`.execute(db)
        expect(await contactsOf(db, staff, p)).toBe(plain.rows[0]!.n)
      }

      const lost = await sql<{ lost_reason: string | null; n: number }>`SELECT lost_reason, count(*) AS n FROM clients NOT INDEXED
        WHERE stage = 'lost' AND merged_into IS NULL AND lost_at >= ${p.from} AND lost_at < ${p.to} GROUP BY lost_reason`.execute(db)
      const byReason = (rows: ReadonlyArray<{ lost_reason: string | null; n: number }>) => Object.fromEntries(rows.map((r) => [r.lost_reason ?? '', r.n]))
      expect(byReason(await lostReasonCounts(db, p.from, p.to))).toEqual(byReason(lost.rows))
    }
  })

  it('a period with nothing in it counts nothing (no rows, no negative figures)', async () => {
    const p = { from: at(900), to: at(950) }
    expect([...(await funnelCounts(db, p)).values()].every((n) => n >= 0)).toBe(true)
    expect(await dealsByOwner(db, p)).toEqual(new Map())
    expect(await contactsOf(db, 1, p)).toBe(0)
    expect(await lostReasonCounts(db, p.from, p.to)).toEqual([])
  })
})
