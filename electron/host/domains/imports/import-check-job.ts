import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { ApiErrorSchema } from '@shared/contract/common'
import { ImportCounts } from '@shared/contract/imports'
import { ColumnMapping, ImportKind } from '@shared/domain/import-columns'
import type { DB } from '../../db/schema'
import { BULK_IDLE_SLICE_MS, type JobEnv, type JobKind, type SliceOutcome } from '../../jobs/job-kind'
import type { CheckedClientRow, CheckedFollowUpRow } from './check-thread-protocol'
import { CheckThread } from './check-thread'
import { followUpJudge } from './follow-up-import-check'
import { clientJudge, noCounts, type RowJudge } from './import-check'
import { deleteImportRows, fileOf, findImport, insertImportRows, ownerCandidates, rememberMapping, staffCandidates, updateImport } from './imports.repository'

/** Verdicts a slice stores at most (one statement of a few MB), and removes at most when clearing. */
const MAX_SLICE_ROWS = 4000

const Params = z.object({
  importId: z.number().int(),
  kind: ImportKind,
  fileHash: z.string(),
  headers: z.array(z.string()),
  mapping: ColumnMapping,
  mappingFrom: z.enum(['remembered', 'guessed', 'given']),
  signature: z.string(),
  unmapped: z.boolean(),
  /** the dry run's "now" (the call's clock) */
  now: z.string(),
  staffId: z.number().int(),
  staffName: z.string(),
})
const Cursor = z.object({
  /** clear: the last check's verdicts go; check: the rows are judged; drop: a stopped check's verdicts go */
  phase: z.enum(['clear', 'check', 'drop']),
  /** the check thread and judge of this host process working the file (none yet, or the host was restarted) */
  run: z.string().nullable(),
  counts: ImportCounts,
})
type Params = z.infer<typeof Params>
type Cursor = z.infer<typeof Cursor>

/** A check at work in this process: its thread reading the file, the judge of its rows and the counts so far. */
interface CheckRun {
  thread: CheckThread
  judge: RowJudge<CheckedClientRow> | RowJudge<CheckedFollowUpRow>
  counts: ImportCounts
}

/**
 * The checks at work in each host (by its job env), by the run id their job's cursor names: a host
 * started again has none, and its checks start over.
 */
const runsOfHost = new WeakMap<JobEnv, Map<string, CheckRun>>()

function runsOf(env: JobEnv): Map<string, CheckRun> {
  let runs = runsOfHost.get(env)
  if (!runs) runsOfHost.set(env, (runs = new Map()))
  return runs
}

function endRun(env: JobEnv, id: string | null): void {
  if (id === null) return
  const runs = runsOf(env)
  runs.get(id)?.thread.dispose()
  runs.delete(id)
}

/** Starts reading the file in a check thread; the judge's lookups of the book that precede the first row are made here. */
async function startRun(db: Kysely<DB>, p: Params, env: JobEnv): Promise<string> {
  const counts = noCounts()
  const staff = p.kind === 'clients' ? await ownerCandidates(db) : await staffCandidates(db)
  const judge = p.kind === 'clients' ? await clientJudge(db, p.importId, p.fileHash, counts) : followUpJudge(p.importId, counts)
  const thread = new CheckThread({ file: await fileOf(db, p.importId), kind: p.kind, mapping: p.mapping, now: p.now, staff: staff.map(({ id, name, username }) => ({ id, name, username })) })
  const id = randomUUID()
  runsOf(env).set(id, { thread, judge, counts })
  return id
}

/** The rows of one batch judged and their verdicts stored. */
async function judgeRows(db: Kysely<DB>, run: CheckRun, max: number): Promise<number> {
  const batch = run.thread.take(max)
  if (!batch) return 0
  const verdicts = batch.type === 'clients' ? await (run.judge as RowJudge<CheckedClientRow>)(db, batch.rows) : await (run.judge as RowJudge<CheckedFollowUpRow>)(db, batch.rows)
  run.counts.rows += batch.rows.length
  await insertImportRows(db, verdicts)
  return batch.rows.length
}

/** The end of a check that reached the end of its file: the counts, headers and mapping stored, the import checked. */
async function finishCheck(db: Kysely<DB>, p: Params, counts: ImportCounts, env: JobEnv): Promise<void> {
  const at = env.clock.now().toISOString()
  if (p.mappingFrom !== 'remembered') await rememberMapping(db, p.signature, JSON.stringify(p.mapping), at)
  await updateImport(db, p.importId, {
    status: 'checked',
    headers: JSON.stringify(p.headers),
    mapping: JSON.stringify(p.mapping),
    counts: JSON.stringify({ ...counts, mappingFrom: p.mappingFrom }),
    check_error: null,
    updated_at: at,
  })
  await env.auditLog.append(db, { at, actorId: p.staffId, actorName: p.staffName, action: 'imports.checked', target: `import:${p.importId}`, detail: { counts }, address: null })
}

/**
 * The dry run of an uploaded file, as a job (imports.check starts it): the verdicts of the last
 * check of the import are removed a slice at a time; a check thread reads the file and checks
 * each row's cells off the event loop (CheckThread), and each slice judges the rows it has checked
 * against the book and the rows before them and stores their verdicts (a few thousand a short
 * transaction), so neither the file's rows nor their verdicts are ever held together. At the end
 * of the file the counts are stored and the import is checked; until then it shows no counts and
 * no rows. A check whose import was cancelled, or which met an error in the file (kept on the
 * import, check_error), removes the verdicts it stored: the import is left with none, never part
 * of them. A host stopped mid-check starts it over at its next start.
 */
export const importCheckJob: JobKind<Params, Cursor> = {
  kind: 'imports.check',
  params: Params,
  cursor: Cursor,
  firstSize: 1000,
  // bulk writes of verdicts: while nobody waits for the writer, longer slices commit fewer pages a row
  idleSliceMs: BULK_IDLE_SLICE_MS,
  async slice(db, job, size, env): Promise<SliceOutcome<Cursor>> {
    const p = job.params
    const c = job.cursor
    const next = (cursor: Cursor, more: Partial<SliceOutcome<Cursor>> = {}): SliceOutcome<Cursor> => ({ cursor, done: cursor.counts.rows, finished: false, ...more })
    const stop = (cursor: Cursor): SliceOutcome<Cursor> => ({ cursor, done: cursor.counts.rows, finished: true, result: { ...cursor.counts, stopped: cursor.phase === 'drop' ? 1 : 0 } })
    let started: string | null = null
    try {
      const r = await findImport(db, p.importId)
      // a cancel (or anything that took the import from this check) ends it; its verdicts go
      if (c.phase !== 'drop' && (!r || r.status !== 'uploaded' || r.job_id !== job.id)) {
        endRun(env, c.run)
        return next({ ...c, phase: 'drop', run: null })
      }
      if (c.phase !== 'check') {
        const limit = Math.min(MAX_SLICE_ROWS, Math.max(size, 500))
        if ((await deleteImportRows(db, p.importId, limit)) === limit) return next(c)
        return c.phase === 'drop' ? stop(c) : next({ ...c, phase: 'check' })
      }
      if (p.unmapped) {
        await finishCheck(db, p, c.counts, env)
        return stop(c)
      }
      const run = c.run === null ? undefined : runsOf(env).get(c.run)
      if (!run) {
        // a check cut off by a host stop: its verdicts are cleared and the file read again from the top
        if (c.run !== null) return next({ phase: 'clear', run: null, counts: noCounts() })
        started = await startRun(db, p, env)
        return next({ ...c, run: started }, { wait: runsOf(env).get(started)?.thread.ready() })
      }
      await judgeRows(db, run, Math.min(MAX_SLICE_ROWS, size))
      const cursor = { ...c, counts: { ...run.counts } }
      const failed = run.thread.failed
      if (failed) {
        endRun(env, c.run)
        await updateImport(db, p.importId, { check_error: JSON.stringify(failed), updated_at: env.clock.now().toISOString() })
        return next({ ...cursor, phase: 'drop', run: null })
      }
      if (run.thread.done) {
        endRun(env, c.run)
        await finishCheck(db, p, cursor.counts, env)
        return stop(cursor)
      }
      return next(cursor, { wait: run.thread.ready() })
    } catch (err) {
      // a failed slice fails the job (rolled back): its thread is not left reading
      endRun(env, c.run)
      endRun(env, started)
      throw err
    }
  },
}

/** The error a check stopped on, as stored (null: none, or not readable). */
export function checkErrorOf(stored: string | null): z.infer<typeof ApiErrorSchema> | null {
  if (!stored) return null
  const parsed = ApiErrorSchema.safeParse(JSON.parse(stored))
  return parsed.success ? parsed.data : null
}
