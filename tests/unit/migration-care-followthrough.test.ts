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

/** A fresh encrypted database migrated up to `version`. */
function dbAt(version: number) {
  const d = tempDir('keyuan-mig-care-')
  dirs.push(d)
  const db = new Database(path.join(d, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c5'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS.filter((m) => m.version <= version))
  return db
}

describe('migration 029 (care follow-through, member levels by purchases)', () => {
  it('keeps the greetings done before it, and holds done = a follow-up on a channel, skipped = neither', () => {
    const db = dbAt(28)
    db.exec(`INSERT INTO staff (id, username, name, role, password_hash, created_at, updated_at) VALUES (2, 'agent', '经纪人', 'agent', 'h', 't', 't');
      INSERT INTO clients (id, code, kind, name, source_channel, owner_id, tier, stage, created_at, updated_at) VALUES (1, 'KY000001', 'person', '张三', 'walk_in', 2, 'normal', 'intent', 't', 't');
      INSERT INTO follow_ups (id, client_id, staff_id, channel, content, created_at) VALUES (7, 1, 2, 'wechat', '生日快乐', 't');
      INSERT INTO care_greetings (client_id, occasion, occasion_date, follow_up_id, staff_id, channel, done_at) VALUES (1, 'birthday', '2026-09-22', 7, 2, 'wechat', 't')`)
    migrate(db, MIGRATIONS)
    expect(db.prepare('SELECT client_id, occasion, outcome, follow_up_id, channel, note FROM care_greetings').all()).toEqual([
      { client_id: 1, occasion: 'birthday', outcome: 'done', follow_up_id: 7, channel: 'wechat', note: null },
    ])
    const insert = (occasion: string, outcome: string, followUp: number | null, channel: string | null, note: string | null) =>
      db.prepare(`INSERT INTO care_greetings (client_id, occasion, occasion_date, outcome, follow_up_id, staff_id, channel, note, done_at) VALUES (1, ?, '2026-09-25', ?, ?, 2, ?, ?, 't')`).run(occasion, outcome, followUp, channel, note)
    expect(() => insert('midAutumn', 'skipped', 7, null, '不在家')).toThrow(/CHECK/)
    expect(() => insert('midAutumn', 'done', null, null, null)).toThrow(/CHECK/)
    expect(() => insert('midAutumn', 'maybe', null, null, null)).toThrow(/CHECK/)
    expect(() => insert('midAutumn', 'skipped', null, null, '不在家')).not.toThrow()
    expect(() => insert('midAutumn', 'skipped', null, null, '再一次')).toThrow(/UNIQUE/)
    db.close()
  })

  it('gives every level purchase thresholds of nothing, never negative', () => {
    const db = dbAt(29)
    expect(db.prepare('SELECT DISTINCT min_amount, min_deals FROM club_levels').all()).toEqual([{ min_amount: 0, min_deals: 0 }])
    expect(() => db.prepare('UPDATE club_levels SET min_deals = -1').run()).toThrow(/CHECK/)
    db.close()
  })
})
