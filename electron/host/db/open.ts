import fs from 'node:fs'
import Database from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteDialect } from 'kysely'
import { syncChangeTriggers } from './change-feed'
import { applyHostPragmas, unlockConnection } from './connection-setup'
import { DbOpenError, storageOpenError } from './db-error'
import { migrate, LATEST_SCHEMA_VERSION } from './migrate'
import { StatementCache } from './statement-cache'
import type { DB } from './schema'

export type SqliteHandle = InstanceType<typeof Database>

export interface OpenedDatabase {
  sqlite: SqliteHandle
  db: Kysely<DB>
  schemaVersion: number
  close(): Promise<void>
}

const HEX_KEY = /^[0-9a-f]{64}$/i
const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/**
 * Unlocks the encrypted store with a raw 256-bit key, checks it is ours, and migrates it.
 * Never creates a fresh database over a file it cannot read: every refusal leaves the file as it was.
 */
export function openDatabase(file: string, keyHex: string): OpenedDatabase {
  if (!HEX_KEY.test(keyHex)) throw new DbOpenError('DB_BAD_KEY_FORMAT')
  const exists = fs.existsSync(file) && fs.statSync(file).size > 0
  if (exists && looksLikePlainSqlite(file)) throw new DbOpenError('DB_NOT_ENCRYPTED', file)

  let sqlite: SqliteHandle
  try {
    sqlite = new Database(file)
  } catch (err) {
    throw storageOpenError(err, file) ?? err
  }
  try {
    unlockConnection(sqlite, keyHex)
    checkUnlocked(sqlite)
    if (exists) checkIsOurs(sqlite)
    applyHostPragmas(sqlite, 'main')
    const schemaVersion = migrate(sqlite)
    // after the migrations, so a table they added is fed to a standby too (the triggers exist only while one is registered)
    sqlite.transaction(() => syncChangeTriggers(sqlite))()
    // keeps planner statistics fresh on long-lived connections (SQLite's advice for apps)
    sqlite.pragma('optimize = 0x10002')
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) })
    return {
      sqlite,
      db,
      schemaVersion,
      close: async () => {
        if (sqlite.open) sqlite.pragma('optimize')
        await db.destroy()
        // closing checkpoints the WAL back into the file and removes it
        if (sqlite.open) sqlite.close()
      },
    }
  } catch (err) {
    sqlite.close()
    throw damagedError(err) ?? storageOpenError(err, file) ?? err
  }
}

/** A page that fails its check (SQLCipher's HMAC, SQLite's structure) once the key has unlocked the file: a damaged file, not a disk fault. */
function damagedError(err: unknown): DbOpenError | null {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_CORRUPT') ? new DbOpenError('DB_DAMAGED', (err as Error).message) : null
}

/** Hands Kysely the same prepared statement for the same SQL text (see StatementCache). */
function cachingStatements(sqlite: SqliteHandle): SqliteHandle {
  const cache = new StatementCache(sqlite)
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return (source: string) => cache.prepare(source)
      const value = Reflect.get(target, prop, receiver) as unknown
      // native methods need the real handle as `this`
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}

function looksLikePlainSqlite(file: string): boolean {
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(16)
    fs.readSync(fd, head, 0, 16, 0)
    return head.equals(PLAIN_SQLITE_HEADER)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * The first read: a wrong key (or a damaged first page) shows as "not a database"; a first page
 * that decrypts but leads to damaged or missing pages (a truncated file) as corrupt. A folder
 * that cannot be written, a full disk or a locked file fail here too (WAL opens its side
 * files on the first read), and are named for what they are, never blamed on the key.
 */
function checkUnlocked(sqlite: SqliteHandle): void {
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (code === 'SQLITE_NOTADB') throw new DbOpenError('DB_LOCKED', err instanceof Error ? err.message : String(err))
    throw damagedError(err) ?? storageOpenError(err, sqlite.name) ?? new DbOpenError('DB_LOCKED', err instanceof Error ? err.message : String(err))
  }
}

function checkIsOurs(sqlite: SqliteHandle): void {
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]
  if (tables.length === 0) return
  if (!tables.includes('schema_version')) throw new DbOpenError('DB_NOT_OURS')
  const row = sqlite.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null }
  if ((row.v ?? 0) > LATEST_SCHEMA_VERSION) {
    throw new DbOpenError('DB_TOO_NEW', `schema ${row.v} > ${LATEST_SCHEMA_VERSION}`)
  }
}
