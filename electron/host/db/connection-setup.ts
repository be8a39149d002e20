import type Database from 'better-sqlite3-multiple-ciphers'

type SqliteHandle = InstanceType<typeof Database>

/**
 * Which connection is being set up: the start-up handle, the one writer, a reader, the
 * checkpointer (it only copies the WAL into the database file, beside the writer), or a backup's
 * (it copies the database into a backup file, or reads a backup file to check it).
 */
export type ConnectionRole = 'main' | 'writer' | 'reader' | 'checkpointer' | 'backup'

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
  if (role === 'backup') {
    // a backup file is read as it is (journal_mode = WAL would rewrite its header, and its checksum
    // with it); VACUUM INTO writes only its target, so this connection is not query_only
    sqlite.pragma('busy_timeout = 5000')
    return
  }
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('temp_store = MEMORY')
  // 64 MB of decrypted pages: a cached page skips decryption (bench: lookups ~1.07x plain)
  sqlite.pragma('cache_size = -65536')
  // a reader that tried to write would break the one-writer rule (and its audit); SQLite refuses it
  if (role === 'reader' || role === 'checkpointer') sqlite.pragma('query_only = 1')
  // the commit that crosses 1,000 WAL pages would copy them into the file itself, fsync included
  // (50-90 ms inside one caller's write); the checkpointer's thread does that beside the writer
  if (role === 'writer') sqlite.pragma('wal_autocheckpoint = 0')
}
