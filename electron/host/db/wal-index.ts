import fs from 'node:fs'

/** A WAL file's header, and each frame's header before its page (SQLite's WAL format). */
const WAL_HEADER_BYTES = 32
const FRAME_HEADER_BYTES = 24

/**
 * About how many frames the WAL beside `dbFile` reaches, from its size alone (0 when there is
 * none): the file is never opened. Opening and closing any file of an open SQLite database from
 * this process would drop every POSIX lock the process's connections hold on it (fcntl locks belong
 * to the process, and close releases them all): another process opening the database would then
 * take the shared-memory index for unused, reset it, and this process's connections, which map it,
 * die of SIGBUS (measured: the kill -9 harness's integrity check did exactly that). The size is the
 * WAL's furthest reach since it last started again, trimmed to the writer's `journal_size_limit`
 * when it does (WAL_KEEP_FRACTION of the bound, so a WAL started again reads as below the bound).
 */
export function walFrames(dbFile: string, pageSize: number): number {
  try {
    const size = fs.statSync(`${dbFile}-wal`).size
    return size <= WAL_HEADER_BYTES ? 0 : Math.floor((size - WAL_HEADER_BYTES) / (pageSize + FRAME_HEADER_BYTES))
  } catch {
    return 0
  }
}

/** The part of the restart bound the WAL file keeps when it starts again (its `journal_size_limit`). */
export const WAL_KEEP_FRACTION = 0.25

/** The writer's `journal_size_limit` for a restart bound of `frames` frames of `pageSize` bytes. */
export function walSizeLimit(frames: number, pageSize: number): number {
  return WAL_HEADER_BYTES + Math.floor(frames * WAL_KEEP_FRACTION) * (pageSize + FRAME_HEADER_BYTES)
}

/** How many times a RESTART's own length the writer waits before its next look at the WAL. */
export const RESTART_SPACING = 10

/**
 * The wait before the writer's next look at the WAL after a RESTART that took `restartMs`: the usual
 * `everyMs`, or ten times the RESTART when that is longer, so that RESTARTs take the writer a tenth
 * of its time at most (each holds the next write back while it copies and syncs; sqlite-worker.ts).
 */
export function restartLookDelay(restartMs: number, everyMs: number): number {
  return Math.max(everyMs, RESTART_SPACING * restartMs)
}
