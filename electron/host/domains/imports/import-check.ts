import type { Insertable, Kysely } from 'kysely'
import type { ImportCounts } from '@shared/contract/imports'
import { ColumnMapping, guessMapping, headerSignature, mappingProblem, type ImportKind } from '@shared/domain/import-columns'
import { checkImportRow, type RowCheck } from '@shared/domain/import-row'
import { normalizeText } from '@shared/domain/text-kinds'
import { branchDay } from '@shared/domain/rules'
import { ApiFailure } from '../../api/api-failure'
import type { ClientImportRowsTable, DB } from '../../db/schema'
import { holdersOfPhones, ownerCandidates, rememberedMapping, importedRows } from './imports.repository'
import { followUpJudge } from './follow-up-import-check'
import { sheetRows } from './sheet-rows'

/** Rows looked up against the book together (one query for their phones). */
const LOOKUP_BATCH = 500
/** Data rows a file may have: a branch's book is far smaller; more is a wrong file. */
const MAX_ROWS = 200_000

export interface CheckedFile {
  headers: string[]
  mapping: ColumnMapping
  mappingFrom: 'remembered' | 'guessed' | 'given'
  signature: string
  rows: Array<Insertable<ClientImportRowsTable>>
  counts: ImportCounts
}

/** Finds an owner by the name in the 经纪人 column: a unique staff name, or a sign-in name. */
async function ownerFinder(db: Kysely<DB>): Promise<(name: string) => number | undefined> {
  const byName = new Map<string, number | null>()
  const byUsername = new Map<string, number>()
  for (const s of await ownerCandidates(db)) {
    const key = normalizeText('name', s.name)
    // two colleagues of one name: the row must use the sign-in name
    byName.set(key, byName.has(key) ? null : s.id)
    byUsername.set(s.username.toLowerCase(), s.id)
  }
  return (name) => byName.get(name) ?? byUsername.get(name.toLowerCase())
}

/** Judges a file's data rows for one kind of import: each row in, the verdicts out (rows and counts). */
export interface RowJudge {
  row(rowNo: number, raw: string, cells: readonly string[]): Promise<void>
  finish(): Promise<void>
}

/** What a kind of import needs to judge rows: the database, the mapping, the dry run's shared outputs. */
export interface JudgeEnv {
  db: Kysely<DB>
  importId: number
  fileHash: string
  mapping: ColumnMapping
  now: Date
  rows: CheckedFile['rows']
  counts: ImportCounts
}

/**
 * A client list's rows: refuse (the field and why), skip (an earlier import of this very file
 * wrote the row), merge (the phone is already in the book: that client) or create. A phone seen on
 * an earlier row of the file refuses the later row.
 */
async function clientJudge(env: JudgeEnv): Promise<RowJudge> {
  const { db, importId, rows, counts } = env
  const ownerOf = await ownerFinder(db)
  const before = await importedRows(db, env.fileHash, { exceptImportId: importId })
  const today = branchDay(env.now)
  const firstRowOfPhone = new Map<string, number>()
  let batch: Array<{ rowNo: number; raw: string; check: RowCheck }> = []

  const flush = async () => {
    const e164s = batch.flatMap((b) => (b.check.ok ? b.check.value.phones.map((p) => p.e164) : []))
    const holders = new Map((await holdersOfPhones(db, e164s)).map((h) => [h.e164, h.id]))
    for (const b of batch) {
      const base = { import_id: importId, row_no: b.rowNo, raw: b.raw }
      if (!b.check.ok) {
        const { field, reason, params } = b.check.refusal
        rows.push({ ...base, verdict: 'refuse', field, reason, params: params ? JSON.stringify(params) : null, value: '{}' })
        counts.refuse++
        continue
      }
      const v = b.check.value
      const e164 = v.phones[0]!.e164
      const holder = v.phones.map((p) => holders.get(p.e164)).find((id) => id !== undefined)
      if (holder !== undefined) counts.merge++
      else counts.create++
      rows.push({ ...base, verdict: holder !== undefined ? 'merge' : 'create', e164, value: JSON.stringify(v), client_id: holder ?? null })
    }
    batch = []
  }

  return {
    async row(rowNo, raw, cells) {
      let check = checkImportRow(cells, env.mapping, today, ownerOf)
      if (before.has(rowNo)) {
        // its phones still count: a later row of the file with one of them is a duplicate, as it was the first time
        if (check.ok) for (const p of check.value.phones) if (!firstRowOfPhone.has(p.e164)) firstRowOfPhone.set(p.e164, rowNo)
        rows.push({ import_id: importId, row_no: rowNo, verdict: 'skip', reason: 'already_imported', raw, value: '{}' })
        counts.skip++
        return
      }
      if (check.ok) {
        const seen = check.value.phones.map((p) => firstRowOfPhone.get(p.e164)).find((r) => r !== undefined)
        if (seen !== undefined) check = { ok: false, refusal: { field: 'phone', reason: 'duplicate_in_file', params: { row: seen } } }
        else for (const p of check.value.phones) firstRowOfPhone.set(p.e164, rowNo)
      }
      batch.push({ rowNo, raw, check })
      if (batch.length >= LOOKUP_BATCH) await flush()
    },
    finish: flush,
  }
}

/**
 * The dry run of an uploaded file: the header row (the first row with text), the mapping (given,
 * else remembered for this layout, else guessed) and every data row's verdict, judged by the
 * import's kind (clients: clientJudge; follow-up history: followUpJudge). Reads the database
 * outside any transaction; writes nothing.
 */
export async function checkImportFile(db: Kysely<DB>, importId: number, kind: ImportKind, file: Buffer, fileHash: string, given: ColumnMapping | undefined, now: Date): Promise<CheckedFile> {
  let headers: string[] | null = null
  let mapping: ColumnMapping = {}
  let mappingFrom: CheckedFile['mappingFrom'] = 'guessed'
  let signature = ''
  const rows: CheckedFile['rows'] = []
  const counts: ImportCounts = { rows: 0, create: 0, merge: 0, refuse: 0, skip: 0, created: 0, merged: 0 }
  let judge: RowJudge | null = null

  for await (const { rowNo, cells } of sheetRows(file)) {
    if (cells.every((c) => c === '')) continue
    if (!headers) {
      headers = cells
      signature = headerSignature(headers, kind)
      const remembered = given ? undefined : await rememberedMapping(db, signature)
      const parsed = remembered ? ColumnMapping.safeParse(JSON.parse(remembered)) : null
      mapping = given ?? (parsed?.success ? parsed.data : guessMapping(headers, kind))
      mappingFrom = given ? 'given' : parsed?.success ? 'remembered' : 'guessed'
      for (const col of Object.keys(mapping)) {
        if (Number(col) >= headers.length) throw new ApiFailure('VALIDATION', `column ${Number(col) + 1} is not in the file`, 'mapping', 'no_such_column', { column: Number(col) + 1 })
      }
      const problem = mappingProblem(mapping, kind)
      // a file whose headers name no name or phone column is still answered: the user maps them by hand
      if (problem && given) throw new ApiFailure('VALIDATION', `${problem.field}: ${problem.reason}`, 'mapping', problem.reason, { field: problem.field })
      if (problem) return { headers, mapping, mappingFrom, signature, rows: [], counts }
      const env: JudgeEnv = { db, importId, fileHash, mapping, now, rows, counts }
      judge = kind === 'clients' ? await clientJudge(env) : await followUpJudge(env)
      continue
    }
    counts.rows++
    if (counts.rows > MAX_ROWS) throw new ApiFailure('VALIDATION', `more than ${MAX_ROWS} rows`, 'fileBase64', 'too_many_rows', { maximum: MAX_ROWS })
    await judge!.row(rowNo, JSON.stringify(headers.map((_, i) => cells[i] ?? '')), cells)
  }
  await judge?.finish()
  if (!headers) throw new ApiFailure('VALIDATION', 'the file has no rows', 'fileBase64', 'empty')
  return { headers, mapping, mappingFrom, signature, rows, counts }
}
