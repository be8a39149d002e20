import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { buildSearchTerms, TermField } from '../../electron/host/domains/clients/search-terms'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
function freshDb() {
  const d = tempDir('keyuan-mig-')
  dirs.push(d)
  const db = new Database(path.join(d, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c3'.repeat(32)}'"`)
  return db
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A fresh database with foreign keys on (as db/open.ts runs migrations) at `version`. */
function dbAt(version: number) {
  const db = freshDb()
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.filter((m) => m.version <= version))
  return db
}

type Db = ReturnType<typeof freshDb>

/** The index names of a table, sorted (without SQLite's automatic ones). */
function indexes(db: Db, table: string): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`).pluck().all(table) as string[])
}

/** The query plan of a statement, one line. */
function plan(db: Db, sql: string): string {
  return db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((r) => (r as { detail: string }).detail)
    .join('; ')
}

/** Every row of a table, in rowid order. */
const rows = (db: Db, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()

const STAFF = `INSERT INTO staff (id, username, name, role, team, password_hash, created_at, updated_at) VALUES
  (1, 'admin', '管理员', 'admin', NULL, 'h', 't', 't'), (2, 'agent', '经纪人甲', 'agent', '一组', 'h', 't', 't'), (3, 'mgr', '店长', 'manager', NULL, 'h', 't', 't')`
const CLIENTS = `INSERT INTO clients (id, code, kind, name, source_channel, owner_id, tier, stage, primary_phone, created_at, updated_at, last_follow_up_at) VALUES
  (1, 'KY000001', 'person', '张三', 'walk_in', 2, 'normal', 'intent', '13812345678', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-05T00:00:00.000Z'),
  (2, 'KY000002', 'org', '远景公司', 'phone', NULL, 'vip', 'potential', NULL, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z', NULL)`

describe('migrations', () => {
  it('are numbered 1..n without gaps, in order', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1))
  })

  it('apply once each and record schema_version', () => {
    const db = freshDb()
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(migrate(db)).toBe(MIGRATIONS.length)
    const rows = db.prepare('SELECT version, name FROM schema_version ORDER BY version').all()
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })))
    db.close()
  })

  it('roll a failing step back whole, keeping the earlier ones', () => {
    const db = freshDb()
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half (a INTEGER); SELECT nope FROM missing;' },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(MIGRATIONS.length)
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0)
    db.close()
  })

  it('006 keeps change requests and their finance to-dos, and gives decided ones their manager step', () => {
    const db = freshDb()
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS.slice(0, 5))
    db.exec(`
      INSERT INTO staff (id, username, name, role, password_hash, created_at, updated_at) VALUES (1, 'a', '甲', 'agent', 'x', 't', 't'), (2, 'm', '店长', 'manager', 'x', 't', 't');
      INSERT INTO projects (id, name, created_at) VALUES (7, '滨江壹号', 't');
      INSERT INTO buildings (id, project_id, name) VALUES (3, 7, '1号楼');
      INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (5, 3, 1, '101', 9850, 500000000);
      INSERT INTO unit_transactions (id, unit_id, status, created_at, updated_at) VALUES (9, 5, 'pledge', 't', 't');
      INSERT INTO change_requests (id, kind, unit_id, tx_id, payload, status, requested_by, decided_by, created_at, decided_at)
        VALUES (1, 'cancel', 5, 9, '{}', 'approved', 1, 2, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
               (2, 'price', 5, NULL, '{"listPrice":1}', 'pending', 1, NULL, '2026-01-03T00:00:00.000Z', NULL);
      INSERT INTO finance_todos (kind, tx_id, change_id, amount, note, created_at) VALUES ('refund', 9, 1, 100, '退房退款', 't');
    `)
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(db.prepare('SELECT id, project_id, steps, step, round, status FROM change_requests ORDER BY id').all()).toEqual([
      { id: 1, project_id: 7, steps: '["manager"]', step: 0, round: 1, status: 'approved' },
      { id: 2, project_id: 7, steps: '["manager"]', step: 0, round: 1, status: 'pending' },
    ])
    // 015: requests asked before it have no "before" (the screens then show the payload alone)
    expect(db.prepare('SELECT before FROM change_requests ORDER BY id').pluck().all()).toEqual([null, null])
    // 018: deals from before it kept no pricing (not repriced later); a discount stays within the level table's bounds
    expect(db.prepare('SELECT priced_list_price, member_level, member_discount_permille, member_discount FROM unit_transactions WHERE id = 9').get()).toEqual({
      priced_list_price: null,
      member_level: null,
      member_discount_permille: 0,
      member_discount: 0,
    })
    expect(() => db.prepare('UPDATE unit_transactions SET member_discount_permille = 501 WHERE id = 9').run()).toThrow(/CHECK/)
    expect(() => db.prepare('UPDATE unit_transactions SET member_discount = -1 WHERE id = 9').run()).toThrow(/CHECK/)
    expect(db.prepare('SELECT change_id, round, step, role, staff_id, approve, at FROM change_decisions').all()).toEqual([
      { change_id: 1, round: 1, step: 0, role: 'manager', staff_id: 2, approve: 1, at: '2026-01-02T00:00:00.000Z' },
    ])
    expect(db.prepare('SELECT change_id, amount FROM finance_todos').all()).toEqual([{ change_id: 1, amount: 100 }])
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(() => db.prepare(`INSERT INTO finance_todos (kind, change_id, amount, note, created_at) VALUES ('refund', 99, 1, 'x', 't')`).run()).toThrow(/FOREIGN KEY/)
    db.prepare(`INSERT INTO change_requests (kind, project_id, payload, requested_by, created_at) VALUES ('bulkPrice', 7, '{"items":[]}', 1, 't')`).run()
    expect(() => db.prepare(`INSERT INTO change_requests (kind, project_id, payload, requested_by, created_at) VALUES ('upgrade', 7, '{}', 1, 't')`).run()).toThrow(/CHECK/)
    db.close()
  })

  it('001 makes the audit log append-only', () => {
    const db = freshDb()
    migrate(db)
    db.prepare(
      `INSERT INTO audit_log (at, action, detail, prev_hash, hash) VALUES ('t', 'a', '{}', 'p', 'h')`,
    ).run()
    expect(() => db.prepare(`UPDATE audit_log SET action = 'b'`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/)
    db.close()
  })

  it('007 keeps one row of sign-in limits per key, with counts that cannot go negative', () => {
    const db = freshDb()
    migrate(db)
    const insert = db.prepare(
      `INSERT INTO sign_in_limits (key, failures, level, last_failure_at, locked_until) VALUES (?, ?, 1, '2026-11-25T02:00:00.000Z', NULL)`,
    )
    insert.run('addr:10.0.0.1', 3)
    expect(db.prepare(`SELECT failed_by FROM sign_in_limits`).pluck().get()).toBe('{}')
    expect(() => insert.run('addr:10.0.0.1', 1)).toThrow(/UNIQUE/)
    expect(() => insert.run('addr:10.0.0.2', -1)).toThrow(/CHECK/)
    db.close()
  })

  it('008 marks existing audit rows sha256 without touching them, and keeps the number index append-only', () => {
    const db = freshDb()
    migrate(db, MIGRATIONS.filter((m) => m.version <= 7))
    db.prepare(`INSERT INTO audit_log (at, action, detail, prev_hash, hash) VALUES ('t', 'a', '{}', 'p', 'h')`).run()
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(db.prepare('SELECT at, action, detail, prev_hash, hash, alg, number_keys FROM audit_log').all()).toEqual([
      { at: 't', action: 'a', detail: '{}', prev_hash: 'p', hash: 'h', alg: 'sha256', number_keys: '' },
    ])
    expect(() => db.prepare(`INSERT INTO audit_log (at, action, detail, prev_hash, hash, alg) VALUES ('t', 'a', '{}', 'h', 'i', 'md5')`).run()).toThrow(/CHECK/)
    db.prepare(`INSERT INTO audit_number (key, audit_id) VALUES ('k', 1)`).run()
    expect(() => db.prepare(`UPDATE audit_number SET key = 'j'`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM audit_number`).run()).toThrow(/append-only/)
    expect(db.prepare(`EXPLAIN QUERY PLAN SELECT audit_id FROM audit_number WHERE key = 'k'`).all().map((r) => (r as { detail: string }).detail).join()).toMatch(/SEARCH audit_number USING PRIMARY KEY/)
    db.close()
  })

  it('002 adds the client book to a database with staff and sessions, keeping them, with its keys and indexes', () => {
    const db = dbAt(1)
    db.exec(STAFF)
    db.exec(`INSERT INTO sessions (token_hash, staff_id, created_at, expires_at, last_seen_at) VALUES ('tok', 2, 't', 'u', 't');
      INSERT INTO settings (key, value, updated_at) VALUES ('branchName', '"总店"', 't')`)
    const before = { staff: rows(db, 'staff'), sessions: rows(db, 'sessions'), settings: rows(db, 'settings') }
    migrate(db, MIGRATIONS.filter((m) => m.version <= 2))
    expect({ staff: rows(db, 'staff'), sessions: rows(db, 'sessions'), settings: rows(db, 'settings') }).toEqual(before)

    db.exec(CLIENTS)
    db.exec(`INSERT INTO client_phones (client_id, e164, digits, display, kind) VALUES (1, '+8613812345678', '13812345678', '13812345678', 'mobile')`)
    expect(db.prepare(`SELECT children, manual_tags, behaviour_tags, blacklisted, entrusted_other, completeness, version FROM clients WHERE id = 1`).get()).toEqual({
      children: '[]', manual_tags: '[]', behaviour_tags: '[]', blacklisted: 0, entrusted_other: 0, completeness: 0, version: 0,
    })
    const insertClient = db.prepare(
      `INSERT INTO clients (code, kind, name, source_channel, tier, stage, age, owner_id, blacklisted, blacklist_reason, created_at, updated_at)
       VALUES (@code, @kind, '李四', 'walk_in', 'normal', 'potential', @age, @owner, @blacklisted, @reason, 't', 't')`,
    )
    const client = { code: 'KY000003', kind: 'person', age: 30, owner: 2, blacklisted: 0, reason: null }
    expect(() => insertClient.run({ ...client, code: 'KY000001' })).toThrow(/UNIQUE/)
    expect(() => insertClient.run({ ...client, kind: 'robot' })).toThrow(/CHECK/)
    expect(() => insertClient.run({ ...client, age: 130 })).toThrow(/CHECK/)
    expect(() => insertClient.run({ ...client, owner: 99 })).toThrow(/FOREIGN KEY/)
    // a blacklist needs its reason
    expect(() => insertClient.run({ ...client, blacklisted: 1, reason: '' })).toThrow(/CHECK/)
    insertClient.run({ ...client, blacklisted: 1, reason: '骗取定金' })
    // one client per phone number
    expect(() => db.prepare(`INSERT INTO client_phones (client_id, e164, digits, display, kind) VALUES (2, '+8613812345678', '13812345678', '138', 'mobile')`).run()).toThrow(/UNIQUE/)
    // one live organisation per name key; a merged record keeps its key out of the way
    db.exec(`UPDATE clients SET org_name_key = 'yuanjing' WHERE id = 2`)
    const org = db.prepare(`INSERT INTO clients (code, kind, name, org_name_key, source_channel, tier, stage, merged_into, created_at, updated_at) VALUES (?, 'org', '远景', 'yuanjing', 'walk_in', 'normal', 'potential', ?, 't', 't')`)
    expect(() => org.run('KY000007', null)).toThrow(/UNIQUE/)
    org.run('KY000008', 2)
    expect(() => db.prepare(`INSERT INTO collaboration_requests (client_id, requester_id, note, status, created_at) VALUES (1, 3, '一起跟', 'maybe', 't')`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO requirements (client_id, kind, data, created_at, updated_at) VALUES (1, 'holiday', '{}', 't', 't')`).run()).toThrow(/CHECK/)
    expect(indexes(db, 'clients')).toEqual([
      'clients_completeness', 'clients_created', 'clients_last_follow_up', 'clients_live', 'clients_name', 'clients_org_name', 'clients_owner', 'clients_region', 'clients_source', 'clients_stage', 'clients_tier',
    ])
    expect(plan(db, `SELECT id FROM clients WHERE owner_id = 2 AND merged_into IS NULL`)).toMatch(/USING INDEX clients_owner/)
    expect(plan(db, `SELECT client_id FROM search_terms WHERE term >= 'zs' AND term < 'zt'`)).toMatch(/SEARCH search_terms USING PRIMARY KEY/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('003 gives existing clients their activity and stage times, seeds the first questionnaire, and keeps one task per rule firing', () => {
    const db = dbAt(2)
    db.exec(STAFF)
    db.exec(CLIENTS)
    const before = db.prepare(`SELECT id, code, name, owner_id, tier, stage, created_at, last_follow_up_at FROM clients ORDER BY id`).all()
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3))
    expect(db.prepare(`SELECT id, code, name, owner_id, tier, stage, created_at, last_follow_up_at FROM clients ORDER BY id`).all()).toEqual(before)
    // the rules read these: the last contact (or the record itself), and when the stage began
    expect(db.prepare(`SELECT id, last_activity_at, stage_changed_at, pooled_at, lost_reason FROM clients ORDER BY id`).all()).toEqual([
      { id: 1, last_activity_at: '2026-01-05T00:00:00.000Z', stage_changed_at: '2026-01-01T00:00:00.000Z', pooled_at: null, lost_reason: null },
      { id: 2, last_activity_at: '2026-01-02T00:00:00.000Z', stage_changed_at: '2026-01-02T00:00:00.000Z', pooled_at: null, lost_reason: null },
    ])
    const sets = db.prepare(`SELECT name, questions, active FROM question_sets`).all() as Array<{ name: string; questions: string; active: number }>
    expect(sets.map((q) => [q.name, q.active, (JSON.parse(q.questions) as unknown[]).length])).toEqual([['首次需求问卷', 1, 6]])

    const task = db.prepare(`INSERT INTO tasks (staff_id, client_id, rule, title, due_at, event_key, created_at) VALUES (2, 1, 'needs', '建档', 't', ?, 't')`)
    task.run('needs:1')
    expect(() => task.run('needs:1')).toThrow(/UNIQUE/)
    expect(db.prepare(`SELECT status FROM tasks`).pluck().get()).toBe('open')
    expect(() => db.prepare(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at) VALUES (1, 2, 'telepathy', 'x', 't')`).run()).toThrow(/CHECK/)
    const viewing = db.prepare(`INSERT INTO viewings (client_id, agent_id, unit_id, address, starts_at, ends_at, created_at, updated_at) VALUES (1, 2, NULL, ?, ?, ?, 't', 't')`)
    expect(() => viewing.run('小区门口', '2026-01-02T10:00:00Z', '2026-01-02T09:00:00Z')).toThrow(/CHECK/)
    expect(() => viewing.run('', '2026-01-02T10:00:00Z', '2026-01-02T11:00:00Z')).toThrow(/CHECK/)
    viewing.run('小区门口', '2026-01-02T10:00:00Z', '2026-01-02T11:00:00Z')
    expect(() => db.prepare(`INSERT INTO duty_roster (day, staff_id) VALUES ('2026-01-02', 2), ('2026-01-02', 2)`).run()).toThrow(/UNIQUE/)
    expect(indexes(db, 'clients')).toEqual(expect.arrayContaining(['clients_activity', 'clients_pool']))
    expect(indexes(db, 'tasks')).toEqual(['tasks_client', 'tasks_open_due', 'tasks_staff_open'])
    expect(indexes(db, 'viewings')).toEqual(['viewings_agent', 'viewings_client', 'viewings_done', 'viewings_unit'])
    // the partial indexes cover the queries they were made for (INDEXED BY fails when an index cannot serve)
    expect(plan(db, `SELECT id FROM clients INDEXED BY clients_pool WHERE owner_id IS NULL AND merged_into IS NULL ORDER BY pooled_at DESC`)).toMatch(/clients_pool/)
    expect(plan(db, `SELECT id FROM clients INDEXED BY clients_activity WHERE owner_id IS NOT NULL AND merged_into IS NULL AND last_activity_at < 'x'`)).toMatch(/clients_activity/)
    expect(plan(db, `SELECT id FROM tasks INDEXED BY tasks_open_due WHERE status = 'open' AND due_at < 'x'`)).toMatch(/tasks_open_due/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('004 adds cards and the club to the book: one live card per client, levels seeded, an append-only points ledger', () => {
    const db = dbAt(3)
    db.exec(STAFF)
    db.exec(CLIENTS)
    db.exec(`INSERT INTO follow_ups (client_id, staff_id, channel, content, created_at) VALUES (1, 2, 'phone', '约看房', 't')`)
    const before = { clients: rows(db, 'clients'), followUps: rows(db, 'follow_ups') }
    migrate(db, MIGRATIONS.filter((m) => m.version <= 4))
    expect({ clients: rows(db, 'clients'), followUps: rows(db, 'follow_ups') }).toEqual(before)
    expect(db.prepare(`SELECT name, min_points, discount_permille FROM club_levels ORDER BY min_points`).all()).toEqual([
      { name: '普通会员', min_points: 0, discount_permille: 0 },
      { name: '银卡会员', min_points: 500, discount_permille: 5 },
      { name: '金卡会员', min_points: 2000, discount_permille: 10 },
      { name: '钻石会员', min_points: 5000, discount_permille: 20 },
    ])

    const card = db.prepare(`INSERT INTO member_cards (uid, client_id, status, issued_at) VALUES (?, ?, ?, 't')`)
    card.run('04A1B2C3', 1, 'active')
    expect(() => card.run('04A1B2C4', 1, 'active')).toThrow(/UNIQUE/)
    expect(() => card.run('04A1B2C3', 2, 'active')).toThrow(/UNIQUE/)
    card.run('04A1B2C5', 1, 'lost')
    expect(() => card.run('04A1B2C6', 2, 'stolen')).toThrow(/CHECK/)
    expect(() => card.run('04A1B2C7', 99, 'active')).toThrow(/FOREIGN KEY/)

    const points = db.prepare(`INSERT INTO points_ledger (client_id, delta, kind, reason, ref, reverses, at) VALUES (1, ?, ?, '带看', ?, ?, 't')`)
    points.run(50, 'viewing', 'viewing:1', null)
    expect(() => points.run(0, 'manual', null, null)).toThrow(/CHECK/)
    expect(() => points.run(50, 'viewing', 'viewing:1', null)).toThrow(/UNIQUE/)
    expect(() => points.run(10, 'gift', null, null)).toThrow(/CHECK/)
    points.run(-50, 'reversal', null, 1)
    expect(() => points.run(-50, 'reversal', null, 1)).toThrow(/UNIQUE/)
    expect(() => db.prepare(`UPDATE points_ledger SET delta = 500`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM points_ledger`).run()).toThrow(/append-only/)

    expect(() => db.prepare(`INSERT INTO referrals (referrer_id, referred_id, created_at) VALUES (1, 1, 't')`).run()).toThrow(/CHECK/)
    db.prepare(`INSERT INTO referrals (referrer_id, referred_id, created_at) VALUES (1, 2, 't')`).run()
    expect(() => db.prepare(`INSERT INTO referrals (referrer_id, referred_id, created_at) VALUES (1, 2, 't')`).run()).toThrow(/UNIQUE/)
    expect(() => db.prepare(`INSERT INTO club_levels (name, min_points, discount_permille) VALUES ('黑卡', 9000, 900)`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO activities (name, starts_at, ends_at, created_at) VALUES ('答谢会', '2026-02-01', '2026-01-01', 't')`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO swipe_log (result, at) VALUES ('maybe', 't')`).run()).toThrow(/CHECK/)
    expect(plan(db, `SELECT id FROM member_cards WHERE client_id = 1 AND status = 'active'`)).toMatch(/member_cards_(one_active|client)/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('005 adds the sales board beside the club: one live transaction per unit, unique numbers and receipts, positive prices', () => {
    const db = dbAt(4)
    db.exec(STAFF)
    db.exec(CLIENTS)
    db.exec(`INSERT INTO member_cards (uid, client_id, issued_at) VALUES ('04A1B2C3', 1, 't');
      INSERT INTO points_ledger (client_id, delta, kind, reason, at) VALUES (1, 100, 'manual', '开卡', 't')`)
    const before = { clients: rows(db, 'clients'), cards: rows(db, 'member_cards'), points: rows(db, 'points_ledger'), levels: rows(db, 'club_levels') }
    migrate(db, MIGRATIONS.filter((m) => m.version <= 5))
    expect({ clients: rows(db, 'clients'), cards: rows(db, 'member_cards'), points: rows(db, 'points_ledger'), levels: rows(db, 'club_levels') }).toEqual(before)

    db.exec(`INSERT INTO projects (id, name, created_at) VALUES (7, '滨江壹号', 't');
      INSERT INTO buildings (id, project_id, name) VALUES (3, 7, '1号楼');
      INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (5, 3, 1, '101', 9850, 500000000)`)
    expect(() => db.prepare(`INSERT INTO projects (name, created_at) VALUES ('滨江壹号', 't')`).run()).toThrow(/UNIQUE/)
    expect(() => db.prepare(`INSERT INTO buildings (project_id, name) VALUES (7, '1号楼')`).run()).toThrow(/UNIQUE/)
    const unit = db.prepare(`INSERT INTO units (building_id, floor, number, area, list_price) VALUES (3, 1, ?, ?, ?)`)
    expect(() => unit.run('101', 9850, 500000000)).toThrow(/UNIQUE/)
    expect(() => unit.run('102', 0, 500000000)).toThrow(/CHECK/)
    expect(() => unit.run('103', 9850, 0)).toThrow(/CHECK/)
    expect(db.prepare(`SELECT tags, version FROM units WHERE id = 5`).get()).toEqual({ tags: '[]', version: 0 })

    const tx = db.prepare(`INSERT INTO unit_transactions (unit_id, client_id, agent_id, status, live, created_at, updated_at) VALUES (5, 1, 2, ?, ?, 't', 't')`)
    tx.run('small_deposit', 1)
    expect(() => tx.run('hold', 1)).toThrow(/UNIQUE/)
    tx.run('hold', 0)
    expect(() => tx.run('reserved', 0)).toThrow(/CHECK/)
    const pay = db.prepare(`INSERT INTO payments (tx_id, receipt_no, method, amount, paid_at) VALUES (1, ?, ?, 100, 't')`)
    pay.run('R001', 'cash')
    expect(() => pay.run('R001', 'cash')).toThrow(/UNIQUE/)
    expect(() => pay.run('R002', 'cheque')).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO payment_schedule (tx_id, due_date, amount, label) VALUES (1, '2026-03-01', 0, '首付')`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO change_requests (kind, unit_id, payload, requested_by, created_at) VALUES ('upgrade', 5, '{}', 2, 't')`).run()).toThrow(/CHECK/)
    expect(plan(db, `SELECT id FROM unit_transactions WHERE unit_id = 5 AND live = 1`)).toMatch(/unit_transactions_one_live/)
    expect(plan(db, `SELECT id FROM units WHERE area BETWEEN 8000 AND 12000 AND list_price < 600000000`)).toMatch(/units_match/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('006 gives a rejected request its manager decision too, with one decision per step and round', () => {
    const db = dbAt(5)
    db.exec(STAFF)
    db.exec(`INSERT INTO projects (id, name, created_at) VALUES (7, '滨江壹号', 't');
      INSERT INTO buildings (id, project_id, name) VALUES (3, 7, '1号楼');
      INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (5, 3, 1, '101', 9850, 500000000);
      INSERT INTO change_requests (id, kind, unit_id, payload, status, requested_by, decided_by, comments, created_at, decided_at)
        VALUES (4, 'price', 5, '{"listPrice":1}', 'rejected', 2, 3, '[{"by":"店长","at":"t","text":"太低"}]', 't', '2026-01-04T00:00:00.000Z'),
               (5, 'price', 5, '{"listPrice":2}', 'withdrawn', 2, NULL, '[]', 't', NULL)`)
    migrate(db, MIGRATIONS.filter((m) => m.version <= 6))
    expect(db.prepare(`SELECT id, project_id, comments, status FROM change_requests ORDER BY id`).all()).toEqual([
      { id: 4, project_id: 7, comments: '[{"by":"店长","at":"t","text":"太低"}]', status: 'rejected' },
      { id: 5, project_id: 7, comments: '[]', status: 'withdrawn' },
    ])
    expect(db.prepare(`SELECT change_id, round, step, role, staff_id, approve FROM change_decisions`).all()).toEqual([
      { change_id: 4, round: 1, step: 0, role: 'manager', staff_id: 3, approve: 0 },
    ])
    const decide = db.prepare(`INSERT INTO change_decisions (change_id, round, step, role, staff_id, approve, at) VALUES (4, ?, ?, 'manager', 3, ?, 't')`)
    expect(() => decide.run(1, 0, 1)).toThrow(/UNIQUE/)
    expect(() => decide.run(2, 0, 2)).toThrow(/CHECK/)
    decide.run(2, 0, 1)
    expect(() => db.prepare(`UPDATE change_requests SET step = -1 WHERE id = 4`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE change_requests SET round = 0 WHERE id = 4`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO change_requests (kind, payload, requested_by, created_at) VALUES ('bulkPrice', '{}', 2, 't')`).run()).toThrow(/NOT NULL/)
    expect(indexes(db, 'change_requests')).toEqual(['change_requests_project', 'change_requests_status', 'change_requests_unit'])
    expect(plan(db, `SELECT id FROM change_requests WHERE project_id = 7 AND status = 'pending'`)).toMatch(/change_requests_project/)
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('010 finds an agent\'s lately claimed clients by index, and keeps every client', () => {
    const db = dbAt(9)
    db.exec(STAFF)
    db.exec(CLIENTS)
    const before = rows(db, 'clients')
    migrate(db, MIGRATIONS.filter((m) => m.version <= 10))
    expect(rows(db, 'clients')).toEqual(before)
    expect(indexes(db, 'clients')).toContain('clients_owner_claimed')
    const q = plan(db, `SELECT id FROM clients WHERE owner_id = 1 AND claimed_at >= 'x' AND merged_into IS NULL ORDER BY claimed_at DESC LIMIT 50`)
    expect(q).toMatch(/SEARCH clients USING INDEX clients_owner_claimed \(owner_id=\? AND claimed_at>\?\)/)
    expect(q).not.toMatch(/TEMP B-TREE/)
    db.close()
  })

  it('013 keeps every finance to-do open as it was, with who closed it, when, its reference and a version', () => {
    const db = dbAt(12)
    db.exec(`INSERT INTO finance_todos (id, kind, tx_id, change_id, amount, note, status, created_at) VALUES (1, 'refund', NULL, NULL, 3000000, '{"key":"x"}', 'open', 't1')`)
    const before = db.prepare('SELECT * FROM finance_todos').all()
    migrate(db, MIGRATIONS.filter((m) => m.version <= 13))
    expect(db.prepare('SELECT id, kind, tx_id, change_id, amount, note, status, created_at FROM finance_todos').all()).toEqual(before)
    expect(db.prepare('SELECT done_by, done_at, reference, version FROM finance_todos').get()).toEqual({ done_by: null, done_at: null, reference: null, version: 0 })
    expect(() => db.prepare('UPDATE finance_todos SET done_by = 999 WHERE id = 1').run()).toThrow(/FOREIGN KEY/)
    expect(plan(db, `SELECT id FROM finance_todos WHERE status = 'open' ORDER BY id DESC LIMIT 500`)).toMatch(/finance_todos_status/)
    db.close()
  })

  it('014 keeps every collaboration request, adds who answered and why, a version, and the closed status', () => {
    const db = dbAt(13)
    db.exec(STAFF)
    db.exec(CLIENTS)
    db.exec(`INSERT INTO collaboration_requests (id, client_id, requester_id, owner_id, note, status, created_at, decided_at) VALUES
      (1, 1, 2, 1, '一起跟', 'open', 't1', NULL), (2, 1, 2, 1, '再跟', 'accepted', 't2', 't3')`)
    const before = db.prepare('SELECT id, client_id, requester_id, owner_id, note, status, created_at, decided_at FROM collaboration_requests ORDER BY id').all()
    migrate(db, MIGRATIONS.filter((m) => m.version <= 14))
    expect(db.prepare('SELECT id, client_id, requester_id, owner_id, note, status, created_at, decided_at FROM collaboration_requests ORDER BY id').all()).toEqual(before)
    expect(db.prepare('SELECT version, decided_by, decision_reason FROM collaboration_requests WHERE id = 1').get()).toEqual({ version: 0, decided_by: null, decision_reason: null })
    db.prepare(`UPDATE collaboration_requests SET status = 'closed' WHERE id = 1`).run()
    expect(() => db.prepare(`UPDATE collaboration_requests SET status = 'maybe' WHERE id = 1`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO collaboration_requests (client_id, requester_id, note, created_at) VALUES (999, 2, 'x', 't')`).run()).toThrow(/FOREIGN KEY/)
    expect(indexes(db, 'collaboration_requests')).toEqual(['collaboration_requests_client', 'collaboration_requests_owner', 'collaboration_requests_requester'])
    expect(plan(db, `SELECT id FROM collaboration_requests WHERE requester_id = 2 AND status IN ('open', 'accepted')`)).toMatch(/USING (COVERING )?INDEX collaboration_requests_requester/)
    db.close()
  })

  it('017 gives clients stored before it the short forms of their code and their card\'s printed number, as the host now indexes them', () => {
    const db = dbAt(16)
    db.exec(STAFF)
    db.exec(CLIENTS)
    db.exec(`INSERT INTO clients (id, code, kind, name, source_channel, owner_id, tier, stage, created_at, updated_at) VALUES
      (3, 'KY000300', 'person', '王五', 'walk_in', 2, 'normal', 'intent', 't', 't'), (4, 'A-17', 'person', '赵六', 'walk_in', 2, 'normal', 'intent', 't', 't'),
      (5, '000042', 'person', '钱七', 'walk_in', 2, 'normal', 'intent', 't', 't')`)
    // 1: a 4-byte card; 2: an EM4100 (5 bytes, printed by its low 32 bits); 3: a 7-byte card (nothing printed); 4: a lost card
    db.exec(`INSERT INTO member_cards (uid, client_id, status, issued_at) VALUES ('1234ABCD', 1, 'active', 't'), ('0A00001F40', 2, 'active', 't'),
      ('04A1B2C3D4E5F6', 3, 'active', 't'), ('00000001', 4, 'lost', 't')`)
    const cards: Record<number, string[]> = { 1: ['1234ABCD'], 2: ['0A00001F40'], 3: ['04A1B2C3D4E5F6'], 4: [], 5: [] }
    const codes: Record<number, string> = { 1: 'KY000001', 2: 'KY000002', 3: 'KY000300', 4: 'A-17', 5: '000042' }
    const wanted = (id: number) => buildSearchTerms({ name: '', code: codes[id]!, phoneDigits: [], cards: cards[id] })
    // before 017: the whole code, and every 4+ digit part of the card's hex
    const before = (id: number) => [
      { term: codes[id]!.toLowerCase(), field: TermField.code, pos: 0 },
      ...(cards[id] ?? []).flatMap((uid) => Array.from({ length: uid.length - 3 }, (_, pos) => ({ term: uid.slice(pos).toLowerCase(), field: TermField.card, pos }))),
    ]
    const insert = db.prepare('INSERT INTO search_terms (term, client_id, field, pos) VALUES (?, ?, ?, ?)')
    for (const id of [1, 2, 3, 4, 5]) for (const t of before(id)) insert.run(t.term, id, t.field, t.pos)
    const stored = (id: number) => db.prepare('SELECT term, field, pos FROM search_terms WHERE client_id = ? ORDER BY field, pos, term').all(id)
    const sorted = (ts: Array<{ term: string; field: number; pos: number }>) => [...ts].sort((a, b) => a.field - b.field || a.pos - b.pos || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)).map(({ term, field, pos }) => ({ term, field, pos }))
    migrate(db, MIGRATIONS.filter((m) => m.version <= 17))
    for (const id of [1, 2, 3, 4, 5]) expect(stored(id), `client ${id}`).toEqual(sorted(wanted(id)))
    // what a clerk types finds them: short codes, the printed number (with or without its zeros)
    const terms = (id: number) => (stored(id) as Array<{ term: string }>).map((t) => t.term)
    expect(terms(3)).toEqual(expect.arrayContaining(['ky000300', 'ky300', '300', '000300']))
    expect(terms(5)).toEqual(expect.arrayContaining(['000042', '42']))
    expect(terms(4)).toEqual(['a-17'])
    expect(terms(1)).toEqual(expect.arrayContaining(['0305441741', '305441741', '5441741']))
    expect(terms(2)).toEqual(expect.arrayContaining(['0000008000', '8000']))
    db.close()
  })
  it('023 gives existing clients their current stage spell and pool entry, then logs stage, owner and pool changes', () => {
    const db = dbAt(22)
    db.exec(STAFF)
    db.exec(CLIENTS)
    db.exec(`UPDATE clients SET pooled_at = '2026-01-03T00:00:00.000Z' WHERE id = 2`)
    const before = rows(db, 'clients')
    migrate(db, MIGRATIONS.filter((m) => m.version <= 23))
    expect(rows(db, 'clients')).toEqual(before)
    const spells = () => db.prepare('SELECT client_id, stage, owner_id, started_at, ended_at, next_stage FROM client_stage_spells ORDER BY id').all()
    expect(spells()).toEqual([
      { client_id: 1, stage: 'intent', owner_id: 2, started_at: '2026-01-01T00:00:00.000Z', ended_at: null, next_stage: null },
      { client_id: 2, stage: 'potential', owner_id: null, started_at: '2026-01-02T00:00:00.000Z', ended_at: null, next_stage: null },
    ])
    expect(db.prepare('SELECT client_id, from_owner_id, at FROM client_pool_entries').all()).toEqual([{ client_id: 2, from_owner_id: null, at: '2026-01-03T00:00:00.000Z' }])
    // a stage change ends the open spell and opens the next; an owner change moves the open spell only
    db.exec(`UPDATE clients SET stage = 'negotiating', stage_changed_at = '2026-02-01T00:00:00.000Z', updated_at = 'u' WHERE id = 1`)
    db.exec(`UPDATE clients SET owner_id = 3 WHERE id = 1`)
    db.exec(`UPDATE clients SET owner_id = NULL, pooled_at = '2026-03-01T00:00:00.000Z' WHERE id = 1`)
    db.exec(`UPDATE clients SET updated_at = 'v' WHERE id = 1`)
    expect(spells().slice(0, 1)).toEqual([{ client_id: 1, stage: 'intent', owner_id: 2, started_at: '2026-01-01T00:00:00.000Z', ended_at: '2026-02-01T00:00:00.000Z', next_stage: 'negotiating' }])
    expect(spells().slice(2)).toEqual([{ client_id: 1, stage: 'negotiating', owner_id: null, started_at: '2026-02-01T00:00:00.000Z', ended_at: null, next_stage: null }])
    expect(db.prepare('SELECT client_id, from_owner_id, at FROM client_pool_entries WHERE client_id = 1').all()).toEqual([{ client_id: 1, from_owner_id: 3, at: '2026-03-01T00:00:00.000Z' }])
    // a new client starts a spell of its own
    db.exec(`INSERT INTO clients (id, code, kind, name, source_channel, owner_id, tier, stage, created_at, updated_at) VALUES (9, 'KY9', 'person', '新', 'phone', 2, 'normal', 'potential', '2026-04-01T00:00:00.000Z', 'u')`)
    expect(db.prepare('SELECT stage, owner_id, started_at FROM client_stage_spells WHERE client_id = 9').all()).toEqual([{ stage: 'potential', owner_id: 2, started_at: '2026-04-01T00:00:00.000Z' }])
    db.close()
  })
  it('045 moves every inner search term into its own table, keeps the whole-field ones, and drops the index of inner parts', () => {
    const db = dbAt(44)
    db.exec(STAFF)
    db.exec(CLIENTS)
    // a standby's feed trigger on the terms (open.ts makes them for a registered standby): the move logs nothing through it
    db.exec(`CREATE TRIGGER keyuan_feed_d_search_terms AFTER DELETE ON search_terms BEGIN INSERT INTO change_log (tbl, row_key) VALUES ('search_terms', OLD.term); END`)
    const terms = [...buildSearchTerms({ name: '张伟', code: 'KY000001', phoneDigits: ['13800001234'] }).map((t) => ({ ...t, id: 1 })), ...buildSearchTerms({ name: '王芳', code: 'KY000002', phoneDigits: [] }).map((t) => ({ ...t, id: 2 }))]
    const insert = db.prepare('INSERT INTO search_terms (term, client_id, field, pos) VALUES (?, ?, ?, ?)')
    for (const t of terms) insert.run(t.term, t.id, t.field, t.pos)
    const all = (table: string) => db.prepare(`SELECT term, client_id, field, pos FROM ${table} ORDER BY term, client_id, field, pos`).all()
    const expected = (keep: (pos: number) => boolean) =>
      terms.filter((t) => keep(t.pos)).map(({ term, id, field, pos }) => ({ term, client_id: id, field, pos })).sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : a.client_id - b.client_id || a.field - b.field || a.pos - b.pos))
    migrate(db, MIGRATIONS.filter((m) => m.version <= 45))
    expect(expected((pos) => pos > 0).length).toBeGreaterThan(5)
    expect(all('search_inner')).toEqual(expected((pos) => pos > 0))
    expect(all('search_terms')).toEqual(expected((pos) => pos === 0))
    expect(indexes(db, 'search_terms')).not.toContain('search_terms_inner')
    expect(indexes(db, 'search_inner')).toContain('search_inner_client')
    expect(db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(0)
    expect(() => db.exec(`INSERT INTO search_inner (term, client_id, field, pos) VALUES ('x', 1, 1, 0)`)).toThrow(/CHECK/)
    expect(plan(db, `SELECT client_id FROM search_inner WHERE term >= 'wei' AND term < 'wej'`)).toMatch(/SEARCH search_inner USING PRIMARY KEY \(term>\? AND term<\?\)/)
    db.close()
  })
})
