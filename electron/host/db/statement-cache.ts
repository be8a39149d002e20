import type Database from 'better-sqlite3-multiple-ciphers'

type SqliteHandle = InstanceType<typeof Database>
type Statement = ReturnType<SqliteHandle['prepare']>

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query afresh; compiling SQL costs more than running most of ours.
 * This keeps one prepared statement per SQL text for a connection (oldest dropped first).
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>()

  constructor(private readonly sqlite: SqliteHandle) {}

  /** The prepared statement for `source`, compiled once while it stays among the last 500 used. */
  prepare(source: string): Statement {
    let stmt = this.cache.get(source)
    if (stmt) {
      this.cache.delete(source)
    } else {
      stmt = this.sqlite.prepare(source)
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string)
    }
    this.cache.set(source, stmt)
    return stmt
  }
}
