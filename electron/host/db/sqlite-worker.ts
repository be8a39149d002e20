/**
 * The thread that owns one SQLite connection (the writer or a reader): it opens the database
 * with the host's key and pragmas and runs the statements the main thread posts, one at a time,
 * in order. Nothing here may throw out of a message handler: every failure is a reply.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3-multiple-ciphers'
import { applyHostPragmas, unlockConnection } from './connection-setup'
import { procedureContext } from './procedure-context'
import type { ProcedureContext } from './procedures'
import { READER_PROCEDURES } from './reader-procedures'
import { StatementCache } from './statement-cache'
import type { CrossedError, WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol'

type SqliteHandle = InstanceType<typeof Database>

const port = parentPort
if (!port) throw new Error('sqlite-worker runs as a worker thread')
const setup = workerData as WorkerSetup

function crossed(err: unknown): CrossedError {
  if (err instanceof Error) {
    const code = 'code' in err && typeof err.code === 'string' ? err.code : null
    return { name: err.name, message: err.message, code }
  }
  return { name: 'Error', message: String(err), code: null }
}

const post = (reply: WorkerReply) => port.postMessage(reply)

let checkpoints: NodeJS.Timeout | undefined

/**
 * How long a RESTART checkpoint may wait for the writer's transaction and the readers still in
 * the WAL: meanwhile it holds the next write back, so it gives up soon and tries at a later beat.
 */
const RESTART_WAIT_MS = 10

/**
 * The checkpointer's beat: copies what the WAL holds into the database file, PASSIVE (it waits
 * for no reader and holds back no writer). The WAL starts again from its beginning only when the
 * writer begins a transaction while all of it is copied and no reader still needs it: with writes
 * every few ms (terminals, a long job's slices) that moment rarely comes and the WAL grows on,
 * and every read that misses its cache looks its pages up in a longer WAL index. So once it is
 * `restartFrames` long, a RESTART checkpoint (waiting at most RESTART_WAIT_MS) lets the next
 * write start it again. The writer never checkpoints while it serves.
 */
function startCheckpoints(sqlite: SqliteHandle, everyMs: number, restartFrames: number): void {
  // only the RESTART waits (PASSIVE never calls the busy handler)
  sqlite.pragma(`busy_timeout = ${RESTART_WAIT_MS}`)
  // the WAL's length at the last RESTART that went through: it stays so until the next write starts the WAL again
  let restarted = -1
  checkpoints = setInterval(() => {
    try {
      const [passive] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>
      if (!passive || passive.log < restartFrames || passive.log === restarted) return
      const [restart] = sqlite.pragma('wal_checkpoint(RESTART)') as Array<{ busy: number }>
      if (restart?.busy === 0) restarted = passive.log
    } catch (err) {
      post({ kind: 'checkpoint-failed', error: crossed(err) })
    }
  }, everyMs)
}

let sqlite: SqliteHandle
let statements: StatementCache
let procedures: ProcedureContext
try {
  sqlite = new Database(setup.file, { fileMustExist: true })
  unlockConnection(sqlite, setup.keyHex)
  // the first read proves the key (the start-up handle already checked the file is ours)
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  applyHostPragmas(sqlite, setup.role)
  statements = new StatementCache(sqlite)
  procedures = procedureContext(sqlite)
  if (setup.role === 'checkpointer') startCheckpoints(sqlite, setup.checkpointEveryMs ?? 1_000, setup.restartWalFrames ?? 4_096)
  post({ kind: 'ready' })
} catch (err) {
  post({ kind: 'open-failed', error: crossed(err) })
  port.close()
}

/** BLOBs arrive on the other side as Uint8Array: name where they are so they become Buffers again. */
function blobsOf(rows: Record<string, unknown>[]): Array<[number, string]> | undefined {
  let found: Array<[number, string]> | undefined
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    for (const key in row) if (row[key] instanceof Uint8Array) (found ??= []).push([i, key])
  }
  return found
}

const ENDS_TRANSACTION = /^\s*(commit|end|rollback)(\s+transaction)?\s*;?\s*$/i
const ROLLBACK = /^\s*rollback(\s+transaction)?\s*;?\s*$/i

/** A quiet statement failed: the call's next statement answers with this error instead of running. */
let held: CrossedError | null = null

function run(req: Extract<WorkerRequest, { kind: 'query' }>): WorkerReply {
  // as Kysely's own SqliteConnection: statements that return rows (SELECT, RETURNING, most PRAGMAs) are read whole
  const stmt = statements.prepare(req.sql)
  if (stmt.reader) {
    const rows = stmt.all(req.parameters) as Record<string, unknown>[]
    const blobs = blobsOf(rows)
    return blobs ? { kind: 'result', id: req.id, rows, blobs } : { kind: 'result', id: req.id, rows }
  }
  const { changes, lastInsertRowid } = stmt.run(req.parameters)
  return { kind: 'result', id: req.id, rows: [], changes, lastInsertRowid }
}

/**
 * One query request. A quiet one (a BEGIN that came with a statement, a read's COMMIT) answers nothing: if it fails,
 * its error is held and the next statement answers with it, unless that is the ROLLBACK the caller
 * sends after an error (then the transaction is simply over). A quiet COMMIT that fails rolls back:
 * the read it ended has been answered already, and the next caller starts clean.
 */
function query(req: Extract<WorkerRequest, { kind: 'query' }>): WorkerReply | null {
  const ending = ENDS_TRANSACTION.test(req.sql)
  // after a failure the caller rolls back whatever is left; with nothing left that is no error
  if (!held && !sqlite.inTransaction && ROLLBACK.test(req.sql)) return req.quiet ? null : { kind: 'result', id: req.id, rows: [] }
  if (held) {
    if (!ending) return req.quiet ? null : { kind: 'error', id: req.id, error: held }
    const error = held
    held = null
    if (sqlite.inTransaction) sqlite.prepare('ROLLBACK').run()
    if (req.quiet) return null
    return ROLLBACK.test(req.sql) ? { kind: 'result', id: req.id, rows: [] } : { kind: 'error', id: req.id, error }
  }
  try {
    const reply = run(req)
    return req.quiet ? null : reply
  } catch (err) {
    if (!req.quiet) return { kind: 'error', id: req.id, error: crossed(err) }
    if (!ending) held = crossed(err)
    else if (sqlite.inTransaction) sqlite.prepare('ROLLBACK').run()
    return null
  }
}

/** A procedure request: its answer is the one row of the reply. After a held failure it answers that failure, as a statement would. */
function procedure(req: Extract<WorkerRequest, { kind: 'procedure' }>): WorkerReply {
  if (held) return { kind: 'error', id: req.id, error: held }
  const proc = READER_PROCEDURES.get(req.name)
  if (!proc) return { kind: 'error', id: req.id, error: { name: 'Error', message: `no procedure ${req.name}`, code: null } }
  try {
    return { kind: 'result', id: req.id, rows: [proc.run(procedures, req.args as never) as Record<string, unknown>] }
  } catch (err) {
    return { kind: 'error', id: req.id, error: crossed(err) }
  }
}

function close(id: number): WorkerReply {
  clearInterval(checkpoints)
  let error: CrossedError | undefined
  try {
    if (setup.role === 'writer') {
      // planner statistics for what this connection ran, then the WAL folded into the file
      sqlite.pragma('optimize')
      sqlite.pragma('wal_checkpoint(TRUNCATE)')
    }
  } catch (err) {
    // a call cut off after the drain bound may still hold a transaction: the WAL is replayed at the next start
    error = crossed(err)
  }
  sqlite.close()
  return error ? { kind: 'closed', id, error } : { kind: 'closed', id }
}

port.on('message', (req: WorkerRequest) => {
  try {
    if (req.kind === 'close') {
      post(close(req.id))
      port.close()
      return
    }
    // a BEGIN that travelled with this statement runs first, as if it had come just before it
    if (req.begin !== undefined) query({ kind: 'query', id: 0, sql: req.begin, parameters: [], quiet: true })
    const reply = req.kind === 'procedure' ? procedure(req) : query(req)
    if (reply) post(reply)
  } catch (err) {
    if (req.kind !== 'query' || !req.quiet) post({ kind: 'error', id: req.id, error: crossed(err) })
  }
})
