import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS } from '../../electron/host/db/migrate'
import { DEFAULT_TICKET_CATEGORIES } from '@shared/domain/tickets'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

/** A fresh encrypted database with every migration up to the tickets' applied. */
function migrated() {
  const d = tempDir('keyuan-mig-tickets-')
  dirs.push(d)
  const db = new Database(path.join(d, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c4'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS)
  return db
}

describe('migration 021 (tickets)', () => {
  it('seeds the default taxonomy as written in shared/domain/tickets.ts', () => {
    const db = migrated()
    const rows = db.prepare(`SELECT code, kind, name_zh, name_en, hours_vip, hours_key, hours_normal, hours_potential FROM ticket_categories ORDER BY sort`).all()
    expect(rows).toEqual(
      DEFAULT_TICKET_CATEGORIES.map((c) => ({ code: c.code, kind: c.kind, name_zh: c.nameZh, name_en: c.nameEn, hours_vip: c.hours.vip, hours_key: c.hours.key, hours_normal: c.hours.normal, hours_potential: c.hours.potential })),
    )
    db.close()
  })

  it('keeps a satisfaction score to closed tickets, 1 to 5, and deadlines within 1–720 hours', () => {
    const db = migrated()
    db.exec(`INSERT INTO staff (id, username, name, role, password_hash, created_at, updated_at) VALUES (2, 'desk', '前台', 'front_desk', 'h', 't', 't');
      INSERT INTO clients (id, code, kind, name, source_channel, tier, stage, created_at, updated_at) VALUES (1, 'KY000001', 'person', '张三', 'walk_in', 'vip', 'potential', 't', 't')`)
    const insert = (state: string, satisfaction: number | null) =>
      db
        .prepare(`INSERT INTO tickets (client_id, category_id, channel, content, state, intake_by, created_at, updated_at, satisfaction) VALUES (1, 1, 'desk', '投诉', ?, 2, 't', 't', ?)`)
        .run(state, satisfaction)
    expect(() => insert('new', null)).not.toThrow()
    expect(() => insert('closed', 4)).not.toThrow()
    expect(() => insert('closed', null)).toThrow(/CHECK/)
    expect(() => insert('handling', 3)).toThrow(/CHECK/)
    expect(() => insert('closed', 6)).toThrow(/CHECK/)
    expect(() => insert('lost', null)).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE ticket_categories SET hours_vip = 0 WHERE id = 1`).run()).toThrow(/CHECK/)
    // a handler's open tickets are read by index
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM tickets WHERE assignee_id = 2 AND state = 'handling'`).all() as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join('; ')).toContain('tickets_assignee')
    db.close()
  })
})
