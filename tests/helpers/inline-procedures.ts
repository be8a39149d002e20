import type Database from 'better-sqlite3-multiple-ciphers'
import { SqliteDialect, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely'
import { procedureContext } from '../../electron/host/db/procedure-context'
import { procedureOf, type ProcedureContext } from '../../electron/host/db/procedures'
import { READER_PROCEDURES } from '../../electron/host/db/reader-procedures'
import { THREAD_READER_PROCEDURES } from '../../electron/host/db/thread-reader-procedures'
import { threadKysely } from '../../electron/host/db/thread-kysely'

type SqliteHandle = InstanceType<typeof Database>
type Statement = ReturnType<SqliteHandle['prepare']>

/** A statement as a test sees it run: its text and the values bound to it. */
export interface HeardStatement {
  sql: string
  parameters: readonly unknown[]
}

/** A statement that tells `heard` each time it runs (raw and pluck keep telling). */
function telling(st: Statement, sql: string, heard: (s: HeardStatement) => void): Statement {
  const proxy: Statement = new Proxy(st, {
    get(target, prop) {
      if (prop === 'raw' || prop === 'pluck') {
        return (...a: unknown[]) => {
          ;(target[prop] as (...x: unknown[]) => unknown).apply(target, a)
          return proxy
        }
      }
      if (prop === 'all' || prop === 'get' || prop === 'run') {
        return (...a: unknown[]) => {
          heard({ sql, parameters: a.flat() })
          return (target[prop] as (...x: unknown[]) => unknown).apply(target, a)
        }
      }
      const v: unknown = Reflect.get(target, prop, target)
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v
    },
  })
  return proxy
}

/**
 * SQLite's Kysely dialect on a start-up handle that also runs reader procedures (db/procedures.ts,
 * the thread reader procedures too) on that handle, in this thread, as a reader's worker would;
 * `heard` is told of every statement a procedure runs. For tests that look at the statements of a search (their query plans): the
 * host itself only ever runs a procedure in a worker.
 */
export class InlineProcedureDialect extends SqliteDialect {
  private readonly ctx: ProcedureContext

  constructor(sqlite: SqliteHandle, heard: (s: HeardStatement) => void) {
    super({ database: sqlite })
    const base = procedureContext(sqlite)
    this.ctx = { snapshot: base.snapshot, exec: base.exec, prepare: (sql) => telling(base.prepare(sql), sql, heard) }
  }

  override createDriver(): Driver {
    const inner = super.createDriver()
    const ctx = this.ctx
    const threadDb = threadKysely({ prepare: (sql) => ctx.prepare(sql) }, () => {})
    const wrap = (conn: DatabaseConnection): DatabaseConnection => ({
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        const p = procedureOf(q)
        if (!p) return conn.executeQuery<R>(q)
        const proc = READER_PROCEDURES.get(p.name)
        if (proc) return { rows: [proc.run(ctx, p.args as never) as R] }
        const reading = THREAD_READER_PROCEDURES.get(p.name)
        if (!reading) throw new Error(`no procedure ${p.name}`)
        return { rows: [(await reading.run(threadDb, p.args as never)) as R] }
      },
      streamQuery: (q, chunkSize) => conn.streamQuery(q, chunkSize),
    })
    return {
      init: () => inner.init(),
      acquireConnection: async () => wrap(await inner.acquireConnection()),
      beginTransaction: (c, s) => inner.beginTransaction(c, s),
      commitTransaction: (c) => inner.commitTransaction(c),
      rollbackTransaction: (c) => inner.rollbackTransaction(c),
      releaseConnection: (c) => inner.releaseConnection(c),
      destroy: () => inner.destroy(),
    }
  }
}
