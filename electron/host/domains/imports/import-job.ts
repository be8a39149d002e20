import { z } from 'zod'
import { callProcedure } from '../../db/procedures'
import { IMPORT_IDLE_SLICE_MS, type JobKind } from '../../jobs/job-kind'
import { clientImportPartProcedure } from './client-import-part'
import { auditImportRows, importSlice } from './import-slices'

const ImportParams = z.object({ importId: z.number().int(), staffId: z.number().int(), staffName: z.string(), fileHash: z.string() })
const ImportCursor = z.object({ lastRow: z.number().int(), created: z.number().int(), merged: z.number().int(), skipped: z.number().int() })
type ImportParams = z.infer<typeof ImportParams>
type ImportCursor = z.infer<typeof ImportCursor>

/**
 * A checked import written in slices, in row order. Each slice is one transaction of whole rows:
 * a create or merge, the client's phones and search terms, its origin (the row as read) and the
 * row marked done all commit together, so a cancel or a crash leaves whole rows only. A row an
 * import of the same file (same hash) already wrote is skipped, and a phone that reached the book
 * after the dry run merges instead of creating. A cancelled import ends at the next slice. Each
 * part's rows are written in the writer's thread (clientImportPartProcedure); its audit row, which
 * needs the host's keys, is appended here in the same transaction.
 */
export const importJob: JobKind<ImportParams, ImportCursor> = {
  kind: 'imports.run',
  params: ImportParams,
  cursor: ImportCursor,
  firstSize: 100,
  // a bulk write: while nobody waits for the writer, long slices commit far fewer pages a row (a
  // person who comes to wait meanwhile waits for one part of it: importSlice)
  idleSliceMs: IMPORT_IDLE_SLICE_MS,
  slice(db, { params: p, cursor: c }, size, env) {
    const at = env.clock.now().toISOString()
    const tally = ({ created, merged, skipped }: ImportCursor) => ({ shown: { created, merged }, done: created + merged + skipped, result: { created, merged, skipped } })
    const who = { importId: p.importId, staffId: p.staffId, fileHash: p.fileHash }
    return importSlice(db, { importId: p.importId, at, cursor: c, size, tally, heldUp: env.heldUp }, async (rows, part) => {
      const { cursor, touched } = await callProcedure(db, clientImportPartProcedure, { rows, cursor: part, who, at })
      if (touched.length > 0) await auditImportRows(db, env, p, at, { clientIds: touched, toRow: cursor.lastRow })
      return cursor
    })
  },
}
