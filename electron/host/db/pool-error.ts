/** Why the SQLite worker pool could not run a statement (none of them is SQLite's own error). */
export type DbPoolErrorCode =
  | 'DB_POOL_FULL' // too many calls already wait for a connection: answered as busy
  | 'DB_WORKER_EXITED' // the connection's worker thread died: answered as a database fault
  | 'DB_POOL_CLOSED' // the host is stopping

/** A typed failure of the pool; `code` is what the dispatcher maps (see sqlite-fault.ts). */
export class DbPoolError extends Error {
  constructor(
    readonly code: DbPoolErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DbPoolError'
  }
}
