import type { ExportView } from '@shared/contract/export'
import { formatBranchTime } from '@shared/domain/branch-time'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersFactory } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import { runJobInline } from '../../jobs/job-runner'
import { findJob, insertJob, type JobRecord } from '../../jobs/jobs.repository'
import { EXPORT_JOB, exportJob, ExportParamsSchema, formatOf, type ExportParams } from './export-job'
import type { ExportFiles, ExportFormat } from './export-files'
import type { Exporter } from './export-sheet'
import { getExportSettings, saveExportSettings } from './export-settings'
import { sourceFor } from './export-sources'

/** Exports this small are written within the call that asks for them: the answer carries the download. */
const INLINE_ROWS = 1000

function viewOf(r: JobRecord, p: ExportParams, files: ExportFiles | null, staffId: number): ExportView {
  return {
    id: r.id,
    grid: p.request.grid,
    status: r.status,
    done: r.done,
    total: p.total,
    download: r.status === 'done' ? (files?.linkFor(r.id, staffId) ?? null) : null,
    fileName: p.fileName,
  }
}

/** The file's name: the grid and the time, in the sheet's language (characters every file system takes), and its format. */
function fileNameOf(title: string, at: Date, format: ExportFormat): string {
  return `${title}-${formatBranchTime(at.toISOString()).replace(/[-: ]/g, '')}.${format}`
}

/**
 * Exports of the grids (导出): the grid's own query, checked row by row as the grid checks it,
 * streamed to a watermarked workbook, audited twice (the request with its filter and reason; the
 * rows written once done), fetched once over the host's HTTP.
 */
export const exportHandlers: HandlersFactory<'export'> = ({ exports: files }) => ({
  'export.start': async (input, ctx) => {
    const s = requireSession(ctx)
    if (!files) throw new ApiFailure('INTERNAL', 'exports are not available on this host')
    const settings = await getExportSettings(ctx.db)
    if (settings.requireReason && !input.reason?.trim()) throw new ApiFailure('VALIDATION', 'say why you export', 'reason', 'export_reason_required')
    const who: Exporter = { staffId: s.staffId, role: s.role, team: s.team, name: s.name, username: s.username }
    const source = sourceFor(input)
    const now = ctx.clock.now()
    const total = await source.count(ctx.db, who, now)
    if (total > settings.rowCap) {
      throw new ApiFailure('LIMIT_REACHED', `${total} rows, over the cap of ${settings.rowCap} per export`, undefined, 'export_over_cap', { rows: total, cap: settings.rowCap })
    }
    const kind = exportJob(files)
    const at = now.toISOString()
    const params: ExportParams = { request: input, who, total, fileName: fileNameOf(source.title[input.lang], now, formatOf(input)), at, address: ctx.address }
    const id = await insertJob(ctx.db, kind, { params, cursor: { offset: 0, written: 0, after: null }, total, createdBy: s.staffId, at })
    ctx.auditTarget(`export:${id}`)
    if (total <= INLINE_ROWS) await runJobInline(ctx.db, kind, id, ctx, (fn) => ctx.afterCommit(fn))
    else ctx.afterCommit(() => ctx.events.jobsQueued())
    const row = await findJob(ctx.db, id)
    if (!row) throw new ApiFailure('INTERNAL', 'the export job is gone')
    return viewOf(row, params, files, s.staffId)
  },

  'export.status': async ({ id }, ctx) => {
    const s = requireSession(ctx)
    const row = await findJob(ctx.db, id)
    // another's export is as unknown as one that never was
    if (!row || row.kind !== EXPORT_JOB || row.created_by !== s.staffId) throw new ApiFailure('NOT_FOUND', `no export ${id}`, 'id')
    const params = ExportParamsSchema.parse(JSON.parse(row.params))
    if (row.status === 'failed') files?.drop(id)
    return viewOf(row, params, files, s.staffId)
  },

  'export.getSettings': async (_input, ctx) => getExportSettings(ctx.db),

  'export.setSettings': async (input, ctx) => {
    const next = { ...(await getExportSettings(ctx.db)), ...input }
    await saveExportSettings(ctx.db, next, ctx.clock.now().toISOString())
    ctx.auditTarget('settings:export')
    return next
  },
})
