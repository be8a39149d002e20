import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Kysely } from 'kysely'
import type { DatabaseConnections } from '@shared/contract/health'
import { ConnectionSlots } from './connection-slots'
import { LoopReader } from './loop-reader'
import { DbPoolError } from './pool-error'
import type { DB } from './schema'
import { BoardWrites } from './board-writes'
import { SignInWrites } from './sign-in-writes'
import { WorkerConnection, type WorkerScript } from './worker-connection'
import { WorkerDialect } from './worker-dialect'
import { WriterTrace } from './writer-trace'

/**
 * Readers when nothing else is said: this host PC has two cores, and one reader per core keeps
 * both busy with reads while the event loop and the writer mostly wait on them; more readers
 * than cores only queue inside the OS instead of in our queue (and each holds a 64 MB page cache).
 */
export const DEFAULT_READERS = 2

/** The most readers KEYUAN_DB_READERS may ask for (each is a thread with its own page cache). */
const MAX_READERS = 16

/** KEYUAN_DB_READERS, when set: how many readers this host runs (1 to 16). */
export function readersFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.KEYUAN_DB_READERS
  if (raw === undefined || raw === '') return DEFAULT_READERS
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > MAX_READERS) throw new RangeError(`KEYUAN_DB_READERS must be a whole number from 1 to ${MAX_READERS}, not "${raw}"`)
  return n
}

/**
 * Calls that may wait for a connection on one side before the next is answered DB_BUSY. The LAN
 * server bounds sockets and calls in flight per socket; this bounds what all of them (and the
 * host's own jobs) may queue here, far above 30 terminals' worth, so only a runaway fills it.
 */
export const MAX_WAITING_CALLS = 1_000

/** A worker that could not be started again is retried after this long (a full disk may clear). */
const RESPAWN_DELAY_MS = 1_000

/** How often the checkpointer copies the WAL into the database file. */
export const CHECKPOINT_EVERY_MS = 1_000

/**
 * A WAL this many frames long (of 4 KB pages: 16 MB) is made to start again by the writer after a
 * commit: a 30-terminal load writes about that much in 10 to 20 s (docs/performance.md, 2026-12-07).
 */
export const RESTART_WAL_FRAMES = 4_096

/** A failing checkpoint is logged once, then once in this many beats (a full disk fails every beat). */
const CHECKPOINT_LOG_EVERY = 60

/** How long closing waits for a worker to checkpoint and close (after that it is left to the process's exit). */
const CLOSE_TIMEOUT_MS = 30_000

export interface WorkerPoolOptions {
  file: string
  keyHex: string
  /** reader connections (default DEFAULT_READERS). */
  readers?: number
  /** calls that may wait for a connection on each side (default MAX_WAITING_CALLS). */
  maxWaiting?: number
  /** how often the checkpointer runs (default CHECKPOINT_EVERY_MS). */
  checkpointEveryMs?: number
  /** the WAL's length in frames at which the writer makes it start again (default RESTART_WAL_FRAMES). */
  restartWalFrames?: number
  /** the writer and readers load their domain procedures at once (a serving host), not at first use (see WorkerSetup) */
  warmProcedures?: boolean
  log?: (msg: string, err?: unknown) => void
}

/**
 * How to start the worker: built, the script beside the bundled host (out/main/sqlite-worker.js);
 * from the sources, the bundle of them KEYUAN_SQLITE_WORKER_SCRIPT names (the test run makes one,
 * tests/worker-bundle.ts), else a line that registers tsx in the new thread and loads the
 * TypeScript file (a worker does not inherit the parent's loader; compiling it costs each thread
 * most of a second).
 */
export function workerScript(env: NodeJS.ProcessEnv = process.env): WorkerScript {
  const built = path.join(__dirname, 'sqlite-worker.js')
  if (fs.existsSync(built)) return { script: built, eval: false }
  const bundled = env.KEYUAN_SQLITE_WORKER_SCRIPT
  if (bundled && fs.existsSync(bundled)) return { script: bundled, eval: false }
  const tsx = createRequire(__filename).resolve('tsx/cjs/api')
  const source = path.join(__dirname, 'sqlite-worker.ts')
  return { script: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`, eval: true }
}

/**
 * The host's SQLite connections while it serves: one writer and a few readers, each in its own
 * worker thread with its own connection (same key and pragmas; readers `query_only`), so a read
 * never waits for a write (WAL) and no query or write runs on the event loop; the one exception is
 * `loop`, a bounded read-only connection there for clients.search (see LoopReader). `writer` and
 * `reader` are Kysely instances over each side. A worker that dies is replaced.
 */
export class SqliteWorkerPool {
  readonly writer: Kysely<DB>
  /**
   * The same writer for the slices of long jobs (JobRunner, the scheduler's pass): it is handed
   * to them only when no call of a person waits for it (see ConnectionSlots).
   */
  readonly jobWriter: Kysely<DB>
  readonly reader: Kysely<DB>
  /** a read-only connection on the event loop for the hottest reader procedures (see LoopReader); closed while the file is swapped. */
  readonly loop = new LoopReader()
  private readonly writerSlots: ConnectionSlots
  private readonly readerSlots: ConnectionSlots
  private closing = false
  private readonly signInWrites = new SignInWrites()
  private readonly boardWrites = new BoardWrites()
  private readonly trace: WriterTrace | null
  /** copies the WAL into the file beside the writer (see sqlite-worker's checkpoints); null while (re)starting. */
  private checkpointer: WorkerConnection | null = null
  private checkpointFailures = 0
  /** workers that died and were started again since the host started (the health page shows it) */
  private restarts = 0
  /** connections closed by `reopen`: their exit is no death to make good. */
  private readonly retired = new Set<WorkerConnection>()

  /** the key connections open with (setKey changes it) */
  private keyHex: string

  private constructor(private readonly opts: WorkerPoolOptions) {
    this.keyHex = opts.keyHex
    this.writerSlots = new ConnectionSlots('writer', opts.maxWaiting ?? MAX_WAITING_CALLS)
    this.readerSlots = new ConnectionSlots('reader', opts.maxWaiting ?? MAX_WAITING_CALLS)
    this.trace = WriterTrace.fromEnv(process.env, opts.file)
    this.writerSlots.trace = this.trace
    this.writer = new Kysely<DB>({ dialect: new WorkerDialect(this.writerSlots, 'writer') })
    this.jobWriter = new Kysely<DB>({ dialect: new WorkerDialect(this.writerSlots, 'writer', 'job') })
    this.reader = new Kysely<DB>({ dialect: new WorkerDialect(this.readerSlots, 'reader') })
  }

  /** Starts the writer and the readers on an open, migrated database; rejects (nothing left running) if one cannot open. */
  static async open(opts: WorkerPoolOptions): Promise<SqliteWorkerPool> {
    const pool = new SqliteWorkerPool(opts)
    const readers = opts.readers ?? DEFAULT_READERS
    if (!Number.isInteger(readers) || readers < 1) throw new RangeError(`readers must be a whole number >= 1, not ${readers}`)
    const started = await Promise.allSettled([pool.start('writer'), pool.startCheckpointer(), ...Array.from({ length: readers }, () => pool.start('reader'))])
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected')
    try {
      if (failed) throw failed.reason
      pool.loop.open(opts.file, opts.keyHex)
    } catch (err) {
      await pool.close()
      throw err
    }
    return pool
  }

  /** Changes the writer has made to staff and sessions so far (see SignInWrites): a session read before the last may be out of date. */
  get signInGeneration(): number {
    return this.signInWrites.generation
  }

  /** People's calls that have had to wait for the writer so far (ConnectionSlots.callsWaited). */
  get writerCallsWaited(): number {
    return this.writerSlots.callsWaited
  }

  /** Changes the writer has made to what boards show so far (see BoardWrites): a board read before the last may be out of date. */
  get boardGeneration(): number {
    return this.boardWrites.generation
  }

  /**
   * The connections as the health page shows them: the writer and the readers (open, in use,
   * starting, calls waiting), the checkpointer, and how many workers died and were replaced since
   * the host started.
   */
  status(): DatabaseConnections {
    return {
      writer: this.writerSlots.status(),
      readers: { ...this.readerSlots.status(), wanted: this.opts.readers ?? DEFAULT_READERS },
      checkpointer: this.checkpointer !== null,
      restarts: this.restarts,
    }
  }

  /** The open connections of a side (tests end a worker through them). */
  connections(side: 'writer' | 'reader' | 'checkpointer'): readonly WorkerConnection[] {
    if (side === 'checkpointer') return this.checkpointer ? [this.checkpointer] : []
    return (side === 'writer' ? this.writerSlots : this.readerSlots).connections()
  }

  /**
   * Waits (at most `drainMs`) for the calls holding or awaiting a connection, then closes the
   * readers and last the writer, which checkpoints the WAL into the file (TRUNCATE).
   */
  async close(drainMs = 10_000): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.trace?.stop()
    const drained = Promise.all([this.writerSlots.whenIdle(), this.readerSlots.whenIdle()])
    let timer: NodeJS.Timeout | undefined
    const bound = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), drainMs)
    })
    if ((await Promise.race([drained, bound])) === 'timeout') this.opts.log?.(`closing the database: calls still hold a connection after ${drainMs} ms`)
    clearTimeout(timer)
    this.loop.close()
    const readers = this.readerSlots.close()
    const writers = this.writerSlots.close()
    const checkpointer = this.checkpointer
    this.checkpointer = null
    // the writer's own last checkpoint (TRUNCATE) folds the WAL: nothing else may hold it then
    await Promise.all([...readers, ...(checkpointer ? [checkpointer] : [])].map((c) => this.closeOne(c)))
    await Promise.all(writers.map((c) => this.closeOne(c)))
  }

  /**
   * Closes every connection once none is in use (calls meanwhile wait for one, bounded as ever),
   * runs `swap` (a restore replaces the database file), then opens them all again on the file now
   * there and lets the waiting calls through. A failed swap rejects after the reopening.
   */
  async reopen(swap: () => Promise<void>): Promise<void> {
    if (this.closing) throw new DbPoolError('DB_POOL_CLOSED', 'the database is closed')
    const [writers, readers] = await Promise.all([this.writerSlots.hold(), this.readerSlots.hold()])
    // synchronous, so no call is inside it: from here calls go to the readers, which wait
    this.loop.close()
    const checkpointer = this.checkpointer
    this.checkpointer = null
    const closing = [...readers, ...writers, ...(checkpointer ? [checkpointer] : [])]
    for (const c of closing) this.retired.add(c)
    try {
      // as in close: the writer's own last checkpoint (TRUNCATE) folds the WAL, so it closes last
      await Promise.all([...readers, ...(checkpointer ? [checkpointer] : [])].map((c) => this.closeOne(c)))
      await Promise.all(writers.map((c) => this.closeOne(c)))
      await swap()
    } finally {
      // sessions kept in memory were read from the file that was there: none may be served now
      this.signInWrites.replaced()
      this.boardWrites.replaced()
      const readerCount = this.opts.readers ?? DEFAULT_READERS
      const started = await Promise.allSettled([this.start('writer'), this.startCheckpointer(), ...Array.from({ length: readerCount }, () => this.start('reader'))])
      started.forEach((s, i) => {
        if (s.status === 'fulfilled') return
        this.opts.log?.('could not open a connection again after the database file was swapped', s.reason)
        if (i === 1) this.restartCheckpointer()
        else this.restart(i === 0 ? 'writer' : 'reader')
      })
      try {
        this.loop.open(this.opts.file, this.keyHex)
      } catch (err) {
        // the readers answer what it would have (only slower)
        this.opts.log?.('could not open the event loop\'s read connection again after the database file was swapped', err)
      }
      this.writerSlots.resume()
      this.readerSlots.resume()
    }
  }

  /** The key the connections open with from now on (a rekey, inside `reopen`'s swap, before they open again). */
  setKey(keyHex: string): void {
    this.keyHex = keyHex
  }

  private async closeOne(c: WorkerConnection): Promise<void> {
    const err = await c.close(CLOSE_TIMEOUT_MS)
    if (err) this.opts.log?.(`could not close the ${c.role} connection cleanly`, err)
  }

  /** Starts one worker of a side; once open it serves, and if it dies it is replaced. */
  private async start(role: 'writer' | 'reader'): Promise<void> {
    const slots = role === 'writer' ? this.writerSlots : this.readerSlots
    slots.starting(1)
    let conn: WorkerConnection
    try {
      conn = await WorkerConnection.open(workerScript(), {
        file: this.opts.file,
        keyHex: this.keyHex,
        role,
        ...(role === 'writer' ? { restartWalFrames: this.opts.restartWalFrames ?? RESTART_WAL_FRAMES } : {}),
        ...(this.opts.warmProcedures ? { warmProcedures: true } : {}),
      })
    } catch (err) {
      slots.starting(-1)
      throw err
    }
    if (role === 'writer') {
      conn.writeCounts = [this.signInWrites, this.boardWrites]
      conn.trace = this.trace
    }
    conn.onExit((code) => {
      if (!this.closing && !this.retired.delete(conn)) {
        this.opts.log?.(`the ${role} connection's worker exited (code ${code}); starting another`)
        this.restarts++
        // counted as starting before the dead one leaves, so calls waiting for this side wait for it
        this.restart(role)
      }
      slots.remove(conn)
    })
    if (this.closing) {
      slots.starting(-1)
      await conn.close(CLOSE_TIMEOUT_MS)
      return
    }
    // joins before it stops counting as starting: calls waiting for this side are handed it, not failed
    slots.add(conn)
    slots.starting(-1)
  }

  /**
   * Starts the checkpointer: the writer never checkpoints while it serves (a commit would pay for
   * copying the whole WAL, fsync included), so this thread does it on its own connection every
   * CHECKPOINT_EVERY_MS. If it dies it is started again; meanwhile the WAL only grows.
   */
  private async startCheckpointer(): Promise<void> {
    const conn = await WorkerConnection.open(workerScript(), {
      file: this.opts.file,
      keyHex: this.keyHex,
      role: 'checkpointer',
      checkpointEveryMs: this.opts.checkpointEveryMs ?? CHECKPOINT_EVERY_MS,
    })
    conn.onCheckpointFailed((err) => {
      if (this.checkpointFailures++ % CHECKPOINT_LOG_EVERY === 0) this.opts.log?.('could not copy the WAL into the database file (the checkpointer tries again)', err)
    })
    conn.onExit((code) => {
      if (this.checkpointer === conn) this.checkpointer = null
      if (this.closing || this.retired.delete(conn)) return
      this.opts.log?.(`the checkpointer's worker exited (code ${code}); starting another`)
      this.restarts++
      this.restartCheckpointer()
    })
    if (this.closing) {
      await conn.close(CLOSE_TIMEOUT_MS)
      return
    }
    this.checkpointer = conn
  }

  private restartCheckpointer(): void {
    this.startCheckpointer().catch((err: unknown) => {
      this.opts.log?.(`could not start the checkpointer again; retrying in ${RESPAWN_DELAY_MS} ms`, err)
      if (!this.closing) setTimeout(() => this.restartCheckpointer(), RESPAWN_DELAY_MS).unref()
    })
  }

  private restart(role: 'writer' | 'reader'): void {
    this.start(role).catch((err: unknown) => {
      this.opts.log?.(`could not start a ${role} connection again; retrying in ${RESPAWN_DELAY_MS} ms`, err)
      if (!this.closing) setTimeout(() => this.restart(role), RESPAWN_DELAY_MS).unref()
    })
  }
}
