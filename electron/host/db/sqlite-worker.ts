/**
 * The thread that owns one SQLite connection (the writer or a reader): it opens the database
 * with the host's key and pragmas and runs the statements the main thread posts, one at a time,
 * in order. Nothing here may throw out of a message handler: every failure is a reply.
 */
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3-multiple-ciphers'
import { applyHostPragmas, unlockConnection } from './connection-setup'
import { procedureContext } from './procedure-context'
import type { Kysely } from 'kysely'
import type { ThreadReaderProcedure, WriterProcedure, WriterProcedureContext } from './procedures'
import type { DB } from './schema'
import { READER_PROCEDURES } from './reader-procedures'
import { StatementCache } from './statement-cache'
import { restartLookDelay, walFrames, walSizeLimit } from './wal-index'
import type { CrossedError, WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol'

type SqliteHandle = InstanceType<typeof Database>

if (!parentPort) throw new Error('sqlite-worker runs as a worker thread')
const port = parentPort
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
 * The checkpointer's beat: copies what the WAL holds into the database file, PASSIVE (it waits
 * for no reader and holds back no writer; the WAL restarts from its beginning once all of it is
 * copied and no reader still needs it). The writer never checkpoints while it serves.
 */
function startCheckpoints(sqlite: SqliteHandle, everyMs: number): void {
  checkpoints = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)')
    } catch (err) {
      post({ kind: 'checkpoint-failed', error: crossed(err) })
    }
  }, everyMs)
}

/** How often the writer looks at the WAL's length after a commit (a read of its index), at most. */
const WAL_LOOK_EVERY_MS = 1_000

/** How long the writer's RESTART waits for the readers still reading from the WAL (a read takes a few ms). */
const RESTART_WAIT_MS = 50

let walLookedAt = 0
/** how long the writer waits from one look to the next: WAL_LOOK_EVERY_MS, or more after a slow RESTART (restartLookDelay) */
let walLookDelay = WAL_LOOK_EVERY_MS
/** the database's page size (a WAL frame holds one page), read when the writer opens. */
let pageSize = 4096

/**
 * The writer, after a commit, now and then: a WAL `restartFrames` long or longer is made to start
 * again from its beginning. SQLite starts it again only when a write begins while all of it is
 * copied into the file and no reader still reads from it; under steady writes (terminals, a long
 * job's slices) that moment never came and the WAL grew by about 25,000 frames a minute (100 MB),
 * every reader's page lookups walking a longer index. A RESTART checkpoint here, between two
 * transactions, copies the little the checkpointer has not, waits for the readers in the WAL (at
 * most RESTART_WAIT_MS: it tries again a second later if one is slower) and lets the next write
 * start the WAL again. It holds the next write back for that long, once in many seconds. Under a
 * bulk write (an import's slices, a commit a second) on a busy disk the RESTART's copy and syncs
 * took 100-700 ms each, a tenth of the import's writer time: the next look then waits in proportion
 * (restartLookDelay), so the writer's share in RESTARTs stays about a tenth at most.
 */
function restartWalIfLong(restartFrames: number): void {
  const now = Date.now()
  if (now - walLookedAt < walLookDelay) return
  walLookedAt = now
  walLookDelay = WAL_LOOK_EVERY_MS
  if (walFrames(setup.file, pageSize) < restartFrames) return
  const wait = sqlite.pragma('busy_timeout', { simple: true }) as number
  try {
    sqlite.pragma(`busy_timeout = ${RESTART_WAIT_MS}`)
    sqlite.pragma('wal_checkpoint(RESTART)')
  } catch {
    // not done this time (a reader still in the WAL, or a fault the next statement meets): a second later again
  } finally {
    sqlite.pragma(`busy_timeout = ${wait}`)
    walLookDelay = restartLookDelay(Date.now() - now, WAL_LOOK_EVERY_MS)
  }
}

let sqlite: SqliteHandle
let statements: StatementCache
let procedures: ReturnType<typeof procedureContext>
/** the writer's: what its writer procedures run with (null on a reader, which runs none; set when they load). */
let writerProcedures: WriterProcedureContext | null = null
/** Kysely over this connection for the thread reader procedures (on the writer: the writer procedures' own); set when they load. */
let threadDb: Kysely<DB>
/** the domains' procedure lists once loading began (see domainProcedures) */
let domainLists: Promise<DomainProcedures> | null = null
/** the statements the running writer procedure ran that may have written (told to the main thread with its answer). */
const wrote = new Set<string>()
try {
  sqlite = new Database(setup.file, { fileMustExist: true })
  unlockConnection(sqlite, setup.keyHex)
  // the first read proves the key (the start-up handle already checked the file is ours)
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  applyHostPragmas(sqlite, setup.role)
  if (setup.restartWalFrames !== undefined) {
    pageSize = sqlite.pragma('page_size', { simple: true }) as number
    // a WAL that starts again is trimmed below the bound, so its size says how far it reaches (wal-index.ts)
    sqlite.pragma(`journal_size_limit = ${walSizeLimit(setup.restartWalFrames, pageSize)}`)
  }
  statements = new StatementCache(sqlite)
  procedures = procedureContext(sqlite)
  if (setup.role === 'checkpointer') startCheckpoints(sqlite, setup.checkpointEveryMs ?? 1_000)
  post({ kind: 'ready' })
  if (setup.warmProcedures) void domainProcedures().catch(() => {})
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

/**
 * A procedure request: its answer is the one row of the reply. After a held failure it answers that
 * failure, as a statement would. A thread reader procedure, and a writer procedure (only the writer
 * runs those, inside a transaction), run Kysely code: their answer is a promise, and the messages
 * that come meanwhile wait for it (see `handle`).
 */
function procedure(req: Extract<WorkerRequest, { kind: 'procedure' }>): WorkerReply | Promise<WorkerReply> {
  if (held) return { kind: 'error', id: req.id, error: held }
  const proc = READER_PROCEDURES.get(req.name)
  if (proc) {
    try {
      return { kind: 'result', id: req.id, rows: [proc.run(procedures, req.args as never) as Record<string, unknown>] }
    } catch (err) {
      return { kind: 'error', id: req.id, error: crossed(err) }
    }
  }
  return domainProcedures().then(
    (lists) => domainProcedure(req, lists),
    (err: unknown): WorkerReply => ({ kind: 'error', id: req.id, error: crossed(err) }),
  )
}

/** The procedures over the domains' Kysely code, by name: the thread reader and the writer procedures. */
interface DomainProcedures {
  reading: ReadonlyMap<string, ThreadReaderProcedure<never, unknown>>
  writing: ReadonlyMap<string, WriterProcedure<never, unknown>>
}

/**
 * Loads the two lists once, at the first call of one of them (or at once when the host warms the
 * writer and readers: WorkerSetup.warmProcedures). Their domain code brings Kysely and the phone
 * and pinyin libraries: a few hundred ms of CPU a thread, which the checkpointer, the backups'
 * connections and a test's short-lived hosts never need to pay.
 */
function domainProcedures(): Promise<DomainProcedures> {
  domainLists ??= Promise.all([import('./thread-kysely'), import('./thread-reader-procedures'), import('./writer-procedures')]).then(([k, r, w]) => {
    // a reader is query_only: whatever it is told, it writes nothing
    threadDb = k.threadKysely(statements, (sql) => wrote.add(sql))
    if (setup.role === 'writer') {
      const base = procedures
      writerProcedures = {
        ...base,
        exec: (sql) => {
          wrote.add(sql)
          base.exec(sql)
        },
        db: threadDb,
      }
    }
    return { reading: r.THREAD_READER_PROCEDURES, writing: w.WRITER_PROCEDURES }
  })
  return domainLists
}

function domainProcedure(req: Extract<WorkerRequest, { kind: 'procedure' }>, lists: DomainProcedures): WorkerReply | Promise<WorkerReply> {
  const reading = lists.reading.get(req.name)
  if (reading) return procedures.snapshotAsync(() => reading.run(threadDb, req.args as never)).then(answered(req.id), failed(req.id))
  const writing = lists.writing.get(req.name)
  if (!writing) return { kind: 'error', id: req.id, error: { name: 'Error', message: `no procedure ${req.name}`, code: null } }
  if (!writerProcedures) return { kind: 'error', id: req.id, error: { name: 'Error', message: `the procedure ${req.name} writes: only the writer runs it`, code: null } }
  if (!sqlite.inTransaction) return { kind: 'error', id: req.id, error: { name: 'Error', message: `the procedure ${req.name} writes: it runs inside its caller's transaction`, code: null } }
  const ctx = writerProcedures
  wrote.clear()
  return Promise.resolve()
    .then(() => writing.run(ctx, req.args as never))
    .then(answered(req.id), failed(req.id))
}

/** The statements an asynchronous procedure ran that may have written, told once (and forgotten). */
function told(): string[] | undefined {
  if (wrote.size === 0) return undefined
  const list = [...wrote]
  wrote.clear()
  return list
}

const answered =
  (id: number) =>
  (answer: unknown): WorkerReply => {
    const w = told()
    return w ? { kind: 'result', id, rows: [answer as Record<string, unknown>], wrote: w } : { kind: 'result', id, rows: [answer as Record<string, unknown>] }
  }

const failed =
  (id: number) =>
  (err: unknown): WorkerReply => {
    const w = told()
    return w ? { kind: 'error', id, error: crossed(err), wrote: w } : { kind: 'error', id, error: crossed(err) }
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

/** a writer procedure still running (its statements' awaits): the messages that come meanwhile wait in `waiting`, in order. */
let busy = false
const waiting: WorkerRequest[] = []

/** One request, in the order they came; true when it answers later (an asynchronous writer procedure). */
function handle(req: WorkerRequest): boolean {
  try {
    if (req.kind === 'close') {
      post(close(req.id))
      port.close()
      return false
    }
    // a BEGIN that travelled with this statement runs first, as if it had come just before it
    if (req.begin !== undefined) query({ kind: 'query', id: 0, sql: req.begin, parameters: [], quiet: true })
    const reply = req.kind === 'procedure' ? procedure(req) : query(req)
    if (reply instanceof Promise) {
      void reply.then(post).finally(() => {
        busy = false
        drain()
      })
      return true
    }
    if (reply) post(reply)
    // after the caller has its answer: a commit (or rollback) of the writer, now and then
    if (setup.restartWalFrames !== undefined && req.kind === 'query' && !sqlite.inTransaction && ENDS_TRANSACTION.test(req.sql)) restartWalIfLong(setup.restartWalFrames)
  } catch (err) {
    if (req.kind !== 'query' || !req.quiet) post({ kind: 'error', id: req.id, error: crossed(err) })
  }
  return false
}

function drain(): void {
  while (!busy && waiting.length > 0) busy = handle(waiting.shift()!)
}

port.on('message', (req: WorkerRequest) => {
  if (busy) waiting.push(req)
  else busy = handle(req)
})
