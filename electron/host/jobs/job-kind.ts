import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { HostEvents } from '../api/events'
import type { Clock } from '../clock'
import type { DB } from '../db/schema'
import type { AuditLog } from '../domains/audit/audit-log'

/** What a job's slices may use beside the database. */
export interface JobEnv {
  clock: Clock
  events: HostEvents
  auditLog: AuditLog
  /**
   * Whether a person's call has had to wait for the writer since this slice began (the runner
   * gives it to each slice): a kind whose slice writes in parts may end there, whole parts only,
   * so a long idle slice holds nobody up for more than one part. Absent: nobody is known to wait.
   */
  heldUp?: () => boolean
}

/** One job as a slice sees it: what was asked, where the last slice ended, how far it is. */
export interface JobState<P, C> {
  id: number
  params: P
  cursor: C
  done: number
}

/** What one slice did. */
export interface SliceOutcome<C> {
  /** where the next slice starts, and what the slices gathered so far */
  cursor: C
  /** items done in all (for progress) */
  done: number
  finished: boolean
  /** counts of what the finished job did (when finished) */
  result?: Record<string, number>
  /** pushes once the slice's transaction has committed */
  afterCommit?: () => void
  /**
   * the next slice is not worth starting before this settles (a dry run whose check thread has not
   * checked more rows yet): the runner waits for it outside any transaction, rather than take the
   * writer for an empty slice
   */
  wait?: Promise<void>
}

/**
 * A kind of long job: `slice` does at most about `size` items in the caller's transaction and
 * says where the next slice starts. Each slice must be idempotent in effect: a slice cut off by a
 * crash rolled back with its cursor, and is done again from the last committed cursor.
 */
export interface JobKind<P, C> {
  kind: string
  params: z.ZodType<P>
  cursor: z.ZodType<C>
  /** items in the first slice; the runner then sizes slices to its time target */
  firstSize: number
  /**
   * How long a slice may hold the writer while no person's call has had to wait for it (absent:
   * the runner's own short target, always). For bulk work whose slices cost mostly their commit
   * (an import of a book): longer slices commit far fewer pages a row. Once a call waits, slices
   * go back to the short target.
   */
  idleSliceMs?: number
  slice(db: Kysely<DB>, job: JobState<P, C>, size: number, env: JobEnv): Promise<SliceOutcome<C>>
}

/**
 * The idle slice length of bulk jobs that cannot end a slice early (exports, the dry run): long enough that a slice's fixed costs
 * are spread over many rows, short enough that a person's write arriving mid-slice waits at most
 * this once before slices go short again. An import's commit costs about the pages it dirtied, and
 * a row's search terms land on pages all over their index, so ten rows a slice wrote nearly as many
 * pages as a hundred (20,000 clients, load 7-9: 24 s in slices of 100 ms, 13 s of 250 ms, 10 s of
 * 1 s); an export reads each page at an OFFSET into the grid's order (100,000 clients: 28 s in 10 ms
 * slices, 12 s in 250 ms ones). docs/performance.md.
 */
export const BULK_IDLE_SLICE_MS = 250

/**
 * The idle slice length of imports, which write a slice in parts of whole rows and end it after
 * the part during which a person's call came to wait (JobEnv.heldUp, import-slices.ts): that
 * person waits for one part, not the slice. Longer slices commit far fewer pages a row (100,000
 * clients on a quiet machine: the import 65.5 s end to end in slices of 250 ms, 54.3 s of 1 s;
 * 100,000 follow-ups 30.6 s and 23.8 s). Since a part is written in the writer's thread, a second
 * holds ~5,000 clients; 2 s lets a commit carry ~10,000 (the same 100,000 clients written raw in
 * transactions of 10,000: a third of the commit time of 2,000's). docs/performance.md.
 */
export const IMPORT_IDLE_SLICE_MS = 2000

/** A job kind whatever its params and cursor (each parses its own JSON): the runner's registry holds these. */
export type AnyJobKind = JobKind<unknown, unknown>
