import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { ImportCounts, MAX_IMPORT_BYTES, type ImportRow, type ImportView } from '@shared/contract/imports'
import { AnyImportField, ColumnMapping } from '@shared/domain/import-columns'
import { ApiFailure } from '../../api/api-failure'
import type { HandlersOf } from '../../api/handler'
import { requireSession } from '../../api/require-session'
import type { DB } from '../../db/schema'
import { findJob, insertJob, type JobRecord } from '../../jobs/jobs.repository'
import { startSpareCheckThread } from './check-thread'
import { errorWorkbook } from './error-workbook'
import { noCounts, readHeader } from './import-check'
import { fileKind } from './sheet-rows'
import { checkErrorOf, importCheckJob } from './import-check-job'
import { followUpImportJob } from './follow-up-import-job'
import { importJob } from './import-job'
import { appendChunk, deleteChunks, fileOf, findImport, importRowsPage, insertImport, refusedRows, updateImport, type ImportRecord } from './imports.repository'

async function mustFindImport(db: Kysely<DB>, id: number): Promise<ImportRecord> {
  const r = await findImport(db, id)
  if (!r) throw new ApiFailure('NOT_FOUND', `no import ${id}`, 'importId')
  return r
}

function mustBe(r: ImportRecord, allowed: ReadonlyArray<ImportRecord['status']>): void {
  if (!allowed.includes(r.status)) throw new ApiFailure('CONFLICT', `this import is ${r.status}`, 'importId', `import_${r.status}`)
}

function mappingOf(r: ImportRecord): ColumnMapping {
  const parsed = ColumnMapping.safeParse(r.mapping ? JSON.parse(r.mapping) : {})
  return parsed.success ? parsed.data : {}
}

/** The dry run of the import at work: the check job it names, while that runs. */
function checking(r: ImportRecord, job: JobRecord | undefined): boolean {
  return r.status === 'uploaded' && job?.kind === importCheckJob.kind && job.status === 'running'
}

/** The dry run of the import stopped on an error of the host's own (its job failed): it is told, not left silent. */
function checkFailed(r: ImportRecord, job: JobRecord | undefined): boolean {
  return r.status === 'uploaded' && job?.kind === importCheckJob.kind && job.status === 'failed'
}

/** An import whose dry run has ended (its counts stored): its rows may be read. */
function mustHaveVerdicts(r: ImportRecord): void {
  if (!r.counts) throw new ApiFailure('CONFLICT', 'this import has not been checked', 'importId', 'import_not_checked')
}

async function toView(db: Kysely<DB>, r: ImportRecord): Promise<ImportView> {
  const counts = r.counts ? ImportCounts.safeParse(JSON.parse(r.counts)) : null
  const job = r.job_id ? await findJob(db, r.job_id) : undefined
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    status: checking(r, job) ? 'checking' : r.status,
    size: r.size,
    headers: r.headers ? (JSON.parse(r.headers) as string[]) : [],
    mapping: mappingOf(r),
    mappingFrom: counts?.success ? ((JSON.parse(r.counts ?? '{}') as { mappingFrom?: ImportView['mappingFrom'] }).mappingFrom ?? null) : null,
    counts: counts?.success ? counts.data : null,
    jobId: r.job_id,
    progress: job ? { done: job.done, total: job.total ?? 0 } : null,
    checkError: checkErrorOf(r.check_error) ?? (checkFailed(r, job) ? { code: 'INTERNAL', message: 'the dry run stopped on an error: check again' } : null),
    createdAt: r.created_at,
  }
}

function decodeChunk(base64: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw new ApiFailure('VALIDATION', 'the chunk is not base64', 'chunkBase64', 'not_base64')
  return Buffer.from(base64, 'base64')
}

/** The cell of the column mapped to `field`, from a row as stored. */
function cellOf(raw: string[], mapping: ColumnMapping, field: AnyImportField): string {
  const col = Object.entries(mapping).find(([, f]) => f === field)?.[0]
  return col === undefined ? '' : (raw[Number(col)] ?? '')
}

/**
 * Client import and follow-up history import from Excel and CSV (managers and admins): the file
 * uploaded in chunks into the database, a dry run of every row, the import as a job in slices
 * (importJob or followUpImportJob by the import's kind), cancel, and the workbook of the refused rows.
 */
export const importsHandlers: HandlersOf<'imports'> = {
  'imports.upload': async ({ importId, kind, fileName, chunkBase64, last }, ctx) => {
    const s = requireSession(ctx)
    const at = ctx.clock.now().toISOString()
    const data = decodeChunk(chunkBase64)
    let id = importId
    if (id === undefined) {
      id = await insertImport(ctx.db, { kind: kind ?? 'clients', fileName, createdBy: s.staffId, at })
      // the dry run's thread starts while the file comes (the workbook reader too, for an xlsx)
      const fileType = fileKind(data)
      ctx.afterCommit(() => startSpareCheckThread(fileType))
    }
    else {
      const r = await mustFindImport(ctx.db, id)
      if (r.created_by !== s.staffId) throw new ApiFailure('FORBIDDEN', 'this upload is a colleague’s', 'importId')
      if (kind !== undefined && kind !== r.kind) throw new ApiFailure('VALIDATION', `this upload is of ${r.kind}`, 'kind', 'kind_changed')
      mustBe(r, ['uploading'])
    }
    const size = await appendChunk(ctx.db, id, data)
    if (size > MAX_IMPORT_BYTES) throw new ApiFailure('VALIDATION', `the file is over ${MAX_IMPORT_BYTES} bytes`, 'chunkBase64', 'file_too_large', { maximum: MAX_IMPORT_BYTES })
    let status: ImportRecord['status'] = 'uploading'
    if (last) {
      if (size === 0) throw new ApiFailure('VALIDATION', 'the file is empty', 'chunkBase64', 'empty')
      const hash = createHash('sha256').update(await fileOf(ctx.db, id)).digest('hex')
      status = 'uploaded'
      await updateImport(ctx.db, id, { status, file_hash: hash, updated_at: at })
    }
    ctx.auditTarget(`import:${id}`)
    return { importId: id, size, status }
  },

  // the header row is read before the transaction (prepare): a wrong file or mapping is refused at
  // once; the rows are then read and judged by a job (importCheckJob), off the event loop and in
  // short transactions, while the import shows as checking
  'imports.check': {
    prepare: async ({ importId, mapping }, pctx) => {
      const r = await mustFindImport(pctx.db, importId)
      mustBe(r, ['uploaded', 'checked'])
      const plan = await readHeader(pctx.db, r.kind, await fileOf(pctx.db, importId), mapping)
      return async (ctx) => {
        const s = requireSession(ctx)
        const now = await mustFindImport(ctx.db, importId)
        mustBe(now, ['uploaded', 'checked'])
        if (checking(now, now.job_id ? await findJob(ctx.db, now.job_id) : undefined)) throw new ApiFailure('CONFLICT', 'this import is being checked', 'importId', 'import_checking')
        const at = ctx.clock.now().toISOString()
        const jobId = await insertJob(ctx.db, importCheckJob, {
          params: { importId, kind: now.kind, fileHash: now.file_hash ?? '', ...plan, now: at, staffId: s.staffId, staffName: s.name },
          cursor: { phase: 'clear', run: null, counts: noCounts() },
          total: null,
          createdBy: s.staffId,
          at,
        })
        // no counts until the check has ended: its rows so far are never shown as its result
        await updateImport(ctx.db, importId, { status: 'uploaded', counts: null, check_error: null, job_id: jobId, updated_at: at })
        ctx.auditTarget(`import:${importId}`)
        ctx.afterCommit(() => ctx.events.jobsQueued())
        return toView(ctx.db, await mustFindImport(ctx.db, importId))
      }
    },
  },

  'imports.rows': async ({ importId, verdict, offset, limit }, ctx) => {
    const r = await mustFindImport(ctx.db, importId)
    mustHaveVerdicts(r)
    const mapping = mappingOf(r)
    const page = await importRowsPage(ctx.db, importId, verdict, offset, limit)
    return {
      total: page.total,
      rows: page.rows.map((x): ImportRow => {
        const raw = JSON.parse(x.raw) as string[]
        const field = AnyImportField.safeParse(x.field)
        // a follow-up row names the client it was found to be; a client row, the client it merges into
        const names = r.kind === 'followUps' ? ({ name: 'clientName', phone: 'clientPhone' } as const) : ({ name: 'name', phone: 'phone' } as const)
        const found = x.client_id !== null && (x.verdict === 'merge' || (r.kind === 'followUps' && x.verdict !== 'refuse'))
        return {
          rowNo: x.row_no,
          verdict: x.verdict,
          field: field.success ? field.data : null,
          reason: x.reason,
          params: x.params ? (JSON.parse(x.params) as Record<string, string | number>) : null,
          name: cellOf(raw, mapping, names.name),
          phone: cellOf(raw, mapping, names.phone),
          existing: found && x.client_id !== null ? { clientId: x.client_id, code: x.client_code ?? '', name: x.client_name ?? '', ownerName: x.owner_name } : null,
          done: x.done === 1,
        }
      }),
    }
  },

  'imports.get': async ({ importId }, ctx) => toView(ctx.db, await mustFindImport(ctx.db, importId)),

  'imports.start': async ({ importId }, ctx) => {
    const s = requireSession(ctx)
    const r = await mustFindImport(ctx.db, importId)
    mustBe(r, ['checked'])
    const counts = r.counts ? ImportCounts.parse(JSON.parse(r.counts)) : null
    if (!counts || counts.create + counts.merge === 0) throw new ApiFailure('CONFLICT', 'no row to import', 'importId', 'nothing_to_import')
    const at = ctx.clock.now().toISOString()
    const job = { total: counts.create + counts.merge, createdBy: s.staffId, at }
    const jobId =
      r.kind === 'followUps'
        ? await insertJob(ctx.db, followUpImportJob, { ...job, params: { importId, staffId: s.staffId, staffName: s.name }, cursor: { lastRow: 0, created: 0, skipped: 0 } })
        : await insertJob(ctx.db, importJob, { ...job, params: { importId, staffId: s.staffId, staffName: s.name, fileHash: r.file_hash ?? '' }, cursor: { lastRow: 0, created: 0, merged: 0, skipped: 0 } })
    await updateImport(ctx.db, importId, { status: 'importing', job_id: jobId, updated_at: at })
    ctx.auditTarget(`import:${importId}`)
    ctx.afterCommit(() => ctx.events.jobsQueued())
    return toView(ctx.db, await mustFindImport(ctx.db, importId))
  },

  'imports.cancel': async ({ importId }, ctx) => {
    const r = await mustFindImport(ctx.db, importId)
    mustBe(r, ['uploading', 'uploaded', 'checked', 'importing'])
    await updateImport(ctx.db, importId, { status: 'cancelled', updated_at: ctx.clock.now().toISOString() })
    // a running job ends at its next slice and drops the file then; one never started drops it now
    if (r.status !== 'importing') await deleteChunks(ctx.db, importId)
    ctx.auditTarget(`import:${importId}`)
    return toView(ctx.db, await mustFindImport(ctx.db, importId))
  },

  'imports.errors': async ({ importId }, ctx) => {
    const r = await mustFindImport(ctx.db, importId)
    mustHaveVerdicts(r)
    const file = await errorWorkbook(JSON.parse(r.headers ?? '[]') as string[], await refusedRows(ctx.db, importId))
    await ctx.audit('imports.errors', `import:${importId}`, { rows: JSON.parse(r.counts ?? '{}') as unknown })
    const base = r.file_name.replace(/\.(xlsx|csv|txt)$/i, '')
    return { fileBase64: file.toString('base64'), fileName: `${base}-未导入的行.xlsx` }
  },
}
