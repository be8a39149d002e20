import fs from 'node:fs'
import path from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCounts, kpiValue, KPI_IDS, type KpiCounts, type KpiId } from '@shared/domain/kpi'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import { createdFigures, kpiCountsByOwner, kpiStatements } from '../../electron/host/domains/reports/kpi.repository'
import { contactsOf, dataUseRows, dealsByOwner, funnelCounts, poolByDay, slaOf } from '../../electron/host/domains/reports/reports.repository'
import { tempDir } from '../helpers/temp-host'

// The six KPIs (issue #19) counted from crafted rows in a real encrypted database: each client
// below is placed to test one edge of one definition (shared/domain/kpi.ts, docs/usage.md).
const MARCH = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' }
const A = 1
const B = 2
const C = 3

let dir: string
let store: OpenedDatabase
let db: Kysely<DB>
let seq = 0

function client(o: { owner: number | null; stage: string; created: string; completeness?: number; source?: string }): number {
  seq++
  const r = store.sqlite
    .prepare(
      `INSERT INTO clients (code, kind, name, source_channel, owner_id, tier, stage, completeness, created_at, updated_at, stage_changed_at)
       VALUES (?, 'person', ?, ?, ?, 'normal', ?, ?, ?, ?, ?)`,
    )
    .run(`KT${seq}`, `客户${seq}`, o.source ?? 'walk_in', o.owner, o.stage, o.completeness ?? 0, o.created, o.created, o.created)
  return Number(r.lastInsertRowid)
}
/** A stage change as the API writes it: stage and stage_changed_at in one update. */
function stage(id: number, to: string, at: string) {
  store.sqlite.prepare(`UPDATE clients SET stage = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?`).run(to, at, at, id)
}
function pool(id: number, at: string) {
  store.sqlite.prepare(`UPDATE clients SET owner_id = NULL, pooled_at = ?, claimed_at = NULL WHERE id = ?`).run(at, id)
}
function claim(id: number, staff: number, at: string) {
  store.sqlite.prepare(`INSERT INTO pool_claims (client_id, staff_id, claimed_at, day) VALUES (?, ?, ?, ?)`).run(id, staff, at, at.slice(0, 10))
  store.sqlite.prepare(`UPDATE clients SET owner_id = ?, pooled_at = NULL, claimed_at = ? WHERE id = ?`).run(staff, at, id)
}
function followUp(id: number, staff: number, channel: string, at: string) {
  store.sqlite.prepare(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at) VALUES (?, ?, ?, '跟进', ?)`).run(id, staff, channel, at)
}

let byOwner: Map<number | null, KpiCounts>
const value = (owner: number | null | 'branch', id: KpiId) =>
  kpiValue(id, (owner === 'branch' ? addCounts([...byOwner.values()]) : (byOwner.get(owner) ?? addCounts([])))[id])

beforeAll(async () => {
  dir = tempDir('keyuan-kpi-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'a7'.repeat(32))
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: store.sqlite }) })
  const addStaff = store.sqlite.prepare(`INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'agent', ?, 'x', 'n', 'n')`)
  addStaff.run(A, 'a', '甲', '一组')
  addStaff.run(B, 'b', '乙', '二组')
  addStaff.run(C, 'c', '丙', '二组')

  // completeness and response: clients created in March (lost, so no stage figure counts them)
  const c1 = client({ owner: A, stage: 'lost', created: '2026-03-05T02:00:00.000Z', completeness: 100 })
  followUp(c1, A, 'note', '2026-03-05T02:30:00.000Z') // a note is no contact
  followUp(c1, A, 'phone', '2026-03-05T03:00:00.000Z') // 1 h
  followUp(c1, A, 'phone', '2026-03-05T09:00:00.000Z') // not the first
  const c2 = client({ owner: A, stage: 'lost', created: '2026-03-10T00:00:00.000Z', completeness: 80 })
  followUp(c2, B, 'wechat', '2026-03-10T03:00:00.000Z') // 3 h, whoever answered
  const c3 = client({ owner: A, stage: 'lost', created: '2026-03-31T23:00:00.000Z', completeness: 90 })
  followUp(c3, A, 'phone', '2026-04-01T01:00:00.000Z') // after the period: not yet answered in it
  client({ owner: A, stage: 'lost', created: '2026-02-27T00:00:00.000Z', completeness: 0 }) // before the period

  // the pool: three entries in March, one claimed in it, one after it
  const p1 = client({ owner: A, stage: 'lost', created: '2026-01-01T00:00:00.000Z' })
  pool(p1, '2026-03-02T00:00:00.000Z')
  claim(p1, B, '2026-03-03T00:00:00.000Z')
  const p2 = client({ owner: A, stage: 'lost', created: '2026-01-01T00:00:00.000Z' })
  pool(p2, '2026-03-20T00:00:00.000Z')
  const p3 = client({ owner: B, stage: 'lost', created: '2026-01-01T00:00:00.000Z' })
  pool(p3, '2026-03-25T00:00:00.000Z')
  claim(p3, A, '2026-04-02T00:00:00.000Z')
  const p4 = client({ owner: B, stage: 'lost', created: '2026-01-01T00:00:00.000Z' })
  pool(p4, '2026-02-25T00:00:00.000Z') // entered before the period
  claim(p4, A, '2026-03-04T00:00:00.000Z')

  // stages: s1 goes all the way in March, referred by c1
  const s1 = client({ owner: A, stage: 'potential', created: '2026-02-01T00:00:00.000Z' })
  stage(s1, 'intent', '2026-03-10T00:00:00.000Z')
  stage(s1, 'negotiating', '2026-03-15T00:00:00.000Z')
  stage(s1, 'closed', '2026-03-20T00:00:00.000Z')
  store.sqlite.prepare(`INSERT INTO referrals (referrer_id, referred_id, created_at) VALUES (?, ?, '2026-02-01T00:00:00.000Z')`).run(c1, s1)
  // s2: new in March and still 潜在 (C's only client)
  client({ owner: C, stage: 'potential', created: '2026-03-05T00:00:00.000Z', completeness: 50 })
  // s3: 意向 since February, no deal
  const s3 = client({ owner: B, stage: 'potential', created: '2026-01-05T00:00:00.000Z' })
  stage(s3, 'intent', '2026-02-10T00:00:00.000Z')
  // s4: 潜在 until lost in March: not a move up
  const s4 = client({ owner: B, stage: 'potential', created: '2026-01-05T00:00:00.000Z' })
  stage(s4, 'lost', '2026-03-05T00:00:00.000Z')
  // s5: a past buyer buys again in March (复购)
  const s5 = client({ owner: B, stage: 'closed', created: '2026-01-05T00:00:00.000Z' })
  stage(s5, 'repeat', '2026-03-12T00:00:00.000Z')
  // s6: moved up in April: 潜在 through March, no conversion in it
  const s6 = client({ owner: C, stage: 'potential', created: '2026-01-05T00:00:00.000Z' })
  stage(s6, 'intent', '2026-04-03T00:00:00.000Z')

  byOwner = await kpiCountsByOwner(db, MARCH)
})
afterAll(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('KPI definitions on crafted rows (issue #19)', () => {
  it('profile completeness: the mean score of clients created in the period, per owner', () => {
    expect(byOwner.get(A)?.completeness).toEqual({ num: 2.7, den: 3 })
    expect(value(A, 'completeness')).toBeCloseTo(90)
    expect(value(C, 'completeness')).toBeCloseTo(50)
    expect(value(B, 'completeness')).toBeNull()
    expect(value('branch', 'completeness')).toBeCloseTo(80)
  })

  it('response time: hours to the first contact that is not a note, made before the period ends', () => {
    expect(byOwner.get(A)?.responseHours.den).toBe(2)
    expect(value(A, 'responseHours')).toBeCloseTo(2)
    expect(value(C, 'responseHours')).toBeNull()
  })

  it('pool claim rate: entries in the period claimed before it ends, for the branch only', () => {
    expect(byOwner.get(null)?.poolClaim).toEqual({ num: 1, den: 3 })
    expect(value('branch', 'poolClaim')).toBeCloseTo(100 / 3)
    expect(value(A, 'poolClaim')).toBeNull()
  })

  it('potential → intent: 潜在 at some time in the period, and moved up (not lost) in it', () => {
    expect(byOwner.get(A)?.potentialToIntent).toEqual({ num: 1, den: 1 })
    expect(byOwner.get(B)?.potentialToIntent).toEqual({ num: 0, den: 1 })
    expect(byOwner.get(C)?.potentialToIntent).toEqual({ num: 0, den: 2 })
    expect(value('branch', 'potentialToIntent')).toBeCloseTo(25)
  })

  it('intent → deal: 意向 or 谈判 in the period, and 成交 in it', () => {
    expect(byOwner.get(A)?.intentToDeal).toEqual({ num: 1, den: 1 })
    expect(byOwner.get(B)?.intentToDeal).toEqual({ num: 0, den: 1 })
    expect(value('branch', 'intentToDeal')).toBeCloseTo(50)
  })

  it('repeat/referral: the period’s deals that are repeats or referred', () => {
    expect(byOwner.get(A)?.repeatReferral).toEqual({ num: 1, den: 1 })
    expect(byOwner.get(B)?.repeatReferral).toEqual({ num: 1, den: 1 })
    expect(value('branch', 'repeatReferral')).toBe(100)
  })

  it('an empty period has no data: every value null, never NaN', async () => {
    const empty = await kpiCountsByOwner(db, { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' })
    const branch = addCounts([...empty.values()])
    for (const id of KPI_IDS) {
      expect(branch[id].den).toBe(0)
      expect(kpiValue(id, branch[id])).toBeNull()
    }
  })
})

describe('query plans of the KPI statements', () => {
  let planDir: string
  let planStore: OpenedDatabase
  let planDb: Kysely<DB>
  beforeAll(() => {
    planDir = tempDir('keyuan-kpi-plan-')
    planStore = openDatabase(path.join(planDir, 'keyuan.db'), 'b8'.repeat(32))
    const addStaff = planStore.sqlite.prepare(`INSERT INTO staff (username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, 'agent', ?, 'x', 'n', 'n')`)
    for (let i = 1; i <= 20; i++) addStaff.run(`a${i}`, `A${i}`, `${i % 4}组`)
    generateClients(planStore.sqlite, { clients: 2000, ownerIds: Array.from({ length: 20 }, (_, i) => i + 1), now: new Date('2026-11-25T00:00:00Z') })
    planStore.sqlite.exec('ANALYZE')
    planDb = new Kysely<DB>({ dialect: new SqliteDialect({ database: planStore.sqlite }) })
  }, 60_000)
  afterAll(async () => {
    await planStore.close()
    fs.rmSync(planDir, { recursive: true, force: true })
  })

  it('each KPI reads its rows through an index, with no full scan of a big table', () => {
    const statements = kpiStatements({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' })
    const plans = Object.fromEntries(
      KPI_IDS.map((id) => {
        const q = statements[id].compile(planDb)
        const rows = planStore.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>
        return [id, rows.map((r) => r.detail).join(' | ')]
      }),
    )
    for (const id of KPI_IDS) expect(plans[id], id).not.toMatch(/\bSCAN (clients|c|s|e|f|d|p|r|follow_ups|client_stage_spells)\b(?! USING)/)
    expect(plans.completeness).toMatch(/USING COVERING INDEX clients_created_kpi/)
    // the period's clients from the covering index with their stored first contact (migration 043): no follow-up read
    expect(plans.responseHours).toMatch(/SEARCH clients USING COVERING INDEX clients_created_kpi/)
    expect(plans.responseHours).not.toMatch(/follow_ups/)
    expect(plans.repeatReferral).toMatch(/SEARCH s USING COVERING INDEX stage_spells_kpi/)
    expect(plans.repeatReferral).toMatch(/SEARCH c USING COVERING INDEX clients_source_live/)
    // what kpiCountsByOwner runs for completeness and response time: one pass of the covering index
    const created = createdFigures({ from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }).compile(planDb)
    const createdPlan = (planStore.sqlite.prepare(`EXPLAIN QUERY PLAN ${created.sql}`).all(...(created.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    expect(createdPlan).toMatch(/^SEARCH clients USING COVERING INDEX clients_created_kpi \(created_at>\? AND created_at<\?\)/)
    expect(plans.poolClaim).toMatch(/pool_entries_at/)
    expect(plans.poolClaim).toMatch(/pool_claims_client/)
    // the stage figures (migration 043): open spells counted with no DISTINCT, whole months from
    // stage_spells_open_months and the last one's rest from the index; ended spells by their end,
    // merged clients as one list; 意向 → 成交's earlier spells from the index alone
    for (const id of ['potentialToIntent', 'intentToDeal'] as const) {
      expect(plans[id], id).toMatch(/SEARCH m USING PRIMARY KEY \(stage=\?\)/)
      expect(plans[id], id).toMatch(/SEARCH s USING COVERING INDEX stage_spells_open_kpi \(stage=\? AND ended_at=\? AND started_at>\? AND started_at<\?\)/)
      expect(plans[id], id).toMatch(/SEARCH s USING COVERING INDEX stage_spells_ended_kpi \(stage=\? AND ended_at>\?\)/)
      // the merged clients from clients_live (merged_into > ?), never a client looked up for each spell
      expect(plans[id], id).not.toMatch(/SEARCH c USING (INTEGER PRIMARY KEY|COVERING INDEX clients_live \(merged_into=\? AND rowid=\?\))/)
    }
    expect(plans.intentToDeal).toMatch(/SEARCH d USING COVERING INDEX stage_spells_kpi/)
    expect(plans.intentToDeal).toMatch(/SEARCH s USING COVERING INDEX stage_spells_client_stage/)
  })

  it('the branch reports read through indexes too', async () => {
    const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []
    const logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: planStore.sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
    const p = { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }
    await funnelCounts(logged, p)
    await contactsOf(logged, 1, p)
    await dealsByOwner(logged, p)
    await slaOf(logged, 1, p, p.to)
    await poolByDay(logged, p)
    await dataUseRows(logged, p)
    const plans = captured.map((q) => (planStore.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | '))
    expect(plans).toHaveLength(7)
    for (const plan of plans) expect(plan).not.toMatch(/\bSCAN (clients|c|s|e|follow_ups|tasks|pool_claims|client_stage_spells|audit_log)\b(?! USING)/)
    expect(plans[0]).toMatch(/stage_spells_funnel/)
    expect(plans[1]).toMatch(/follow_ups_contacts/)
    expect(plans[3]).toMatch(/tasks_staff_open/)
    expect(plans[4]).toMatch(/pool_entries_at/)
    expect(plans[5]).toMatch(/pool_claims_at/)
    expect(plans[6]).toMatch(/audit_at/)
  })
})
