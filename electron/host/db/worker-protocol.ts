import type { ConnectionRole } from './connection-setup'

/** What a SQLite worker is started with (its `workerData`). */
export interface WorkerSetup {
  file: string
  keyHex: string
  role: Exclude<ConnectionRole, 'main'>
  /** the checkpointer's: how often it copies the WAL into the database file. */
  checkpointEveryMs?: number
  /** the writer's: a WAL this many frames long or longer is made to start again after a commit (see sqlite-worker). */
  restartWalFrames?: number
  /**
   * the writer's and the readers': load the procedures over the domains' code at once, not at their
   * first call (the host that serves does; the test hosts, started by the hundred, do not).
   */
  warmProcedures?: boolean
}

/** The main thread asks: run one statement, or close the connection (the writer checkpoints first). */
export type WorkerRequest =
  | {
      kind: 'query'
      id: number
      sql: string
      parameters: readonly unknown[]
      /**
       * answer only if it fails, and then through the next statement: a read's COMMIT, a BEGIN
       * (see `begin`). Saves a round trip each; see the worker.
       */
      quiet?: boolean
      /**
       * a transaction's BEGIN held back to travel with its first statement: run first, quietly,
       * exactly as if it had been sent just before (one message instead of two).
       */
      begin?: string
    }
  | {
      /**
       * run a procedure of db/reader-procedures.ts (or, on the writer, of db/writer-procedures.ts)
       * whole in the worker: one message for all its statements.
       */
      kind: 'procedure'
      id: number
      name: string
      args: unknown
      /** as a query's: a transaction's BEGIN held back to travel with it. */
      begin?: string
    }
  | { kind: 'close'; id: number }

/** An error as it crosses the thread boundary: SQLite's `code` kept, so faults are told apart. */
export interface CrossedError {
  name: string
  message: string
  code: string | null
}

/** The worker answers: ready or not after opening, then one reply per request, in order. */
export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'open-failed'; error: CrossedError }
  | {
      kind: 'result'
      id: number
      rows: Record<string, unknown>[]
      /** set for statements that return no rows (INSERT, UPDATE, DELETE, BEGIN …). */
      changes?: number
      lastInsertRowid?: number | bigint
      /** [row, column] of every BLOB value: they arrive as Uint8Array and become Buffers again. */
      blobs?: Array<[number, string]>
      /** a writer procedure's: the text of each statement it ran that may have written (for the writer's TableWrites). */
      wrote?: string[]
    }
  | { kind: 'error'; id: number; error: CrossedError; wrote?: string[] }
  | { kind: 'closed'; id: number; error?: CrossedError }
  /** the checkpointer could not copy the WAL (it tries again at its next beat). */
  | { kind: 'checkpoint-failed'; error: CrossedError }
