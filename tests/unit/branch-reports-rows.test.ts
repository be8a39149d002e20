import fs from 'node:fs'
import path from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { instalmentStates, quantile, responseBucket, responseSummary } from '@shared/domain/branch-reports'
import { generateClients } from '../../electron/host/demo/generate-clients'
import { openDatabase, type OpenedDatabase } from '../../electron/host/db/open'
import type { DB } from '../../electron/host/db/schema'
import {
  conversionRows,
  dealsLedger,
  instalmentsDue,
  memberBalances,
  pointsByKind,
  referralsByReferrer,
  districtRows,
  responseStarts,
  subscriptionsByDay,
  trafficRows,
  unitsSold,
} from '../../electron/host/domains/reports/branch-reports.repository'
import { tempDir } from '../helpers/temp-host'

// The branch reports of issue #19 item 2 counted from crafted rows in a real encrypted database;
// each row below is placed to test one edge of one definition (docs/usage.md "报表").
const MARCH = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' }
const A = 1
const B = 2

let dir: string
let store: OpenedDatabase
let db: Kysely<DB>
let seq = 0

function client(o: { owner: number | null; created: string; stage?: string; source?: string; name?: string }): number {
  seq++
  const r = store.sqlite
    .prepare(
      `INSERT INTO clients (code, kind, name, source_channel, owner_id, tier, stage, completeness, created_at, updated_at, stage_changed_at)
       VALUES (?, 'person', ?, ?, ?, 'normal', ?, 0, ?, ?, ?)`,
    )
    .run(`KR${seq}`, o.name ?? `客户${seq}`, o.source ?? 'walk_in', o.owner, o.stage ?? 'potential', o.created, o.created, o.created)
  return Number(r.lastInsertRowid)
}
const stage = (id: number, to: string, at: string) => store.sqlite.prepare(`UPDATE clients SET stage = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?`).run(to, at, at, id)
const assign = (id: number, staff: number, at: string) => {
  store.sqlite.prepare(`INSERT INTO assignments (client_id, staff_id, reason, assigned_at) VALUES (?, ?, '{"key":"assign.rota"}', ?)`).run(id, staff, at)
  store.sqlite.prepare(`UPDATE clients SET owner_id = ? WHERE id = ?`).run(staff, id)
}
const followUp = (id: number, staff: number, channel: string, at: string) =>
  store.sqlite.prepare(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at) VALUES (?, ?, ?, '跟进', ?)`).run(id, staff, channel, at)

beforeAll(() => {
  dir = tempDir('keyuan-branch-reports-')
  store = openDatabase(path.join(dir, 'keyuan.db'), 'c9'.repeat(32))
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: store.sqlite }) })
  const addStaff = store.sqlite.prepare(`INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'agent', '一组', 'x', 'n', 'n')`)
  addStaff.run(A, 'a', '甲')
  addStaff.run(B, 'b', '乙')
})
afterAll(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('response times (issue #19 item 2)', () => {
  it('count from creation with an owner or from each assignment, to the first contact that is not a note', async () => {
    const own = client({ owner: A, created: '2026-03-02T01:00:00.000Z' })
    followUp(own, A, 'note', '2026-03-02T01:10:00.000Z') // a note is no contact
    followUp(own, A, 'phone', '2026-03-02T01:30:00.000Z') // 0.5 h
    const rota = client({ owner: null, created: '2026-03-03T00:00:00.000Z' })
    assign(rota, B, '2026-03-03T00:00:00.500Z') // given at once: counts from the assignment only, for B
    followUp(rota, B, 'wechat', '2026-03-03T03:00:00.000Z') // ≈ 3 h
    assign(rota, A, '2026-03-10T00:00:00.000Z') // handed over: a new start for A
    followUp(rota, A, 'phone', '2026-03-11T00:00:00.000Z') // 24 h
    client({ owner: null, created: '2026-03-04T00:00:00.000Z' }) // in the pool, given to nobody: no start
    const late = client({ owner: B, created: '2026-03-31T20:00:00.000Z' })
    followUp(late, B, 'phone', '2026-04-01T01:00:00.000Z') // after the period: unanswered in it
    client({ owner: A, created: '2026-02-27T00:00:00.000Z' }) // before the period

    const starts = await responseStarts(db, MARCH)
    const of = (agent: number) => starts.filter((s) => s.agent === agent).map((s) => s.hours).sort()
    expect(of(A)).toEqual([0.5, 24])
    expect(of(B).map((h) => (h === null ? null : Math.round(h * 1000) / 1000))).toEqual([3, null])
    const branch = responseSummary(starts.map((s) => s.hours))
    expect(branch.median).toBeCloseTo(3, 3)
    expect(branch).toMatchObject({ starts: 4, answered: 3, buckets: { h1: 1, h2: 0, h4: 1, h24: 1, d3: 0, more: 0, unanswered: 1 } })
  })

  it('buckets, median and 90th percentile by nearest rank; none answered is no data', () => {
    expect(responseBucket(2)).toBe('h2')
    expect(responseBucket(2.01)).toBe('h4')
    expect(responseBucket(100)).toBe('more')
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2)
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9)
    expect(responseSummary([null, null])).toMatchObject({ starts: 2, answered: 0, median: null, p90: null })
  })
})

describe('conversion by channel and campaign', () => {
  it('clients created in the period, and how far each group got by its end', async () => {
    store.sqlite.prepare(`INSERT INTO campaigns (id, name, channel, start_date, end_date, cost_yuan, created_by, created_at, updated_at) VALUES (1, '春季展会', 'event', '2026-03-01', '2026-03-31', 5000, 1, 'n', 'n')`).run()
    const e1 = client({ owner: A, created: '2026-03-05T00:00:00.000Z', source: 'event' })
    const e2 = client({ owner: A, created: '2026-03-06T00:00:00.000Z', source: 'event' })
    client({ owner: A, created: '2026-03-07T00:00:00.000Z', source: 'event' })
    store.sqlite.prepare(`INSERT INTO client_campaigns (client_id, campaign_id) VALUES (?, 1), (?, 1)`).run(e1, e2)
    stage(e1, 'intent', '2026-03-08T00:00:00.000Z')
    stage(e1, 'closed', '2026-03-20T00:00:00.000Z')
    stage(e2, 'intent', '2026-04-02T00:00:00.000Z') // after the period
    const rows = await conversionRows(db, MARCH)
    expect(rows.find((r) => r.channel === 'event' && r.campaign_id === 1)).toEqual({ channel: 'event', campaign_id: 1, campaign_name: '春季展会', clients: 2, intent: 1, negotiating: 1, deals: 1 })
    expect(rows.find((r) => r.channel === 'event' && r.campaign_id === null)).toMatchObject({ clients: 1, intent: 0, deals: 0 })
  })
})

describe('visits and swipes by day and hour', () => {
  it('group in branch time (UTC+8): 23:30 UTC is the next morning', async () => {
    const c = client({ owner: A, created: '2026-01-01T00:00:00.000Z' })
    const visit = store.sqlite.prepare(`INSERT INTO visits (client_id, registered_by, at) VALUES (?, ?, ?)`)
    visit.run(c, A, '2026-03-01T23:30:00.000Z') // Mon 2 March 07:30
    visit.run(c, A, '2026-03-02T01:59:00.000Z') // Mon 2 March 09:59
    visit.run(c, A, '2026-02-28T15:59:00.000Z') // 28 Feb 23:59: before the period
    store.sqlite.prepare(`INSERT INTO swipe_log (result, at) VALUES ('unknown', ?), ('known', ?)`).run('2026-03-02T01:00:00.000Z', '2026-03-02T01:05:00.000Z')
    const { visits, swipes } = await trafficRows(db, MARCH)
    expect(visits).toEqual(expect.arrayContaining([{ day: '2026-03-02', hour: 7, n: 1 }, { day: '2026-03-02', hour: 9, n: 1 }]))
    expect(visits.reduce((n, r) => n + r.n, 0)).toBe(2)
    expect(swipes).toEqual([{ day: '2026-03-02', hour: 9, n: 2 }])
  })
})

describe('board sell-through and payments', () => {
  it('subscriptions per day with prices, the share sold now, and instalments settled in due order', async () => {
    const sqlite = store.sqlite
    sqlite.prepare(`INSERT INTO projects (id, name, created_at) VALUES (1, '江景苑', 'n'), (2, '别墅区', 'n')`).run()
    sqlite.prepare(`INSERT INTO buildings (id, project_id, name) VALUES (1, 1, '1栋'), (2, 2, 'A区')`).run()
    const unit = sqlite.prepare(`INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (?, ?, 1, ?, ?, 100000000)`)
    unit.run(1, 1, '101', 10000)
    unit.run(2, 1, '102', 12000)
    unit.run(3, 1, '103', 9000)
    unit.run(4, 2, 'V1', 30000)
    const buyer = client({ owner: A, created: '2026-01-01T00:00:00.000Z', name: '买家' })
    const tx = sqlite.prepare(`INSERT INTO unit_transactions (id, unit_id, client_id, agent_id, status, live, price, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, 'n', 'n')`)
    tx.run(1, 1, buyer, 'sign', 1, 200000000)
    tx.run(2, 2, buyer, 'subscribe', 1, 300000000)
    tx.run(3, 3, buyer, 'subscribe', 0, 100000000) // cancelled since: counts on its day, not as sold now
    tx.run(4, 4, buyer, 'subscribe', 1, 500000000)
    const step = sqlite.prepare(`INSERT INTO transaction_steps (tx_id, status, at) VALUES (?, ?, ?)`)
    step.run(1, 'subscribe', '2026-03-05T02:00:00.000Z')
    step.run(1, 'sign', '2026-03-09T02:00:00.000Z')
    step.run(2, 'subscribe', '2026-03-05T08:00:00.000Z')
    step.run(3, 'subscribe', '2026-03-06T02:00:00.000Z')
    step.run(4, 'subscribe', '2026-03-06T03:00:00.000Z')
    expect(await subscriptionsByDay(db, MARCH, 1)).toEqual([
      { day: '2026-03-05', n: 2, amount: 500000000, area: 22000 },
      { day: '2026-03-06', n: 1, amount: 100000000, area: 9000 },
    ])
    expect(await subscriptionsByDay(db, MARCH, null)).toHaveLength(2)
    expect(await unitsSold(db, 1)).toEqual({ units: 3, sold: 2 })
    expect(await unitsSold(db, null)).toEqual({ units: 4, sold: 3 })

    const plan = sqlite.prepare(`INSERT INTO payment_schedule (tx_id, due_date, amount, label) VALUES (?, ?, ?, ?)`)
    plan.run(1, '2026-02-20', 1000, '首付')
    plan.run(1, '2026-03-10', 2000, '二期')
    plan.run(1, '2026-03-25', 3000, '三期')
    plan.run(3, '2026-03-10', 500, '首付') // a cancelled deal's: not listed
    sqlite.prepare(`INSERT INTO payments (tx_id, receipt_no, method, amount, paid_at) VALUES (1, 'R1', 'cash', 1500, 'n'), (1, 'R2', 'cash', 1000, 'n')`).run()
    const due = await instalmentsDue(db, '2026-03-01', '2026-04-01', null)
    expect(due.map((d) => [d.label, d.building, d.number, d.client_name])).toEqual([
      ['二期', '1栋', '101', '买家'],
      ['三期', '1栋', '101', '买家'],
    ])
    const ledger = await dealsLedger(db, [1])
    expect(ledger.paid).toEqual([{ tx_id: 1, paid: 2500 }])
    const states = instalmentStates(ledger.schedule.map((s) => ({ dueDate: s.due_date, amount: s.amount })), 2500, '2026-03-20')
    expect(states).toEqual([
      { state: 'paid', paid: 1000 },
      { state: 'overdue', paid: 1500 },
      { state: 'due', paid: 0 },
    ])
  })
})

describe('the club', () => {
  it('members by balance at the period end, points by kind, referrals per referrer', async () => {
    const sqlite = store.sqlite
    const m1 = client({ owner: A, created: '2026-01-01T00:00:00.000Z', name: '会员一' })
    const m2 = client({ owner: A, created: '2026-01-01T00:00:00.000Z', name: '会员二' })
    const card = sqlite.prepare(`INSERT INTO member_cards (uid, client_id, status, issued_at) VALUES (?, ?, ?, ?)`)
    card.run('U1', m1, 'active', '2026-01-02T00:00:00.000Z')
    card.run('U2', m2, 'active', '2026-01-02T00:00:00.000Z')
    card.run('U3', m2, 'lost', '2026-01-01T00:00:00.000Z')
    const points = sqlite.prepare(`INSERT INTO points_ledger (client_id, delta, kind, reason, at) VALUES (?, ?, ?, '{"key":"points.viewing"}', ?)`)
    points.run(m1, 600, 'purchase', '2026-02-01T00:00:00.000Z')
    points.run(m1, 10, 'viewing', '2026-03-03T00:00:00.000Z')
    points.run(m1, -200, 'manual', '2026-03-04T00:00:00.000Z') // 410 at the end of March: 普通会员
    points.run(m2, 2000, 'activity', '2026-04-05T00:00:00.000Z') // after the period
    const balances = await memberBalances(db, MARCH.to)
    expect(balances.sort((a, b) => a.client_id - b.client_id)).toEqual([
      { client_id: m1, points: 410 },
      { client_id: m2, points: 0 },
    ])
    expect(await pointsByKind(db, MARCH)).toEqual([
      { kind: 'manual', issued: 0, redeemed: 200 },
      { kind: 'viewing', issued: 10, redeemed: 0 },
    ])
    const friend = client({ owner: B, created: '2026-03-01T00:00:00.000Z' })
    const friend2 = client({ owner: B, created: '2026-03-01T00:00:00.000Z' })
    sqlite.prepare(`INSERT INTO referrals (referrer_id, referred_id, created_at, rewarded_at) VALUES (?, ?, ?, ?), (?, ?, ?, NULL)`).run(m1, friend, '2026-03-10T00:00:00.000Z', '2026-03-12T00:00:00.000Z', m1, friend2, '2026-03-11T00:00:00.000Z')
    expect(await referralsByReferrer(db, MARCH)).toEqual([{ referrer_id: m1, referrer_name: '会员一', owner_id: A, referred: 2, rewarded: 1 }])
  })

  it('an empty period gives empty lists, never NaN', async () => {
    const empty = { from: '2020-01-01T00:00:00.000Z', to: '2020-02-01T00:00:00.000Z' }
    expect(await responseStarts(db, empty)).toEqual([])
    expect(await conversionRows(db, empty)).toEqual([])
    expect(await trafficRows(db, empty)).toEqual({ visits: [], swipes: [] })
    expect(await subscriptionsByDay(db, empty, null)).toEqual([])
    expect(await pointsByKind(db, empty)).toEqual([])
    expect(await memberBalances(db, empty.to)).toEqual([])
  })
})

describe('query plans of the branch reports', () => {
  let planDir: string
  let planStore: OpenedDatabase
  beforeAll(() => {
    planDir = tempDir('keyuan-branch-plan-')
    planStore = openDatabase(path.join(planDir, 'keyuan.db'), 'd1'.repeat(32))
    const addStaff = planStore.sqlite.prepare(`INSERT INTO staff (username, name, role, team, password_hash, created_at, updated_at) VALUES (?, ?, 'agent', ?, 'x', 'n', 'n')`)
    for (let i = 1; i <= 20; i++) addStaff.run(`a${i}`, `A${i}`, `${i % 4}组`)
    generateClients(planStore.sqlite, { clients: 2000, ownerIds: Array.from({ length: 20 }, (_, i) => i + 1), now: new Date('2026-11-25T00:00:00Z') })
    planStore.sqlite.exec('ANALYZE')
  }, 60_000)
  afterAll(async () => {
    await planStore.close()
    fs.rmSync(planDir, { recursive: true, force: true })
  })

  it('each report reads its period through an index, with no full scan of a big table', async () => {
    const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []
    const logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: planStore.sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
    const p = { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }
    await responseStarts(logged, p) // 0
    await conversionRows(logged, p) // 1
    await trafficRows(logged, p) // 2, 3
    await subscriptionsByDay(logged, p, null) // 4
    await instalmentsDue(logged, '2026-10-01', '2026-11-01', 1) // 5
    await dealsLedger(logged, [1, 2]) // 6, 7
    await memberBalances(logged, p.to) // 8
    await pointsByKind(logged, p) // 9
    await referralsByReferrer(logged, p) // 10
    const plans = captured.map((q) => (planStore.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | '))
    expect(plans).toHaveLength(11)
    for (const plan of plans) expect(plan).not.toMatch(/\bSCAN (clients|c|a|f|s|st|ps|m|l|r|visits|swipe_log|follow_ups|assignments|points_ledger|referrals|transaction_steps|payment_schedule|payments|client_stage_spells)\b(?! USING)/)
    // the first contacts and the stages reached are stored (migration 043): the period's assignments
    // and clients from covering indexes, no follow-up read, no stage-spell probe for 渠道转化
    expect(plans[0]).toMatch(/SEARCH a USING COVERING INDEX assignments_first_contact/)
    expect(plans[0]).toMatch(/SEARCH c USING COVERING INDEX clients_created_kpi/)
    expect(plans[0]).not.toMatch(/follow_ups/)
    // the first spell's owner: one covering seek, once a client (not copied into a WHERE), no sort
    expect(plans[0]?.match(/SEARCH s USING COVERING INDEX stage_spells_client_start/g)).toHaveLength(1)
    expect(plans[0]).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
    expect(plans[0]).toMatch(/assignments_client/)
    expect(plans[1]).toMatch(/SEARCH c USING COVERING INDEX clients_created_kpi/)
    expect(plans[1]).not.toMatch(/client_stage_spells|stage_spells/)
    expect(plans[2]).toMatch(/visits_at/)
    expect(plans[3]).toMatch(/swipe_log_at/)
    expect(plans[4]).toMatch(/transaction_steps_status_at/)
    expect(plans[5]).toMatch(/payment_schedule_due/)
    expect(plans[6]).toMatch(/payment_schedule_tx/)
    expect(plans[7]).toMatch(/payments_tx/)
    expect(plans[8]).toMatch(/member_cards_one_active/)
    expect(plans[8]).toMatch(/points_ledger_client/)
    expect(plans[9]).toMatch(/points_ledger_at/)
    expect(plans[10]).toMatch(/referrals_created/)
  })

  it('客户地图 reads the covering district index in district order, never the client rows nor a temporary B-tree', async () => {
    const captured: Array<{ sql: string; parameters: readonly unknown[] }> = []
    const logged = new Kysely<DB>({ dialect: new SqliteDialect({ database: planStore.sqlite }), log: (e) => void (e.level === 'query' && captured.push(e.query)) })
    await districtRows(logged, { from: '2026-01-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' })
    const plan = (q: { sql: string; parameters: readonly unknown[] }) =>
      (planStore.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail).join(' | ')
    const byDistrict = captured.map(plan).find((x) => !x.includes('client_stage_spells'))
    expect(byDistrict).toMatch(/SCAN clients USING COVERING INDEX clients_region_live/)
    expect(byDistrict).not.toMatch(/TEMP B-TREE/)
  })
})
