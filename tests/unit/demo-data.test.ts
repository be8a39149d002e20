import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/host/db/open'
import { demoMobile, generateClients } from '../../electron/host/demo/generate-clients'
import { normalizeClientPhone } from '@shared/domain/client-phone'
import { tempDir } from '../helpers/temp-host'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('demo data generator', () => {
  it('makes unique, valid CN mobiles', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 20_000; i++) {
      const m = demoMobile(i)
      expect(seen.has(m)).toBe(false)
      seen.add(m)
      if (i % 97 === 0) expect(normalizeClientPhone(m).ok, m).toBe(true)
    }
  })

  it('writes clients with phones, search terms, needs and codes, and is repeatable', async () => {
    const d = tempDir()
    dirs.push(d)
    const db = openDatabase(path.join(d, 'keyuan.db'), 'e5'.repeat(32))
    db.sqlite.exec(`INSERT INTO staff (username, name, role, password_hash, created_at, updated_at) VALUES ('a', 'A', 'agent', 'x', 'n', 'n')`)
    generateClients(db.sqlite, { clients: 500, ownerIds: [1], now: new Date('2026-11-25T00:00:00Z'), seed: 7 })
    const q = (sql: string) => db.sqlite.prepare(sql).pluck().get()
    expect(q('SELECT count(*) FROM clients')).toBe(500)
    expect(q('SELECT count(DISTINCT code) FROM clients')).toBe(500)
    expect(q('SELECT count(*) FROM client_phones')).toBe(500)
    expect(q(`SELECT count(*) FROM clients WHERE name GLOB '*[一-龥]*'`)).toBe(500)
    expect(q('SELECT count(DISTINCT client_id) FROM search_terms')).toBe(500)
    expect(q('SELECT count(*) FROM requirements')).toBeGreaterThan(300)
    expect(q(`SELECT value FROM counters WHERE name = 'client_code'`)).toBe(500)
    const first = q('SELECT name FROM clients WHERE id = 1')
    await db.close()
    const d2 = tempDir()
    dirs.push(d2)
    const again = openDatabase(path.join(d2, 'keyuan.db'), 'e5'.repeat(32))
    again.sqlite.exec(`INSERT INTO staff (username, name, role, password_hash, created_at, updated_at) VALUES ('a', 'A', 'agent', 'x', 'n', 'n')`)
    generateClients(again.sqlite, { clients: 1, ownerIds: [1], now: new Date('2026-11-25T00:00:00Z'), seed: 7 })
    expect(again.sqlite.prepare('SELECT name FROM clients WHERE id = 1').pluck().get()).toBe(first)
    await again.close()
  })

  it('a bulk book (its indexes built after the rows) has every index as the migrations made it, agreeing with the rows', async () => {
    const d = tempDir()
    dirs.push(d)
    const db = openDatabase(path.join(d, 'keyuan.db'), 'e5'.repeat(32))
    const indexes = () => db.sqlite.prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name`).all()
    const before = indexes()
    db.sqlite.exec(`INSERT INTO staff (username, name, role, password_hash, created_at, updated_at) VALUES ('a', 'A', 'agent', 'x', 'n', 'n')`)
    generateClients(db.sqlite, { clients: 300, ownerIds: [1], now: new Date('2026-11-25T00:00:00Z'), seed: 7 })
    // on a book that has clients already, as a benchmark adds them
    generateClients(db.sqlite, { clients: 5000, ownerIds: [1], now: new Date('2026-11-25T00:00:00Z'), seed: 8, followUps: 5000 })
    expect(indexes()).toEqual(before)
    expect(db.sqlite.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok'])
    expect(db.sqlite.prepare('SELECT count(*) FROM clients').pluck().get()).toBe(5300)
    // a lookup through a rebuilt index finds the row the table holds
    const row = db.sqlite.prepare('SELECT id, name FROM clients WHERE id = 4000').get() as { id: number; name: string }
    expect(db.sqlite.prepare('SELECT id FROM clients INDEXED BY clients_name WHERE name = ? AND merged_into IS NULL').pluck().all(row.name)).toContain(row.id)
    await db.close()
  })
})
