import { Worker } from 'node:worker_threads'
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'
import type { ThreadScript } from '../thread-script'
import { DbPoolError } from './pool-error'
import { procedureOf } from './procedures'
import type { TableWrites } from './sign-in-writes'
import type { CrossedError, WorkerReply, WorkerRequest, WorkerSetup } from './worker-protocol'
import type { WriterTrace } from './writer-trace'

/** A worker's script: a file, or (from the sources) code that loads one. */
export type WorkerScript = ThreadScript

interface Pending {
  resolve(reply: WorkerReply): void
  reject(err: Error): void
}

/** An SQLite error as it crossed back from the worker: name, message and `code` as SQLite gave them. */
export function errorFromWorker(e: CrossedError): Error {
  const err = new Error(e.message) as Error & { code?: string }
  err.name = e.name
  if (e.code !== null) err.code = e.code
  return err
}

/**
 * One SQLite connection living in a worker thread, as a Kysely connection: `executeQuery` posts
 * the SQL and its parameters and resolves with the rows. Used by one caller at a time (the pool
 * hands it out); replies come in the order of the requests. If the worker dies, every call it
 * held fails with DB_WORKER_EXITED, and so does every later call: it never hangs.
 */
export class WorkerConnection implements DatabaseConnection {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private gone: DbPoolError | null = null
  /** a BEGIN waiting to go with the next statement (see beginWith). */
  private begin: string | undefined = undefined
  private readonly exitListeners: Array<(code: number) => void> = []
  /** the checkpointer's: told when a checkpoint failed (see onCheckpointFailed). */
  private checkpointFailed: ((err: Error) => void) | null = null
  /** the writer's: count its changes to staff and sessions (SignInWrites) and to what boards show (BoardWrites). */
  writeCounts: readonly TableWrites[] = []
  /** KEYUAN_DB_TRACE's, on the writer: counts the messages sent to the thread. */
  trace: WriterTrace | null = null
  /** messages posted to the thread so far (statements, procedures, quiet ones included): what a call costs in round trips. */
  private posted = 0

  private constructor(
    readonly worker: Worker,
    readonly role: WorkerSetup['role'],
  ) {
    worker.on('message', (reply: WorkerReply) => this.onReply(reply))
    // an uncaught error in the worker ends it; 'exit' follows and fails what it held
    worker.on('error', () => {})
    // a reply that cannot be read cannot be matched to its call: the connection is not to be trusted
    worker.on('messageerror', () => this.retire(new DbPoolError('DB_WORKER_EXITED', `a reply of the ${role} connection could not be read`)))
    worker.once('exit', (code) => {
      this.gone ??= new DbPoolError('DB_WORKER_EXITED', `the ${role} connection's worker exited (code ${code})`)
      for (const p of this.pending.values()) p.reject(this.gone)
      this.pending.clear()
      for (const w of this.writeCounts) w.lost()
      for (const fn of this.exitListeners) fn(code)
    })
  }

  /** Starts a worker on `script` and resolves once its connection is open (rejects with the open error). */
  static open(script: WorkerScript, setup: WorkerSetup): Promise<WorkerConnection> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(script.script, { workerData: setup, eval: script.eval })
      const conn = new WorkerConnection(worker, setup.role)
      const first = (reply: WorkerReply) => {
        if (reply.kind === 'ready') resolve(conn)
        else if (reply.kind === 'open-failed') reject(errorFromWorker(reply.error))
      }
      worker.once('message', first)
      worker.once('error', reject)
      conn.onExit((code) => reject(new DbPoolError('DB_WORKER_EXITED', `the ${setup.role} worker exited while opening (code ${code})`)))
    })
  }

  /** false once the worker has exited (or is closing). */
  get alive(): boolean {
    return this.gone === null
  }

  /**
   * Sends a statement whose success needs no answer (a read's COMMIT; a held-back BEGIN goes with
   * it): if it fails, the connection's next statement fails with its error (see the worker).
   */
  send(compiledQuery: CompiledQuery): void {
    if (this.gone) return
    this.posted++
    this.trace?.sent(this)
    this.worker.postMessage({ kind: 'query', id: 0, sql: compiledQuery.sql, parameters: compiledQuery.parameters, quiet: true, begin: this.takeBegin() } satisfies WorkerRequest)
  }

  /** Ends a read transaction without waiting for it; nothing to send when no statement went (its BEGIN is still held back). */
  endRead(end: CompiledQuery): void {
    if (this.begin !== undefined) {
      this.begin = undefined
      return
    }
    this.send(end)
  }

  /**
   * Holds a transaction's BEGIN back so that it travels with the next statement (whatever it is):
   * the worker runs it first, quietly, as `send` would have. Saves a message, and a wake-up of the
   * worker, per transaction.
   */
  beginWith(compiledQuery: CompiledQuery): void {
    if (this.gone) return
    this.begin = compiledQuery.sql
    for (const w of this.writeCounts) w.began()
  }

  private takeBegin(): string | undefined {
    const b = this.begin
    this.begin = undefined
    return b
  }

  /** messages posted to the thread so far (tests bound what one call costs with it). */
  get messages(): number {
    return this.posted
  }

  /** statements posted and not yet answered. */
  get inFlight(): number {
    return this.pending.size
  }

  onExit(fn: (code: number) => void): void {
    this.exitListeners.push(fn)
  }

  /** The checkpointer tells of each checkpoint that failed (it goes on trying at its beat). */
  onCheckpointFailed(fn: (err: Error) => void): void {
    this.checkpointFailed = fn
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    let reply: WorkerReply
    const procedure = procedureOf(compiledQuery)
    if (procedure) {
      // what a writer procedure wrote is counted as its reply comes (onReply), before the caller hears of it
      reply = await this.request((id) => ({ kind: 'procedure', id, name: procedure.name, args: procedure.args, begin: this.takeBegin() }))
      if (reply.kind !== 'result') throw new DbPoolError('DB_WORKER_EXITED', `unexpected reply ${reply.kind}`)
      return { rows: reply.rows as R[] }
    }
    try {
      reply = await this.request((id) => ({ kind: 'query', id, sql: compiledQuery.sql, parameters: compiledQuery.parameters, begin: this.takeBegin() }))
    } finally {
      // counted before the caller hears of it: a session or board changed here is never served from memory after
      for (const w of this.writeCounts) w.ran(compiledQuery.sql)
    }
    if (reply.kind !== 'result') throw new DbPoolError('DB_WORKER_EXITED', `unexpected reply ${reply.kind}`)
    const rows = reply.rows
    for (const [i, key] of reply.blobs ?? []) {
      const u8 = rows[i]![key] as Uint8Array
      rows[i]![key] = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)
    }
    if (reply.changes === undefined) return { rows: rows as R[] }
    return {
      rows: rows as R[],
      numAffectedRows: BigInt(reply.changes),
      insertId: reply.lastInsertRowid === undefined ? undefined : BigInt(reply.lastInsertRowid),
    }
  }

  /** The whole result crosses the thread boundary at once; it is handed on row by row, as Kysely's SQLite driver does. */
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery)
    for (const row of rows) yield { rows: [row] }
  }

  /**
   * Closes the connection (the writer checkpoints the WAL first) and ends the worker; resolves
   * with the checkpoint's error, if any. A worker still busy after `timeoutMs` (a statement that
   * does not end) is left to the process's exit: ending a thread inside a statement would abort
   * the whole process (better-sqlite3 cannot throw into a terminating isolate).
   */
  async close(timeoutMs: number): Promise<Error | undefined> {
    if (!this.alive) return undefined
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs)
    })
    const reply = await Promise.race([this.request((id) => ({ kind: 'close', id })).catch((err: Error) => err), timeout])
    clearTimeout(timer)
    this.gone ??= new DbPoolError('DB_POOL_CLOSED', 'the database is closed')
    if (reply === 'timeout') {
      this.worker.unref()
      return new Error(`the ${this.role} connection did not close within ${timeoutMs} ms`)
    }
    // it has closed its connection and answered: nothing of it is running now
    await this.worker.terminate()
    if (reply instanceof Error) return reply
    return reply.kind === 'closed' && reply.error ? errorFromWorker(reply.error) : undefined
  }

  /**
   * Takes the connection out of service: what it held fails now, and the worker closes its
   * connection once the statement it may be running ends (then it exits and is replaced).
   */
  private retire(why: DbPoolError): void {
    if (this.gone) return
    this.gone = why
    for (const p of this.pending.values()) p.reject(why)
    this.pending.clear()
    this.worker.postMessage({ kind: 'close', id: 0 } satisfies WorkerRequest)
  }

  private request(make: (id: number) => WorkerRequest): Promise<WorkerReply> {
    if (this.gone) return Promise.reject(this.gone)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.posted++
      this.trace?.sent(this)
      this.worker.postMessage(make(id))
    })
  }

  private onReply(reply: WorkerReply): void {
    if (reply.kind === 'checkpoint-failed') this.checkpointFailed?.(errorFromWorker(reply.error))
    if (!('id' in reply)) return
    // a writer procedure's statements that may have written: counted as a statement's are, whatever its outcome
    if ((reply.kind === 'result' || reply.kind === 'error') && reply.wrote) for (const w of this.writeCounts) for (const sql of reply.wrote) w.ran(sql)
    const p = this.pending.get(reply.id)
    if (!p) return
    this.pending.delete(reply.id)
    if (reply.kind === 'error') p.reject(errorFromWorker(reply.error))
    else p.resolve(reply)
  }
}
