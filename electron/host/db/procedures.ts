import { CompiledQuery, type Kysely } from 'kysely'
import type Database from 'better-sqlite3-multiple-ciphers'
import type { DB } from './schema'

type SqliteHandle = InstanceType<typeof Database>
type Statement = ReturnType<SqliteHandle['prepare']>

/** What a procedure runs with inside its worker thread. */
export interface ProcedureContext {
  /** the statement for a text, prepared once per connection (apart from the query path's: a procedure may read it raw). */
  prepare(sql: string): Statement
  /**
   * Runs `read` in one snapshot: a deferred read transaction opened and closed here, in the
   * thread (no message to begin or end it), or the caller's own if it holds one already.
   */
  snapshot<T>(read: () => T): T
  /** Runs schema statements (the standby feed's triggers, on the writer inside its caller's transaction): never cached. */
  exec(sql: string): void
}

/**
 * A read that runs whole in a reader's thread, synchronously on its connection: one message in
 * (its arguments), one message out (its answer), both plain data (arrays rather than an object
 * per row where there are many). For the hottest reads, where the round trips to the thread and
 * the statements' own messages cost more than the SQL (clients.search: see docs/performance.md).
 * Its name is its key in the worker's registry (db/reader-procedures.ts).
 */
export interface ReaderProcedure<A, R> {
  readonly name: string
  run(ctx: ProcedureContext, args: A): R
  /**
   * Whether a call with these arguments is small enough for the event loop's read connection
   * (LoopReader): its work bounded by them to about a millisecond. Absent: never on the loop.
   */
  fitsLoop?(args: A): boolean
}

/**
 * A read over the domains' Kysely code run whole in a reader's thread (or on the connection the
 * caller's transaction holds), in one snapshot: one message in, one out, where the same code on
 * the event loop costs a message per statement (tasks.today: seven). `db` is Kysely over that
 * connection (db/thread-kysely.ts); the answer is plain data. Listed in
 * db/thread-reader-procedures.ts (THREAD_READER_PROCEDURES); never on the event loop's read connection.
 */
export interface ThreadReaderProcedure<A, R> {
  readonly name: string
  readonly reads: 'kysely'
  run(db: Kysely<DB>, args: A): Promise<R>
}

/** What a writer procedure runs with: a reader procedure's context, and Kysely over the same connection. */
export interface WriterProcedureContext extends ProcedureContext {
  /**
   * Kysely over the writer's own connection, in its thread, inside the caller's transaction:
   * the domains' repository code runs here as it does on the event loop, each statement without
   * a message (see db/thread-kysely.ts). It opens no transaction of its own.
   */
  readonly db: Kysely<DB>
}

/**
 * A part of a write that runs whole in the writer's thread, inside the caller's transaction: one
 * message in (its arguments), one out (its answer, plain data), for the statements of a write that
 * would otherwise each be a round trip to the thread and a turn of the event loop while the write
 * holds the writer (followups.create: docs/performance.md). What it does after the commit (pushes,
 * audit rows, which need the host's keys) it returns as data for the caller to do. Its name is its
 * key in the writer's registry (db/writer-procedures.ts); only the writer runs it.
 */
export interface WriterProcedure<A, R> {
  readonly name: string
  /** says in the type that it writes: only the writer's worker runs it, and never outside a transaction. */
  readonly writes: true
  run(ctx: WriterProcedureContext, args: A): R | Promise<R>
}

/**
 * Runs a reader procedure at once, where it is called (the event loop's read connection, see
 * LoopReader), or declines (`undefined`): then a reader answers it (callProcedure).
 */
export interface LoopProcedures {
  run<A, R>(procedure: ReaderProcedure<A, R>, args: A): { answer: R } | undefined
}

const PROCEDURE = Symbol('reader procedure')

/** A procedure call on its way through Kysely to a worker connection (WorkerConnection sends it as one message). */
type ProcedureCall = CompiledQuery & { readonly [PROCEDURE]: { name: string; args: unknown } }

/** The procedure a query stands for, if it is a procedure call (see callProcedure). */
export function procedureOf(query: CompiledQuery): { name: string; args: unknown } | undefined {
  return (query as Partial<ProcedureCall>)[PROCEDURE]
}

/**
 * Runs a procedure on a connection of `db` (a reader, or the one a transaction holds; a writer
 * procedure only on the writer, inside a transaction): one message to its worker and one back.
 * Kysely hands the call to the connection as it would a query; on a connection that is no
 * worker's its text is no statement, and SQLite refuses it.
 */
export async function callProcedure<A, R>(db: Kysely<DB>, procedure: ReaderProcedure<A, R> | ThreadReaderProcedure<A, R> | WriterProcedure<A, R>, args: A): Promise<R> {
  const kind = 'writes' in procedure ? 'writer' : 'reader'
  const query: ProcedureCall = { ...CompiledQuery.raw(`-- the ${kind} procedure ${procedure.name}`), [PROCEDURE]: { name: procedure.name, args } }
  const { rows } = await db.executeQuery<R>(query)
  return rows[0] as R
}
