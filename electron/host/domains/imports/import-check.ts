import type { Insertable, Kysely } from 'kysely'
import type { ImportCounts } from '@shared/contract/imports'
import { ColumnMapping, guessMapping, headerSignature, mappingProblem, type ImportKind } from '@shared/domain/import-columns'
import type { RowCheck } from '@shared/domain/import-row'
import { ApiFailure } from '../../api/api-failure'
import type { ClientImportRowsTable, DB } from '../../db/schema'
import type { CheckedClientRow } from './check-thread-protocol'
import { holdersOfPhones, importedRows, rememberedMapping } from './imports.repository'
import { sheetRows } from './sheet-rows'

/** One row's verdict as stored (client_import_rows). */
export type Verdict = Insertable<ClientImportRowsTable>

/** What a dry run reads of a file before its rows: the header row and the mapping of its columns. */
export interface CheckPlan {
  headers: string[]
  mapping: ColumnMapping
  mappingFrom: 'remembered' | 'guessed' | 'given'
  signature: string
  /**
   * the headers name no name or phone column (nor was a mapping given): the file is answered with
   * its headers and no row judged, so the user maps the columns by hand
   */
  unmapped: boolean
}

/**
 * The header row of an uploaded file (the first row with text) and the mapping of its columns:
 * given, else remembered for this layout, else guessed. A wrong file, a mapping naming a column
 * the file lacks or a given mapping that cannot import are refused here, before any row is judged.
 */
export async function readHeader(db: Kysely<DB>, kind: ImportKind, file: Buffer, given: ColumnMapping | undefined): Promise<CheckPlan> {
  let headers: string[] | null = null
  for await (const { cells } of sheetRows(file)) {
    if (cells.every((c) => c === '')) continue
    headers = cells
    break
  }
  if (!headers) throw new ApiFailure('VALIDATION', 'the file has no rows', 'fileBase64', 'empty')
  const signature = headerSignature(headers, kind)
  const remembered = given ? undefined : await rememberedMapping(db, signature)
  const parsed = remembered ? ColumnMapping.safeParse(JSON.parse(remembered)) : null
  const mapping = given ?? (parsed?.success ? parsed.data : guessMapping(headers, kind))
  const mappingFrom = given ? 'given' : parsed?.success ? 'remembered' : 'guessed'
  for (const col of Object.keys(mapping)) {
    if (Number(col) >= headers.length) throw new ApiFailure('VALIDATION', `column ${Number(col) + 1} is not in the file`, 'mapping', 'no_such_column', { column: Number(col) + 1 })
  }
  const problem = mappingProblem(mapping, kind)
  if (problem && given) throw new ApiFailure('VALIDATION', `${problem.field}: ${problem.reason}`, 'mapping', problem.reason, { field: problem.field })
  return { headers, mapping, mappingFrom, signature, unmapped: problem !== null }
}

/** Judges the rows the check thread checked, a batch at a time in file order: their verdicts, the counts kept up. */
export type RowJudge<R> = (db: Kysely<DB>, rows: readonly R[]) => Promise<Verdict[]>

/** Counts of a dry run before its first row. */
export function noCounts(): ImportCounts {
  return { rows: 0, create: 0, merge: 0, refuse: 0, skip: 0, created: 0, merged: 0 }
}

/**
 * A client list's rows: refuse (the field and why), skip (an earlier import of this very file
 * wrote the row), merge (the phone is already in the book: that client) or create. A phone seen on
 * an earlier row of the file refuses the later row: the judge keeps each phone's first row (a
 * phone and a number a row, never the rows themselves).
 */
export async function clientJudge(db: Kysely<DB>, importId: number, fileHash: string, counts: ImportCounts): Promise<RowJudge<CheckedClientRow>> {
  const before = await importedRows(db, fileHash, { exceptImportId: importId })
  const firstRowOfPhone = new Map<string, number>()

  return async (trx, rows) => {
    const out: Verdict[] = []
    const judged: Array<{ row: CheckedClientRow; check: RowCheck }> = []
    for (const row of rows) {
      let check = row.check
      if (before.has(row.rowNo)) {
        // its phones still count: a later row of the file with one of them is a duplicate, as it was the first time
        if (check.ok) for (const p of check.value.phones) if (!firstRowOfPhone.has(p.e164)) firstRowOfPhone.set(p.e164, row.rowNo)
        out.push({ import_id: importId, row_no: row.rowNo, verdict: 'skip', reason: 'already_imported', raw: row.raw, value: '{}' })
        counts.skip++
        continue
      }
      if (check.ok) {
        const seen = check.value.phones.map((p) => firstRowOfPhone.get(p.e164)).find((r) => r !== undefined)
        if (seen !== undefined) check = { ok: false, refusal: { field: 'phone', reason: 'duplicate_in_file', params: { row: seen } } }
        else for (const p of check.value.phones) firstRowOfPhone.set(p.e164, row.rowNo)
      }
      judged.push({ row, check })
    }
    const e164s = judged.flatMap((j) => (j.check.ok ? j.check.value.phones.map((p) => p.e164) : []))
    const holders = new Map((await holdersOfPhones(trx, e164s)).map((h) => [h.e164, h.id]))
    for (const { row, check } of judged) {
      const base = { import_id: importId, row_no: row.rowNo, raw: row.raw }
      if (!check.ok) {
        const { field, reason, params } = check.refusal
        out.push({ ...base, verdict: 'refuse', field, reason, params: params ? JSON.stringify(params) : null, value: '{}' })
        counts.refuse++
        continue
      }
      const v = check.value
      const holder = v.phones.map((p) => holders.get(p.e164)).find((id) => id !== undefined)
      if (holder !== undefined) counts.merge++
      else counts.create++
      out.push({ ...base, verdict: holder !== undefined ? 'merge' : 'create', e164: v.phones[0]!.e164, value: row.valueJson ?? JSON.stringify(v), client_id: holder ?? null })
    }
    // verdicts in file order (a skipped row was pushed before the rows judged beside it)
    return out.sort((a, b) => a.row_no - b.row_no)
  }
}
