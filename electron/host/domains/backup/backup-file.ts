import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { CompiledQuery, Kysely } from 'kysely'
import type { AuditHead } from '@shared/contract/audit'
import { ConnectionSlots } from '../../db/connection-slots'
import type { DB } from '../../db/schema'
import { WorkerConnection } from '../../db/worker-connection'
import { WorkerDialect } from '../../db/worker-dialect'
import { workerScript } from '../../db/worker-pool'
import { auditHead } from '../audit/audit.repository'

/** The tables whose row counts a manifest records (what a restore report shows). */
export const COUNTED_TABLES = ['clients', 'requirements', 'follow_ups', 'viewings', 'staff', 'units', 'unit_transactions', 'payments', 'audit_log'] as const

/** How long closing a backup's connection may take. */
const CLOSE_MS = 30_000

/**
 * Copies the live database into `target` from one read snapshot, on a connection in its own
 * worker thread (the event loop and the writer go on meanwhile). The copy is encrypted with the
 * same key: SQLite3MultipleCiphers' VACUUM INTO keeps the source's cipher and key, while
 * better-sqlite3's backup() opens its target without a key and is refused as "incompatible".
 */
export async function copyDatabase(file: string, keyHex: string, target: string): Promise<void> {
  const conn = await WorkerConnection.open(workerScript(), { file, keyHex, role: 'backup' })
  try {
    await conn.executeQuery(CompiledQuery.raw('VACUUM INTO ?', [target]))
  } finally {
    await conn.close(CLOSE_MS)
  }
}

/**
 * Rewrites every page of a database file no other connection holds (the live file inside a
 * swap, a restore's copy) under `newKey`, in one transaction, on a connection in its own worker
 * thread (the event loop goes on answering; calls wait for their connection). Rejects, the file unchanged, when `oldKey` does not open it.
 */
export async function rekeyFile(file: string, oldKey: string, newKey: string): Promise<void> {
  const conn = await WorkerConnection.open(workerScript(), { file, keyHex: oldKey, role: 'backup' })
  try {
    // SQLite3MultipleCiphers refuses to rekey in WAL mode: the rewrite goes through a rollback
    // journal (a crash rolls it back under the old key), then the file gets its mode back
    const mode = (await conn.executeQuery<{ journal_mode: string }>(CompiledQuery.raw('PRAGMA journal_mode'))).rows[0]?.journal_mode ?? 'delete'
    if (mode === 'wal') await conn.executeQuery(CompiledQuery.raw('PRAGMA journal_mode = DELETE'))
    await conn.executeQuery(CompiledQuery.raw(`PRAGMA rekey="x'${newKey.toLowerCase()}'"`))
    if (mode === 'wal') await conn.executeQuery(CompiledQuery.raw('PRAGMA journal_mode = WAL'))
  } finally {
    await conn.close(CLOSE_MS)
  }
}

/** A backup file opened with a key in a worker thread: read it through `db`, then close. */
export interface OpenedBackup {
  db: Kysely<DB>
  close(): Promise<void>
}

/** Opens a backup file with the key (rejects when the key does not open it); nothing is written to it. */
export async function openBackup(file: string, keyHex: string): Promise<OpenedBackup> {
  const conn = await WorkerConnection.open(workerScript(), { file, keyHex, role: 'backup' })
  const slots = new ConnectionSlots('reader', 10)
  slots.add(conn)
  const db = new Kysely<DB>({ dialect: new WorkerDialect(slots, 'reader') })
  return {
    db,
    close: async () => {
      slots.close()
      await conn.close(CLOSE_MS)
    },
  }
}

/** The newest migration a database has had. */
export async function schemaVersionOf(db: Kysely<DB>): Promise<number> {
  const v = await db.selectFrom('schema_version').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst()
  return Number(v?.v ?? 0)
}

/** What a manifest says of a database: its schema version, row counts and audit head. */
export async function describeDatabase(db: Kysely<DB>): Promise<{ schemaVersion: number; counts: Record<string, number>; auditHead: AuditHead | null }> {
  const schemaVersion = await schemaVersionOf(db)
  const counts: Record<string, number> = {}
  for (const table of COUNTED_TABLES) {
    const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    counts[table] = Number(r.n)
  }
  return { schemaVersion, counts, auditHead: await auditHead(db) }
}

/** `PRAGMA integrity_check`'s answer: 'ok' or the first problems it names. */
export async function integrityOf(db: Kysely<DB>): Promise<string> {
  const r = await db.executeQuery<{ integrity_check: string }>(CompiledQuery.raw('PRAGMA integrity_check(5)'))
  return r.rows.map((row) => row.integrity_check).join('; ')
}

/** SHA-256 of a file, hex, read in chunks (the event loop is free between them). */
export function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}
