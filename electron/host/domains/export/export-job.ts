import { z } from 'zod'
import { ExportStartInput } from '@shared/contract/export'
import { Role } from '@shared/domain/roles'
import { PageKey } from '../../db/keyset'
import { BULK_IDLE_SLICE_MS, type JobKind } from '../../jobs/job-kind'
import type { ExportFiles, ExportFormat } from './export-files'
import { startSheet, writeRows, type Exporter } from './export-sheet'
import { sourceFor } from './export-sources'

/** The kind name of export jobs (jobs.kind). */
export const EXPORT_JOB = 'export'

/** Rows one slice reads at most (the runner sizes slices by time below this). */
const MAX_SLICE = 2000
const MIN_SLICE = 50

export const ExporterSchema = z.object({ staffId: z.number().int(), role: Role, team: z.string().nullable(), name: z.string(), username: z.string() })

export const ExportParamsSchema = z.object({
  request: ExportStartInput,
  who: ExporterSchema,
  /** rows counted when it started (the cap was checked against it) */
  total: z.number().int(),
  fileName: z.string(),
  /** when it was asked for: the watermark's time, and "now" for views such as 7 days without a follow-up */
  at: z.string(),
  address: z.string().nullable(),
})
/**
 * Where an export stands: the rows read and written so far, and the key of the last row read
 * (a grid paged in SQL seeks past it; see SliceFrom). A cursor from before keys were kept has none.
 */
const ExportCursor = z.object({ offset: z.number().int(), written: z.number().int(), after: PageKey.nullable().default(null) })
export type ExportParams = z.infer<typeof ExportParamsSchema>
type ExportCursor = z.infer<typeof ExportCursor>

/** The file format the request asks for: a care list may be CSV, everything else is a workbook. */
export function formatOf(request: ExportParams['request']): ExportFormat {
  return request.grid === 'care' ? request.format : 'xlsx'
}

/** What the audit row and the workbook's description say of the request: the grid, view, filter, sort and reason. */
export function describeRequest(p: Pick<ExportParams, 'request'>): Record<string, unknown> {
  const { grid, query, reason } = p.request
  return { grid, query, reason: reason ?? null }
}

/**
 * An export in slices: each reads the next rows of the grid's own query (as of the time it was
 * asked for; the rows after the last one read, by its key) and streams them to the workbook on disk, so memory holds one slice. The workbook
 * lives in this process (ExportFiles): a host that stopped mid-export starts the file again from
 * the first row. The last slice closes the workbook, makes the one-time download, and writes the
 * audit row with the rows written.
 */
export function exportJob(files: ExportFiles): JobKind<ExportParams, ExportCursor> {
  return {
    kind: EXPORT_JOB,
    params: ExportParamsSchema,
    cursor: ExportCursor,
    firstSize: 200,
    // each slice seeks to the last row's key (or takes a bounded list from its position): it costs the same at any depth
    idleSliceMs: BULK_IDLE_SLICE_MS,
    async slice(db, { id, params: p, cursor }, size, env) {
      const source = sourceFor(p.request)
      const who: Exporter = p.who
      const at = new Date(p.at)
      const lang = p.request.lang
      let w = files.writerOf(id)
      let { offset, written, after } = cursor
      if (!w) {
        w = files.open(id, who.staffId, p.fileName, source.title[lang], formatOf(p.request))
        startSheet(w, source, who, at, lang, JSON.stringify(describeRequest(p)))
        offset = 0
        written = 0
        after = null
      }
      const limit = Math.max(MIN_SLICE, Math.min(MAX_SLICE, size))
      const { cells, read, last } = await source.page(db, who, at, { after, read: offset }, limit, lang)
      writeRows(w, cells)
      offset += read
      written += cells.length
      after = last ?? after
      if (read === limit) return { cursor: { offset, written, after }, done: written, finished: false }
      await files.finish(id)
      await env.auditLog.append(db, {
        at: env.clock.now().toISOString(),
        actorId: who.staffId,
        actorName: who.name,
        action: 'export.done',
        target: `export:${id}`,
        detail: { ...describeRequest(p), rows: written, file: p.fileName },
        address: p.address,
      })
      return { cursor: { offset, written, after }, done: written, finished: true, result: { rows: written } }
    },
  }
}
