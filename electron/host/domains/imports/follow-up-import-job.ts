import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { DB } from '../../db/schema'
import type { JobKind } from '../../jobs/job-kind'
import type { FollowUpToWrite } from './follow-up-import-check'
import { deleteChunks, findImport, followUpKey, insertImportedFollowUps, markFollowUpRowsDone, moveLastContactForward, pendingRows, recordedFollowUps, updateImport } from './imports.repository'

/** Rows a slice writes at most (the follow-ups of a slice are a few insert statements). */
const MAX_SLICE = 5000

const Params = z.object({ importId: z.number().int(), staffId: z.number().int(), staffName: z.string() })
const Cursor = z.object({ lastRow: z.number().int(), created: z.number().int(), skipped: z.number().int() })
type Params = z.infer<typeof Params>
type Cursor = z.infer<typeof Cursor>

/** Each client's newest contact (a note is no contact) among the rows written. */
function newestContacts(rows: readonly FollowUpToWrite[]): Map<number, string> {
  const out = new Map<number, string>()
  for (const r of rows) if (r.channel !== 'note' && r.at > (out.get(r.clientId) ?? '')) out.set(r.clientId, r.at)
  return out
}

async function saveCounts(db: Kysely<DB>, p: Params, created: number, at: string, status?: 'done' | 'cancelled'): Promise<void> {
  const record = await findImport(db, p.importId)
  const counts = record?.counts ? (JSON.parse(record.counts) as Record<string, number>) : {}
  await updateImport(db, p.importId, { counts: JSON.stringify({ ...counts, created }), updated_at: at, ...(status ? { status } : {}) })
}

/**
 * A checked follow-up history import written in slices, in row order. Each slice is one
 * transaction of whole rows: the follow-ups (each naming its import and row), the clients' last
 * contact moved forward where a row is newer (never backwards), and the rows marked done commit
 * together, so a cancel or a crash leaves whole rows only. A row whose client, time and content
 * reached the book since the dry run is skipped. History fires nothing: no rule is evaluated, no
 * task or reminder made (下次跟进 is kept as written); the reports leave imported follow-ups out of
 * an agent's contacts and response times.
 */
export const followUpImportJob: JobKind<Params, Cursor> = {
  kind: 'imports.followUps',
  params: Params,
  cursor: Cursor,
  firstSize: 200,
  async slice(db, { params: p, cursor: c }, size, env) {
    const at = env.clock.now().toISOString()
    const record = await findImport(db, p.importId)
    let { lastRow, created, skipped } = c
    const finish = async (status: 'done' | 'cancelled') => {
      await saveCounts(db, p, created, at, status)
      await deleteChunks(db, p.importId)
      return { cursor: { lastRow, created, skipped }, done: created + skipped, finished: true, result: { created, skipped, cancelled: status === 'cancelled' ? 1 : 0 } }
    }
    if (!record || record.status === 'cancelled') return finish('cancelled')
    const limit = Math.min(size, MAX_SLICE)
    const rows = await pendingRows(db, p.importId, lastRow, limit)
    const values = rows.map((r) => ({ rowNo: r.row_no, v: JSON.parse(r.value) as FollowUpToWrite }))
    // the same contact written since the dry run (another import, a colleague): not twice
    const recorded = await recordedFollowUps(db, values.map(({ v }) => ({ clientId: v.clientId, at: v.at })))
    const toWrite: Array<{ rowNo: number; v: FollowUpToWrite }> = []
    for (const r of values) {
      lastRow = r.rowNo
      if (recorded.has(followUpKey(r.v.clientId, r.v.at, r.v.content))) skipped++
      else toWrite.push(r)
    }
    await insertImportedFollowUps(
      db,
      toWrite.map(({ rowNo, v }) => ({
        client_id: v.clientId,
        staff_id: v.staffId,
        channel: v.channel,
        content: v.content,
        next_action: v.nextAction,
        next_due_at: v.nextDueAt,
        created_at: v.at,
        import_id: p.importId,
        import_row: rowNo,
      })),
    )
    for (const [clientId, last] of newestContacts(toWrite.map((w) => w.v))) await moveLastContactForward(db, clientId, last, at)
    await markFollowUpRowsDone(db, p.importId, toWrite.map((r) => r.rowNo))
    created += toWrite.length
    if (toWrite.length > 0) {
      await env.auditLog.append(db, {
        at,
        actorId: p.staffId,
        actorName: p.staffName,
        action: 'imports.rows',
        target: `import:${p.importId}`,
        detail: { followUps: toWrite.length, clientIds: [...new Set(toWrite.map((w) => w.v.clientId))], toRow: lastRow },
        address: null,
      })
    }
    if (rows.length < limit) return finish('done')
    await saveCounts(db, p, created, at)
    return { cursor: { lastRow, created, skipped }, done: created + skipped, finished: false }
  },
}
