import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
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

  it('009 finds an agent\'s lately claimed clients by index, and keeps every client', () => {
    const db = freshDb()
    migrate(db, MIGRATIONS.filter((m) => m.version <= 8))
    const before = db.prepare('SELECT count(*) FROM clients').pluck().get()
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(db.prepare('SELECT count(*) FROM clients').pluck().get()).toBe(before)
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM clients WHERE owner_id = 1 AND claimed_at >= 'x' AND merged_into IS NULL ORDER BY claimed_at DESC LIMIT 50`)
      .all()
      .map((r) => (r as { detail: string }).detail)
      .join(' | ')
    expect(plan).toMatch(/SEARCH clients USING INDEX clients_owner_claimed \(owner_id=\? AND claimed_at>\?\)/)
    expect(plan).not.toMatch(/TEMP B-TREE/)
    db.close()
  })
})
