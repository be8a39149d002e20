/** Why a database could not be opened; the host prints a clear message for each and stops. */
export type DbOpenReason =
  | 'DB_LOCKED' // wrong key, or the encrypted file is damaged: cannot unlock
  | 'DB_NOT_ENCRYPTED' // a plain SQLite file, not a Keyuan database
  | 'DB_NOT_OURS' // unlocks, but holds someone else's tables
  | 'DB_TOO_NEW' // written by a newer Keyuan
  | 'DB_BAD_KEY_FORMAT' // the key is not 64 hex characters

const MESSAGES: Record<DbOpenReason, string> = {
  DB_LOCKED: 'cannot unlock the database: the key is wrong or the file is damaged (the file was left untouched)',
  DB_NOT_ENCRYPTED: 'the file is a plain, unencrypted SQLite database, not a Keyuan database (left untouched)',
  DB_NOT_OURS: 'the file is not a Keyuan database (left untouched)',
  DB_TOO_NEW: 'the database was written by a newer version of Keyuan; update this program',
  DB_BAD_KEY_FORMAT: 'the database key must be 64 hexadecimal characters',
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
