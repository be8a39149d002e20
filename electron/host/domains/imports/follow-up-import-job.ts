import { z } from 'zod'
import { IMPORT_IDLE_SLICE_MS, type JobKind } from '../../jobs/job-kind'
import type { FollowUpToWrite } from './follow-up-import-check'
import { auditImportRows, importSlice } from './import-slices'
import { followUpKey, insertImportedFollowUps, markFollowUpRowsDone, moveLastContactsForward, recordedFollowUps } from './imports.repository'

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
  // a bulk write: while nobody waits for the writer, long slices commit far fewer pages a row (a
  // person who comes to wait meanwhile waits for one part of it: importSlice)
  idleSliceMs: IMPORT_IDLE_SLICE_MS,
  slice(db, { params: p, cursor: c }, size, env) {
    const at = env.clock.now().toISOString()
    const tally = ({ created, skipped }: Cursor) => ({ shown: { created }, done: created + skipped, result: { created, skipped } })
    return importSlice(db, { importId: p.importId, at, cursor: c, size, tally, heldUp: env.heldUp }, async (rows, part) => {
      let { lastRow, created, skipped } = part
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
      await moveLastContactsForward(db, newestContacts(toWrite.map((w) => w.v)), at)
      await markFollowUpRowsDone(db, p.importId, toWrite.map((r) => r.rowNo))
      created += toWrite.length
      if (toWrite.length > 0) {
        await auditImportRows(db, env, p, at, { followUps: toWrite.length, clientIds: [...new Set(toWrite.map((w) => w.v.clientId))], toRow: lastRow })
      }
      return { lastRow, created, skipped }
    })
  },
}
