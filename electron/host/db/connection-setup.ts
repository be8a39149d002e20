import type Database from 'better-sqlite3-multiple-ciphers'

type SqliteHandle = InstanceType<typeof Database>

/** Which connection is being set up: the start-up handle, the one writer, or a reader. */
export type ConnectionRole = 'main' | 'writer' | 'reader'

/**
 * Unlocks a connection: SQLCipher v4 format via SQLite3MultipleCiphers, the raw key before any
 * page is read. Every connection to the database (start-up, writer, readers) goes through here.
 */
export function unlockConnection(sqlite: SqliteHandle, keyHex: string): void {
  sqlite.pragma(`cipher='sqlcipher'`)
  sqlite.pragma('legacy=4')
  sqlite.pragma(`key="x'${keyHex.toLowerCase()}'"`)
}

/** The host's pragmas, the same on every connection; a reader may only read (`query_only`). */
export function applyHostPragmas(sqlite: SqliteHandle, role: ConnectionRole): void {
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('temp_store = MEMORY')
  // 64 MB of decrypted pages: a cached page skips decryption (bench: lookups ~1.07x plain)
  sqlite.pragma('cache_size = -65536')
  // a reader that tried to write would break the one-writer rule (and its audit); SQLite refuses it
  if (role === 'reader') sqlite.pragma('query_only = 1')
}
