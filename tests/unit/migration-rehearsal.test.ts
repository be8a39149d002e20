import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** An encrypted database migrated up to (not including) the rehearsal, with foreign keys on as the host runs. */
function beforeRehearsal() {
  const d = tempDir('keyuan-mig-rehearsal-')
  dirs.push(d)
  const db = new Database(path.join(d, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c5'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.filter((m) => m.version < 26))
  return db
}

describe('migration 026 (rehearsal)', () => {
  it('keeps the live cards, wishes and queue as they were, with their foreign keys intact', () => {
    const db = beforeRehearsal()
    db.exec(`INSERT INTO staff (id, username, name, role, password_hash, created_at, updated_at) VALUES (2, 'mgr', '经理', 'manager', 'h', 't', 't');
      INSERT INTO clients (id, code, kind, name, source_channel, tier, stage, created_at, updated_at) VALUES (1, 'KY000001', 'person', '张三', 'walk_in', 'vip', 'potential', 't', 't');
      INSERT INTO projects (id, name, created_at) VALUES (1, '花园', 't');
      INSERT INTO buildings (id, project_id, name) VALUES (1, 1, '1号楼');
      INSERT INTO units (id, building_id, floor, number, area, list_price) VALUES (1, 1, 1, '101', 90, 100), (2, 1, 1, '102', 90, 100);
      INSERT INTO vip_cards (id, project_id, card_no, client_id, deposit, receipt_no, method, paid_at, issued_by, updated_at) VALUES (1, 1, 1, 1, 500, 'R1', 'cash', 't', 2, 't');
      INSERT INTO vip_wishes (card_id, rank, unit_id) VALUES (1, 1, 2), (1, 2, 1);
      INSERT INTO subscription_events (id, project_id, name, days, cards_per_day, group_size, minutes_per_group, order_by, rules_text, status, created_by, created_at) VALUES (1, 1, '开盘', '["2026-10-10"]', 100, 10, 15, 'card', '', 'ready', 2, 't');
      INSERT INTO subscription_queue (event_id, card_id, position, day, grp) VALUES (1, 1, 0, 1, 1);`)
    const read = () => ({
      cards: db.prepare('SELECT id, project_id, card_no, client_id, deposit, receipt_no, status FROM vip_cards').all(),
      wishes: db.prepare('SELECT * FROM vip_wishes ORDER BY rank').all(),
      queue: db.prepare('SELECT * FROM subscription_queue').all(),
    })
    const before = read()
    migrate(db, MIGRATIONS)
    expect(read()).toEqual(before)
    expect(db.prepare('SELECT rehearsal FROM subscription_events').pluck().get()).toBe(0)
    expect(db.pragma('foreign_key_check')).toEqual([])
    // the rebuilt children still point at the cards: a wish of a card that does not exist is refused
    expect(() => db.prepare('INSERT INTO vip_wishes (card_id, rank, unit_id) VALUES (99, 1, 1)').run()).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare('INSERT INTO vip_wishes (card_id, rank, unit_id) VALUES (1, 3, 1)').run()).toThrow(/UNIQUE/)
    for (const t of ['vip_wishes', 'subscription_queue']) expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(t)).toMatch(/REFERENCES "?vip_cards"?\(id\)/)
    // a live card needs its client; a rehearsal card has a fake holder and no client; numbers are unique per side
    const card = db.prepare(`INSERT INTO vip_cards (project_id, card_no, client_id, deposit, receipt_no, method, paid_at, issued_by, updated_at, rehearsal_event_id, holder_name) VALUES (1, ?, ?, 500, ?, 'cash', 't', 2, 't', ?, ?)`)
    expect(() => card.run(2, null, 'R2', null, null)).toThrow(/CHECK/)
    expect(() => card.run(1, null, 'R3', 1, '演练客001')).not.toThrow()
    expect(() => card.run(1, null, 'R4', 1, '演练客001')).toThrow(/UNIQUE/)
    expect(() => card.run(1, 1, 'R5', null, null)).toThrow(/UNIQUE/)
    expect(() => card.run(3, 1, 'R6', 1, '演练客003')).toThrow(/CHECK/)
    db.close()
  })
})
