/** What went wrong under the database, in the few kinds a person can act on. */
export type StorageFault = 'busy' | 'full' | 'read_only' | 'io' | 'not_a_db'

const ERRNO_FAULTS: Record<string, StorageFault> = {
  EACCES: 'read_only',
  EPERM: 'read_only',
  EROFS: 'read_only',
  ENOSPC: 'full',
  EDQUOT: 'full',
  EIO: 'io',
}

/** The pool's own failures (pool-error.ts) as the faults they look like to a caller. */
const POOL_FAULTS: Record<string, StorageFault> = {
  DB_POOL_FULL: 'busy',
  DB_POOL_CLOSED: 'busy',
  DB_WORKER_EXITED: 'io',
}

function codeOf(err: unknown): string | null {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : null
}

/**
 * Classifies an SQLite error (better-sqlite3's `code`, extended codes included, e.g.
 * SQLITE_IOERR_WRITE, as it crossed back from a worker) and the worker pool's own failures; null
 * for anything else (a constraint, a bug, a file-system error of something that is not the database).
 */
export function sqliteFault(err: unknown): StorageFault | null {
  const code = codeOf(err)
  if (code && code in POOL_FAULTS) return POOL_FAULTS[code]!
  if (code?.startsWith('SQLITE_')) {
    const primary = code.replace(/^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/, '$1')
    switch (primary) {
      case 'SQLITE_BUSY':
      case 'SQLITE_LOCKED':
        return 'busy'
      case 'SQLITE_FULL':
        return 'full'
      case 'SQLITE_READONLY':
        return 'read_only'
      case 'SQLITE_IOERR':
      case 'SQLITE_CORRUPT':
      case 'SQLITE_CANTOPEN':
      case 'SQLITE_PROTOCOL':
        return 'io'
      case 'SQLITE_NOTADB':
        return 'not_a_db'
      default:
        return null
    }
  }
  return null
}

/** As sqliteFault, and a file-system errno too: at start every file the host touches is its data folder's. */
export function storageFault(err: unknown): StorageFault | null {
  return sqliteFault(err) ?? ERRNO_FAULTS[codeOf(err) ?? ''] ?? null
}
