import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely'
import type { DB } from './schema'
import type { StatementCache } from './statement-cache'

/**
 * Kysely over a connection in its own thread (a worker's), for writer procedures: each statement
 * runs at once on the connection, as the worker runs a posted query (the same statement cache, so
 * the same results: rows read whole, changes and the last rowid of a write), and `wrote` is told
 * the text of each statement that may have written. Every `await` in code run on it resolves
 * without leaving the thread. It begins no transaction: the caller's is open.
 */
export function threadKysely(statements: Pick<StatementCache, 'prepare'>, wrote: (sql: string) => void): Kysely<DB> {
  const connection: DatabaseConnection = {
    executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
      const stmt = statements.prepare(q.sql)
      // RETURNING reads rows and writes: `readonly` says which statements may write
      if (!stmt.readonly) wrote(q.sql)
      if (stmt.reader) return { rows: stmt.all(q.parameters) as R[] }
      const { changes, lastInsertRowid } = stmt.run(q.parameters)
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) }
    },
    streamQuery: async function* <R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      const { rows } = await connection.executeQuery<R>(q)
      for (const row of rows) yield { rows: [row] }
    },
  }
  const refuse = (): Promise<never> => Promise.reject(new Error('a writer procedure runs inside its caller’s transaction and opens none'))
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: refuse,
    commitTransaction: refuse,
    rollbackTransaction: refuse,
    releaseConnection: async () => {},
    destroy: async () => {},
  }
  const dialect: Dialect = {
    createAdapter: (): DialectAdapter => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(db),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
  }
  return new Kysely<DB>({ dialect })
}
