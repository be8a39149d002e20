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

function migrated() {
  const d = tempDir('keyuan-mig-devices-')
  dirs.push(d)
  const db = new Database(path.join(d, 'm.db'))
  db.pragma(`cipher='sqlcipher'`)
  db.pragma('legacy=4')
  db.pragma(`key="x'${'c5'.repeat(32)}'"`)
  db.pragma('foreign_keys = ON')
  migrate(db, MIGRATIONS)
  return db
}

describe('migration 027 (paired devices)', () => {
  it('keeps one row per device secret, a known kind and a listable name; the revoker must be staff', () => {
    const db = migrated()
    const add = (name: string, kind: string, hash: string, revokedBy: number | null = null) =>
      db.prepare(`INSERT INTO paired_devices (name, kind, token_hash, paired_at, revoked_by) VALUES (?, ?, ?, 't', ?)`).run(name, kind, hash, revokedBy)
    add('前台电脑', 'terminal', 'h1')
    add('经理笔记本', 'browser', 'h2')
    expect(() => add('另一台', 'terminal', 'h1')).toThrow(/UNIQUE/)
    expect(() => add('手机', 'phone', 'h3')).toThrow(/CHECK/)
    expect(() => add('', 'terminal', 'h4')).toThrow(/CHECK/)
    expect(() => add('x'.repeat(61), 'terminal', 'h5')).toThrow(/CHECK/)
    expect(() => add('某台', 'terminal', 'h6', 999)).toThrow(/FOREIGN KEY/)
    expect(db.prepare('SELECT count(*) FROM paired_devices').pluck().get()).toBe(2)
    db.close()
  })
})
