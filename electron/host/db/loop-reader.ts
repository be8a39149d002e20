import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3-multiple-ciphers'
import { applyHostPragmas, unlockConnection } from './connection-setup'
import { procedureContext } from './procedure-context'
import type { LoopProcedures, ProcedureContext, ReaderProcedure } from './procedures'

type SqliteHandle = InstanceType<typeof Database>

/**
 * A procedure that ran longer than this on the event loop is run on the readers the next times
 * it is asked with the same arguments (for SLOW_FOR_MS): the search's steps are bounded, but a
 * page deep in a common query still costs a few ms, and those belong beside the event loop.
 */
export const LOOP_SLOW_MS = 2

/** How long a slow call's arguments are sent to the readers before the loop measures them again. */
const SLOW_FOR_MS = 60_000

/** Slow arguments remembered at most (oldest forgotten first): a branch's searches, many times over. */
const MAX_SLOW = 512

/** The window over which the event loop's share of procedure time is bounded. */
const WINDOW_MS = 100

/**
 * Procedure time the event loop gives in each WINDOW_MS; past it, calls go to the readers until
 * the window ends. Thirty terminals searching at once keep at least four fifths of the loop for
 * everyone else (and one call's worst case: a few ms at 100,000 clients, see docs/performance.md).
 */
const LOOP_SHARE_MS = 20

export interface LoopReaderOptions {
  /** a monotonic clock in ms (tests give one that moves as they say). */
  now?: () => number
  /** the process's CPU time so far in ms, every thread's (tests give one that moves as they say). */
  cpuNow?: () => number
}

/** The process's CPU time in ms (user and system, all threads). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/**
 * A read-only connection on the event loop for the hottest reader procedures (clients.search):
 * there a search costs its SQL and nothing else, where a reader thread adds two thread hand-overs,
 * each a wait for a core on a busy PC (issue #15's search goal; docs/performance.md). Same key and
 * pragmas as a reader (`query_only`), WAL: it reads beside the writer, and a call that begins
 * after a write was answered sees it (the writer answers after its commit). Bounded: a call that
 * ran long is sent to the readers the next times (LOOP_SLOW_MS), and so is every call once the
 * loop's share of the window is spent (LOOP_SHARE_MS); while closed (a restore swapping the file),
 * `run` declines and the readers, which wait for the reopening, answer.
 */
export class LoopReader implements LoopProcedures {
  private sqlite: SqliteHandle | null = null
  private ctx: ProcedureContext | null = null
  /** arguments measured slow, and until when they go to the readers. */
  private readonly slow = new Map<string, number>()
  /** calls answered here, and calls declined while open (sent to the readers): the bench prints them. */
  readonly tally = { onLoop: 0, declined: 0 }
  private windowStart = -Infinity
  private windowSpent = 0
  private readonly now: () => number
  private readonly cpuNow: () => number

  constructor(options: LoopReaderOptions = {}) {
    this.now = options.now ?? (() => performance.now())
    this.cpuNow = options.cpuNow ?? processCpuMs
  }

  /** Opens the connection on `file` (a reader's pragmas); closes one still open first. */
  open(file: string, keyHex: string): void {
    this.close()
    const sqlite = new Database(file, { fileMustExist: true })
    try {
      unlockConnection(sqlite, keyHex)
      // the first read proves the key, as a reader's worker does
      sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
      applyHostPragmas(sqlite, 'reader')
      this.ctx = procedureContext(sqlite)
      this.sqlite = sqlite
    } catch (err) {
      sqlite.close()
      throw err
    }
  }

  /** Closes the connection (open again with `open`); calls meanwhile go to the readers. */
  close(): void {
    const sqlite = this.sqlite
    this.sqlite = null
    this.ctx = null
    if (sqlite?.open) sqlite.close()
  }

  /**
   * Runs `procedure` here, synchronously, and gives its answer; or `undefined` when it belongs
   * on a reader (closed, too much work by its arguments, measured slow with these arguments, or
   * the loop's share spent).
   */
  run<A, R>(procedure: ReaderProcedure<A, R>, args: A): { answer: R } | undefined {
    const ctx = this.ctx
    if (!ctx) return undefined
    if (procedure.fitsLoop?.(args) !== true) return this.decline()
    const start = this.now()
    if (start - this.windowStart >= WINDOW_MS) {
      this.windowStart = start
      this.windowSpent = 0
    } else if (this.windowSpent >= LOOP_SHARE_MS) {
      return this.decline()
    }
    const key = `${procedure.name} ${JSON.stringify(args)}`
    const until = this.slow.get(key)
    if (until !== undefined) {
      if (start < until) return this.decline()
      this.slow.delete(key)
    }
    this.tally.onLoop++
    const cpuStart = this.cpuNow()
    try {
      return { answer: procedure.run(ctx, args) }
    } finally {
      // what the call cost the event loop: its wall time, less any time this process was not
      // running at all (another program had the cores), which its CPU time shows; Node 20 has no
      // per-thread CPU time, so a worker running meanwhile counts too (the bound errs on the slow side)
      const took = Math.min(this.now() - start, this.cpuNow() - cpuStart)
      this.windowSpent += took
      if (took > LOOP_SLOW_MS) this.rememberSlow(key, start + SLOW_FOR_MS)
    }
  }

  private decline(): undefined {
    this.tally.declined++
    return undefined
  }

  private rememberSlow(key: string, until: number): void {
    if (this.slow.size >= MAX_SLOW) this.slow.delete(this.slow.keys().next().value as string)
    this.slow.set(key, until)
  }
}
