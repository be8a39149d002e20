import { storageFault, type StorageFault } from './sqlite-fault'

/** Why a database could not be opened; the host prints a clear message for each and stops. */
export type DbOpenReason =
  | 'DB_LOCKED' // wrong key, or the encrypted file is damaged: cannot unlock
  | 'DB_NOT_ENCRYPTED' // a plain SQLite file, not a Keyuan database
  | 'DB_NOT_OURS' // unlocks, but holds someone else's tables
  | 'DB_TOO_NEW' // written by a newer Keyuan
  | 'DB_DAMAGED' // unlocks with the key, but pages are damaged or missing (a truncated or altered file)
  | 'DB_BAD_KEY_FORMAT' // the key is not 64 hex characters
  | 'KEY_FILE_ACCESS' // the key file cannot be read, or a new one cannot be written
  | 'DB_IN_USE' // another host process has this data folder
  | 'DB_READ_ONLY' // the data folder or the database file cannot be written
  | 'DISK_FULL' // no space left for the database
  | 'DB_BUSY' // another program holds a lock on the database file
  | 'DB_IO' // the disk or the file failed to read or write

const MESSAGES: Record<DbOpenReason, string> = {
  DB_LOCKED: 'cannot unlock the database: the key is wrong or the file is damaged (the file was left untouched)',
  DB_NOT_ENCRYPTED: 'the file is a plain, unencrypted SQLite database, not a Keyuan database (left untouched)',
  DB_NOT_OURS: 'the file is not a Keyuan database (left untouched)',
  DB_TOO_NEW: 'the database was written by a newer version of Keyuan; update this program (the file was left untouched)',
  DB_DAMAGED: 'the database file is damaged or cut short (the key is right, but pages are missing or altered); the file was left untouched: restore the newest backup (README "Backups and restore")',
  DB_BAD_KEY_FORMAT: 'the database key must be 64 hexadecimal characters',
  KEY_FILE_ACCESS: 'the key file cannot be read (or, for a new database, written): check its path and that this account may read it',
  DB_IN_USE: 'another Keyuan host is already using this data folder; stop it first, or give this one another --data folder',
  DB_READ_ONLY: 'the data folder or the database cannot be written (read-only folder, file permissions or a read-only disk); the key was not checked',
  DISK_FULL: 'the disk holding the data folder is full; free some space and start again',
  DB_BUSY: 'another program holds a lock on the database file (a backup or a database tool?); close it and start again',
  DB_IO: 'the database file could not be read or written (disk error or a damaged file); check the disk, or restore from a backup',
}

export class DbOpenError extends Error {
  constructor(
    readonly reason: DbOpenReason,
    detail?: string,
  ) {
    super(detail ? `${MESSAGES[reason]}: ${detail}` : MESSAGES[reason])
    this.name = 'DbOpenError'
  }
}

const FAULT_REASONS: Record<StorageFault, DbOpenReason> = {
  busy: 'DB_BUSY',
  full: 'DISK_FULL',
  read_only: 'DB_READ_ONLY',
  io: 'DB_IO',
  not_a_db: 'DB_LOCKED',
}

/**
 * A start-time failure of the disk or the database file, named for what it is (a read-only
 * folder is not "the key is wrong"); null when `err` is not one.
 */
export function storageOpenError(err: unknown, where: string): DbOpenError | null {
  if (err instanceof DbOpenError) return err
  const fault = storageFault(err)
  if (!fault) return null
  return new DbOpenError(FAULT_REASONS[fault], `${where} (${(err as Error).message})`)
}
