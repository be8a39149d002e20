import type Database from 'better-sqlite3-multiple-ciphers'
import type { ProcedureContext } from './procedures'
import { StatementCache } from './statement-cache'

type SqliteHandle = InstanceType<typeof Database>

/**
 * What the procedures of a worker's connection run with (see ReaderProcedure): statements of
 * their own, prepared once (apart from the query path's, as a procedure may read them raw), and
 * a snapshot opened and closed in the thread, or the caller's transaction when one is open.
 */
export function procedureContext(sqlite: SqliteHandle): ProcedureContext & { snapshotAsync<T>(read: () => Promise<T>): Promise<T> } {
  const own = new StatementCache(sqlite)
  const begin = sqlite.prepare('BEGIN')
  const commit = sqlite.prepare('COMMIT')
  const rollback = sqlite.prepare('ROLLBACK')
  const ended = (err: unknown): never => {
    if (sqlite.inTransaction) rollback.run()
    throw err
  }
  return {
    prepare: (sql) => own.prepare(sql),
    exec: (sql) => void sqlite.exec(sql),
    snapshot: (read) => {
      if (sqlite.inTransaction) return read()
      begin.run()
      try {
        const out = read()
        commit.run()
        return out
      } catch (err) {
        return ended(err)
      }
    },
    /**
     * snapshot for an asynchronous read (a thread reader procedure's Kysely code): nothing else
     * runs on the connection meanwhile, as the worker holds back the messages that come (sqlite-worker).
     */
    snapshotAsync: async (read) => {
      if (sqlite.inTransaction) return read()
      begin.run()
      try {
        const out = await read()
        commit.run()
        return out
      } catch (err) {
        return ended(err)
      }
    },
  }
}
