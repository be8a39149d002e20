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

/**
 * Classifies an SQLite error (better-sqlite3's `code`, extended codes included, e.g.
 * SQLITE_IOERR_WRITE) or a file-system errno; null for anything else (a constraint, a bug).
 */
export function storageFault(err: unknown): StorageFault | null {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return null
  const code = err.code
  if (code.startsWith('SQLITE_')) {
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
  return ERRNO_FAULTS[code] ?? null
}
