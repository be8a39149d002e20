import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { DbOpenError, storageOpenError } from '../../electron/host/db/db-error'
import { LATEST_SCHEMA_VERSION } from '../../electron/host/db/migrate'
import { openDatabase } from '../../electron/host/db/open'
import { tempDir } from '../helpers/temp-host'

const KEY = 'a1'.repeat(32)
const OTHER_KEY = 'b2'.repeat(32)
const dirs: string[] = []
function dbFile() {
  const d = tempDir('keyuan-db-')
  dirs.push(d)
  return path.join(d, 'keyuan.db')
}
const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex')
function expectReason(fn: () => unknown, reason: string) {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DbOpenError)
    expect((err as DbOpenError).reason).toBe(reason)
    return
  }
  throw new Error(`expected ${reason}`)
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

describe('openDatabase', () => {
  it('makes the standby feed\'s triggers only while a standby is registered, and drops them with the last one', async () => {
    const file = dbFile()
    const triggers = (db: ReturnType<typeof openDatabase>) =>
      Number(db.sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keyuan_feed_%'`).pluck().get())
    const first = openDatabase(file, KEY)
    expect(triggers(first)).toBe(0)
    first.sqlite.prepare(`INSERT INTO paired_devices (id, name, kind, token_hash, paired_at) VALUES (7, '备机', 'terminal', 'h7', '2026-12-07T00:00:00Z')`).run()
    first.sqlite.prepare(`INSERT INTO standby_feeds (device_id, acked_seq, allowed_at) VALUES (7, 0, '2026-12-07T00:00:00Z')`).run()
    await first.close()
    // a standby registered: every fed table gets its three triggers at the next start, and writes feed the log
    const fed = openDatabase(file, KEY)
    expect(triggers(fed)).toBeGreaterThan(150)
    fed.sqlite.prepare(`UPDATE paired_devices SET name = '备机甲' WHERE id = 7`).run()
    expect(fed.sqlite.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(1)
    // unpaired: it follows no more, and the next start drops the triggers
    fed.sqlite.prepare(`UPDATE paired_devices SET revoked_at = '2026-12-07T01:00:00Z' WHERE id = 7`).run()
    await fed.close()
    const unfed = openDatabase(file, KEY)
    expect(triggers(unfed)).toBe(0)
    unfed.sqlite.prepare(`UPDATE paired_devices SET name = '备机乙' WHERE id = 7`).run()
    expect(unfed.sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get()).toBe(2)
    await unfed.close()
  })

  it('creates an encrypted, migrated database with WAL and foreign keys on', async () => {
    const file = dbFile()
    const db = openDatabase(file, KEY)
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    await db.close()
  })

  it('leaves no plaintext on disk', async () => {
    const file = dbFile()
    const canary = 'CANARY-客源-13812345678'
    const db = openDatabase(file, KEY)
    db.sqlite
      .prepare(
        `INSERT INTO staff (username, name, role, password_hash, created_at, updated_at)
         VALUES ('canary', ?, 'agent', 'x', 'now', 'now')`,
      )
      .run(canary)
    // bytes as written before and after the WAL is folded back into the main file
    const walBytes = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)
    await db.close()
    const needles = [Buffer.from(canary, 'utf8'), Buffer.from('13812345678'), Buffer.from('CREATE TABLE')]
    for (const bytes of [fs.readFileSync(file), walBytes]) {
      for (const n of needles) expect(bytes.includes(n)).toBe(false)
    }
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0')
    // and the data is there for the right key
    const again = openDatabase(file, KEY)
    expect(again.sqlite.prepare('SELECT name FROM staff WHERE username = ?').pluck().get('canary')).toBe(canary)
    await again.close()
  })

  it('refuses a wrong key with DB_LOCKED and leaves the file untouched', async () => {
    const file = dbFile()
    const db = openDatabase(file, KEY)
    await db.close()
    const before = sha(file)
    expectReason(() => openDatabase(file, OTHER_KEY), 'DB_LOCKED')
    expect(sha(file)).toBe(before)
    expect(fs.existsSync(`${file}-wal`)).toBe(false)
    const ok = openDatabase(file, KEY)
    await ok.close()
  })

  it('refuses a plain SQLite file, untouched', () => {
    const file = dbFile()
    const plain = new Database(file)
    plain.exec('CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)')
    plain.close()
    const before = sha(file)
    expectReason(() => openDatabase(file, KEY), 'DB_NOT_ENCRYPTED')
    expect(sha(file)).toBe(before)
  })

  it('refuses a damaged file, untouched', () => {
    const file = dbFile()
    fs.writeFileSync(file, randomBytes(8192))
    const before = sha(file)
    expectReason(() => openDatabase(file, KEY), 'DB_LOCKED')
    expect(sha(file)).toBe(before)
  })

  it("refuses an encrypted database that is not Keyuan's", () => {
    const file = dbFile()
    const other = new Database(file)
    other.pragma(`cipher='sqlcipher'`)
    other.pragma('legacy=4')
    other.pragma(`key="x'${KEY}'"`)
    other.exec('CREATE TABLE invoices (id INTEGER)')
    other.close()
    const before = sha(file)
    expectReason(() => openDatabase(file, KEY), 'DB_NOT_OURS')
    expect(sha(file)).toBe(before)
  })

  it('refuses a database written by a newer version', async () => {
    const file = dbFile()
    const db = openDatabase(file, KEY)
    db.sqlite
      .prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
      .run(LATEST_SCHEMA_VERSION + 1, 'future', 'now')
    await db.close()
    expectReason(() => openDatabase(file, KEY), 'DB_TOO_NEW')
  })

  it('refuses a key that is not 64 hex characters', () => {
    expectReason(() => openDatabase(dbFile(), 'not-a-key'), 'DB_BAD_KEY_FORMAT')
  })

  it('names a full disk as DISK_FULL, not as a wrong key (a real SQLITE_FULL)', async () => {
    const file = dbFile()
    const db = openDatabase(file, KEY)
    db.sqlite.pragma(`max_page_count = ${db.sqlite.pragma('page_count', { simple: true }) as number}`)
    let caught: unknown = null
    try {
      db.sqlite.prepare('CREATE TABLE filler (b BLOB)').run()
      db.sqlite.prepare('INSERT INTO filler VALUES (randomblob(1000000))').run()
    } catch (err) {
      caught = err
    }
    await db.close()
    expect((caught as { code?: string }).code).toBe('SQLITE_FULL')
    expect(storageOpenError(caught, file)?.reason).toBe('DISK_FULL')
    expect(storageOpenError(new Error('x'), file)).toBeNull()
  })
})
