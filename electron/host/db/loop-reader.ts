import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3-multiple-ciphers'
import { applyHostPragmas, unlockConnection } from './connection-setup'
import { procedureContext } from './procedure-context'
import type { LoopProcedures, ProcedureContext, ReaderProcedure } from './procedures'

type SqliteHandle = InstanceType<typeof Database>

/**
 * A procedure that ran longer than this on the event loop SLOW_RUNS times in a row with the same
 * arguments is run on the readers with them for SLOW_FOR_MS: the search's steps are bounded, but
 * a few queries (a 客户编号 prefix such as `ky0`) still cost 5-10 ms, and those belong beside the
 * event loop. In a row: on a busy PC a 1 ms search now and then measures 3 ms or more (a GC pause,
 * another thread of the host), and one such run must not send a cheap query away.
 */
export const LOOP_SLOW_MS = 3

/** Slow runs in a row that send the arguments to the readers. */
export const SLOW_RUNS = 3

/** How long slow arguments go to the readers; then one run on the loop measures them again (and a slow one sends them back at once). */
export const SLOW_FOR_MS = 10_000

/** Arguments remembered at most (oldest forgotten first): a branch's searches, many times over. */
const MAX_REMEMBERED = 512

/** What the loop knows of one call's arguments: slow runs in a row, and until when they go to the readers. */
interface Measured {
  slowRuns: number
  until: number
}

/** Below this wall time a call's CPU time is not read (see run): the most it can overstate the call. */
const CPU_CHECK_MS = 0.5

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
 * after a write was answered sees it (the writer answers after its commit); its page cache is a
 * reader's (64 MB at most). Bounded: a call that ran long a few times in a row is sent to the
 * readers for a while (LOOP_SLOW_MS), and so is every call once the loop's share of the window is
 * spent (LOOP_SHARE_MS) while other calls are in the host's hands (othersInFlight); while closed
 * (a restore swapping the file), `run` declines and the readers, which wait for the reopening, answer.
 */
export class LoopReader implements LoopProcedures {
  private sqlite: SqliteHandle | null = null
  private ctx: ProcedureContext | null = null
  /** arguments that ran slow on the loop lately (see LOOP_SLOW_MS). */
  private readonly measured = new Map<string, Measured>()
  /** calls answered here, and calls declined while open (sent to the readers) by reason: the bench prints them. */
  readonly tally = { onLoop: 0, tooLarge: 0, slow: 0, share: 0 }
  private windowStart = -Infinity
  private windowSpent = 0
  private readonly now: () => number
  private readonly cpuNow: () => number
  /**
   * Whether calls besides the running one are in the host's hands (the host sets it: its
   * dispatcher's calls in flight). The loop's share protects them; while a caller is alone its
   * call is run here whatever the share, since sending it to a reader would spare nobody and cost
   * it two thread hand-overs. Until set: always (the share always counts).
   */
  othersInFlight: () => boolean = () => true

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
    if (procedure.fitsLoop?.(args) !== true) return this.decline('tooLarge')
    const start = this.now()
    if (start - this.windowStart >= WINDOW_MS) {
      this.windowStart = start
      this.windowSpent = 0
    } else if (this.windowSpent >= LOOP_SHARE_MS && this.othersInFlight()) {
      return this.decline('share')
    }
    // most calls have no measured arguments to look up: their key is made only when it is needed
    const keyOf = () => `${procedure.name} ${JSON.stringify(args)}`
    let key = this.measured.size > 0 ? keyOf() : null
    const known = key === null ? undefined : this.measured.get(key)
    if (known && start < known.until) return this.decline('slow')
    this.tally.onLoop++
    // the CPU clock is a system call (2-3 µs between other work, a tenth of a small search): read
    // only while other calls are in the host's hands, when the share spent decides for them too;
    // a caller alone is measured by the wall clock (below)
    const cpuStart = this.othersInFlight() ? this.cpuNow() : Number.NaN
    try {
      return { answer: procedure.run(ctx, args) }
    } finally {
      // what the call cost the event loop: its wall time, less any time this process was not
      // running at all (another program had the cores), which its CPU time shows; Node 20 has no
      // per-thread CPU time, so a worker running meanwhile counts too (the bound errs on the slow side).
      // A call shorter than CPU_CHECK_MS counts its wall time without reading the CPU clock again:
      // it can have lost at most that much to another program, and most calls are far shorter.
      // A caller alone counts its wall time whatever it was: a run slowed by another program
      // counts as slow, which at worst sends its arguments to a reader for SLOW_FOR_MS
      const wall = this.now() - start
      const took = wall > CPU_CHECK_MS && !Number.isNaN(cpuStart) ? Math.min(wall, this.cpuNow() - cpuStart) : wall
      this.windowSpent += took
      if (known || took > LOOP_SLOW_MS) this.note((key ??= keyOf()), known, took > LOOP_SLOW_MS, start)
    }
  }

  /** Counts a slow run of `key` (sending it to the readers after SLOW_RUNS in a row); a run in time forgets it. */
  private note(key: string, known: Measured | undefined, slow: boolean, at: number): void {
    if (!slow) {
      if (known) this.measured.delete(key)
      return
    }
    const m = known ?? { slowRuns: 0, until: 0 }
    m.slowRuns++
    if (m.slowRuns >= SLOW_RUNS) m.until = at + SLOW_FOR_MS
    if (!known) {
      if (this.measured.size >= MAX_REMEMBERED) this.measured.delete(this.measured.keys().next().value as string)
      this.measured.set(key, m)
    }
  }

  private decline(reason: 'tooLarge' | 'slow' | 'share'): undefined {
    this.tally[reason]++
    return undefined
  }

}
