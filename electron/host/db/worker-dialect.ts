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
import type { ConnectionSlots, SlotPriority } from './connection-slots'
import type { DB } from './schema'
import type { WorkerConnection } from './worker-connection'

/**
 * Kysely's SQLite dialect over connections that live in worker threads: the same SQL, adapter
 * and introspection as SqliteDialect; connections come from one side of the pool, asked for with
 * `priority` (a long job's slices wait behind people's calls).
 */
export class WorkerDialect implements Dialect {
  constructor(
    private readonly source: ConnectionSlots,
    private readonly side: 'writer' | 'reader',
    private readonly priority: SlotPriority = 'call',
  ) {}

  createAdapter(): DialectAdapter {
    return new SqliteAdapter()
  }

  createDriver(): Driver {
    return new WorkerDriver(this.source, this.side, this.priority)
  }

  createIntrospector(db: Kysely<DB>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }
}

// the writer takes the write lock at BEGIN, where busy_timeout applies (a deferred BEGIN that
// later writes can fail at once with SQLITE_BUSY_SNAPSHOT); a read begins its snapshot at its first read
const BEGIN_WRITE = CompiledQuery.raw('begin immediate')
const BEGIN_READ = CompiledQuery.raw('begin')
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')

/**
 * As Kysely's SqliteDriver: transactions and savepoints are statements on the acquired connection.
 * BEGIN travels with the first query, in its message (its failure is the first query's answer),
 * and so does a read's COMMIT (the answer is out already; a write's COMMIT is awaited: the caller
 * hears of the write only once it is committed).
 */
class WorkerDriver implements Driver {
  constructor(
    private readonly source: ConnectionSlots,
    private readonly side: 'writer' | 'reader',
    private readonly priority: SlotPriority,
  ) {}

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return this.source.acquire(this.priority)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    ;(connection as WorkerConnection).beginWith(this.side === 'writer' ? BEGIN_WRITE : BEGIN_READ)
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // a read that ran no statement (a board served from memory) costs its reader nothing
    if (this.side === 'reader') (connection as WorkerConnection).endRead(COMMIT)
    else await connection.executeQuery(COMMIT)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(ROLLBACK)
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
    this.source.release(connection as WorkerConnection)
  }

  /** The pool closes the workers (SqliteWorkerPool.close), after the calls in flight. */
  async destroy(): Promise<void> {}
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
