import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
} from 'kysely'
import type { ConnectionSlots } from './connection-slots'
import type { DB } from './schema'
import type { WorkerConnection } from './worker-connection'

/**
 * Kysely's SQLite dialect over connections that live in worker threads: the same SQL, adapter
 * and introspection as SqliteDialect; connections come from one side of the pool.
 */
export class WorkerDialect implements Dialect {
  constructor(
    private readonly slots: ConnectionSlots,
    /** `begin immediate` on the writer: it takes the write lock at once, where busy_timeout applies. */
    private readonly beginSql: 'begin' | 'begin immediate',
  ) {}

  createAdapter(): DialectAdapter {
    return new SqliteAdapter()
  }

  createDriver(): Driver {
    return new WorkerDriver(this.slots, this.beginSql)
  }

  createIntrospector(db: Kysely<DB>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }
}

/** As Kysely's SqliteDriver: transactions and savepoints are statements on the acquired connection. */
class WorkerDriver implements Driver {
  constructor(
    private readonly slots: ConnectionSlots,
    private readonly beginSql: string,
  ) {}

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return this.slots.acquire()
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(this.beginSql))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoted(name)}`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoted(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoted(name)}`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.slots.release(connection as WorkerConnection)
  }

  /** The pool closes the workers (SqliteWorkerPool.close), after the calls in flight. */
  async destroy(): Promise<void> {}
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
