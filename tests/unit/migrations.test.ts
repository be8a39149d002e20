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
})
