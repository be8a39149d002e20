import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import type { JobEnv, SliceOutcome } from '../../jobs/job-kind'
import { deleteChunks, findImport, pendingRows, updateImport } from './imports.repository'

/** Rows a slice writes at most (read at once: ~1 KB each, the value and the row as read). */
const MAX_SLICE = 10_000

/**
 * Rows written together (a few batched statements): a slice writes its rows in parts of this many
 * and ends after the part during which a person's call came to wait for the writer (JobEnv.heldUp).
 * About 40 ms of writer time at 100,000 clients (a part written whole in the writer's thread: ~5,000
 * clients a second there, the machine otherwise idle).
 */
export const IMPORT_PART_ROWS = 200

/** One checked row still to write, as the dry run stored it. */
export type PendingRow = Awaited<ReturnType<typeof pendingRows>>[number]

/** What an import job's cursor holds at least: the last row handled (the counts are the job's own). */
export interface ImportCursor {
  lastRow: number
}

/** What the slices have done so far, as the job counts it. */
export interface ImportTally {
  /** counts stored on the import beside the dry run's (its page shows them) */
  shown: Record<string, number>
  /** rows handled in all, written or skipped (the job's progress) */
  done: number
  /** the finished job's result, without `cancelled` (added here) */
  result: Record<string, number>
}

/**
 * The bookkeeping every import job's slice shares, around `write` (a part of the rows after
 * `cursor`, written in the caller's transaction; returns the new cursor): a cancelled or vanished
 * import ends at once, the next rows after the cursor are read (at most MAX_SLICE) and written in
 * parts of IMPORT_PART_ROWS, the slice ending early after a part during which a person's call came
 * to wait (`heldUp`); afterwards the counts are stored on the import. A short read written whole is
 * the end, which stores the status and drops the uploaded file.
 */
export async function importSlice<C extends ImportCursor>(
  db: Kysely<DB>,
  slice: { importId: number; at: string; cursor: C; size: number; tally: (c: C) => ImportTally; heldUp?: (() => boolean) | undefined },
  write: (rows: PendingRow[], cursor: C) => Promise<C>,
): Promise<SliceOutcome<C>> {
  const { importId, at, tally } = slice
  const record = await findImport(db, importId)
  const end = async (cursor: C, status: 'running' | 'done' | 'cancelled'): Promise<SliceOutcome<C>> => {
    const t = tally(cursor)
    const stored = record?.counts ? (JSON.parse(record.counts) as Record<string, number>) : {}
    await updateImport(db, importId, { counts: JSON.stringify({ ...stored, ...t.shown }), updated_at: at, ...(status === 'running' ? {} : { status }) })
    if (status === 'running') return { cursor, done: t.done, finished: false }
    await deleteChunks(db, importId)
    return { cursor, done: t.done, finished: true, result: { ...t.result, cancelled: status === 'cancelled' ? 1 : 0 } }
  }
  if (!record || record.status === 'cancelled') return end(slice.cursor, 'cancelled')
  const limit = Math.min(slice.size, MAX_SLICE)
  const rows = await pendingRows(db, importId, slice.cursor.lastRow, limit)
  let cursor = slice.cursor
  let written = 0
  while (written < rows.length) {
    const part = rows.slice(written, written + IMPORT_PART_ROWS)
    cursor = await write(part, cursor)
    written += part.length
    if (slice.heldUp?.()) break
  }
  return end(cursor, rows.length < limit && written === rows.length ? 'done' : 'running')
}

/** The audit row of one slice's writes (`imports.rows` on the import, by whoever started it). */
export async function auditImportRows(
  db: Kysely<DB>,
  env: JobEnv,
  p: { importId: number; staffId: number; staffName: string },
  at: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await env.auditLog.append(db, { at, actorId: p.staffId, actorName: p.staffName, action: 'imports.rows', target: `import:${p.importId}`, detail, address: null })
}
