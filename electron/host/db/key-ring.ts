import type { Kysely } from 'kysely'
import type { SqliteHandle } from './open'
import type { DB } from './schema'

/** What the key ring holds (migration 029): the audit keys' root and the keys a rekey retired. */
export interface KeyRing {
  auditRoot: string | null
  retired: string[]
}

/** The key the audit keys derive from: the ring's root, else (never rekeyed) the database key itself. */
export async function auditRootOf(db: Kysely<DB>, keyHex: string): Promise<string> {
  const row = await db.selectFrom('key_ring').select('key_hex').where('purpose', '=', 'audit_root').executeTakeFirst()
  return row?.key_hex ?? keyHex
}

/** The ring as a start-up (event-loop) connection reads it. */
export function readKeyRing(sqlite: SqliteHandle): KeyRing {
  const rows = sqlite.prepare('SELECT purpose, key_hex FROM key_ring ORDER BY id').all() as { purpose: string; key_hex: string }[]
  return {
    auditRoot: rows.find((r) => r.purpose === 'audit_root')?.key_hex ?? null,
    retired: rows.filter((r) => r.purpose === 'retired').map((r) => r.key_hex),
  }
}

/**
 * Adds the ring's keys to a database (a restored file gets the ring of the one it replaced: its
 * audit chain was keyed by the same root, and the keys it may be asked to open backups with).
 * A root already there is kept.
 */
export function writeKeyRing(sqlite: SqliteHandle, ring: KeyRing, at: string): void {
  const add = sqlite.prepare('INSERT OR IGNORE INTO key_ring (purpose, key_hex, at) VALUES (?, ?, ?)')
  sqlite.transaction(() => {
    if (ring.auditRoot) add.run('audit_root', ring.auditRoot, at)
    for (const k of ring.retired) add.run('retired', k, at)
  })()
}
