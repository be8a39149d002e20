import { z } from 'zod'
import { ApiErrorSchema, Id, IsoTime, Page, type ContractTable } from './common'
import { AnyImportField, ColumnMapping, ImportKind } from '../domain/import-columns'
import { textField } from '../domain/text-kinds'

/** A chunk of the file: base64 under the transport's 1 MiB frame with room for the rest of the call. */
export const MAX_CHUNK_BASE64 = 700_000
/** The largest client list taken (a 100,000-row xlsx is a few MB; a CSV of it ~10 MB). */
export const MAX_IMPORT_BYTES = 48 * 1024 * 1024

export const ImportVerdict = z.enum(['create', 'merge', 'refuse', 'skip'])
export type ImportVerdict = z.infer<typeof ImportVerdict>

/** checking: the dry run is at work (a job: `progress` counts the rows checked so far); it ends checked, or uploaded with `checkError` */
export const ImportStatus = z.enum(['uploading', 'uploaded', 'checking', 'checked', 'importing', 'done', 'cancelled'])

/** Counts of the dry run (what each row would do) and of the import (what it did). */
export const ImportCounts = z.object({
  rows: z.number().int(),
  create: z.number().int(),
  merge: z.number().int(),
  refuse: z.number().int(),
  skip: z.number().int(),
  created: z.number().int(),
  merged: z.number().int(),
})
export type ImportCounts = z.infer<typeof ImportCounts>

/** An import as its manager sees it: the file, the columns and their mapping, the counts, the job. */
export const ImportView = z.object({
  id: Id,
  /** clients, or follow-up history of clients in the book */
  kind: ImportKind,
  fileName: z.string(),
  status: ImportStatus,
  size: z.number().int(),
  /** the header row as read */
  headers: z.array(z.string()),
  mapping: ColumnMapping,
  /** where the mapping came from: remembered for this file layout, guessed from the headers, or set by hand */
  mappingFrom: z.enum(['remembered', 'guessed', 'given']).nullable(),
  counts: ImportCounts.nullable(),
  jobId: Id.nullable(),
  /** rows worked by the import job so far, of the rows to create or merge; while checking, the rows checked so far (total 0: not known before the end of the file) */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  /** why the last dry run stopped before the end of the file (a broken workbook, too many rows); null once a check ends */
  checkError: ApiErrorSchema.nullable(),
  createdAt: IsoTime,
})
export type ImportView = z.infer<typeof ImportView>

/** One row of the dry run: what it would do and why. */
export const ImportRow = z.object({
  rowNo: z.number().int(),
  verdict: ImportVerdict,
  /** refuse: the field at fault; reason: a key the renderer words (import.reason.*) */
  field: AnyImportField.nullable(),
  reason: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  /** the row's name and phone cells as read (a follow-up sheet: the client's name and phone cells) */
  name: z.string(),
  phone: z.string(),
  /** merge: the client in the book with that phone, and its owner; a follow-up row to create: the client it was found to be */
  existing: z.object({ clientId: Id, code: z.string(), name: z.string(), ownerName: z.string().nullable() }).nullable(),
  /** after the import: whether the row was written */
  done: z.boolean(),
})
export type ImportRow = z.infer<typeof ImportRow>

export const importsContract = {
  'imports.upload': {
    input: z.strictObject({
      /** absent on the first chunk: the call starts a new import */
      importId: Id.optional(),
      /** what the file holds, said on the first chunk (clients when absent) */
      kind: ImportKind.optional(),
      fileName: textField('line', 200, 1),
      chunkBase64: z.string().max(MAX_CHUNK_BASE64),
      /** true on the last chunk: the file is then complete and can be checked */
      last: z.boolean(),
    }),
    output: z.object({ importId: Id, size: z.number().int(), status: ImportStatus }),
    write: true,
    summary: 'Uploads a client list or a follow-up history sheet (xlsx or CSV) in chunks into the encrypted database (managers and admins).',
  },
  'imports.check': {
    input: z.strictObject({ importId: Id, /** absent: the mapping remembered for this file layout, else the one guessed from its headers */ mapping: ColumnMapping.optional() }),
    output: ImportView,
    write: true,
    summary:
      'Dry run: reads the header row and starts a job that reads every row and says what it would do (create, merge with the client holding that phone, refuse and why, or skip a row already imported or already recorded); answers at once with status checking (imports.get follows it to checked, or to uploaded with checkError); remembers the mapping for the file layout.',
  },
  'imports.rows': {
    input: z.strictObject({ importId: Id, verdict: ImportVerdict, offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(200).default(50) }),
    output: Page(ImportRow),
    write: false,
    summary: 'The dry run rows of one verdict, in file order, paged (once the dry run has ended).',
  },
  'imports.get': {
    input: z.strictObject({ importId: Id }),
    output: ImportView,
    write: false,
    summary: 'One import: its mapping, counts and the progress of its job.',
  },
  'imports.start': {
    input: z.strictObject({ importId: Id }),
    output: ImportView,
    write: true,
    summary: 'Imports the checked rows as a job in slices (each slice a transaction of whole rows).',
  },
  'imports.cancel': {
    input: z.strictObject({ importId: Id }),
    output: ImportView,
    write: true,
    summary: 'Stops an import after the slice in hand: the rows already written stay, whole; none is half written.',
  },
  'imports.errors': {
    input: z.strictObject({ importId: Id }),
    output: z.object({ fileBase64: z.string(), fileName: z.string() }),
    write: false,
    summary: 'The refused rows as an xlsx workbook: the original cells and a reason column.',
  },
} as const satisfies ContractTable
