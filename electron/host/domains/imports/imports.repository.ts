import { sql, type Insertable, type Kysely, type Selectable } from 'kysely'
import type { ImportKind } from '@shared/domain/import-columns'
import type { ClientImportRowsTable, ClientImportsTable, ClientsTable, DB } from '../../db/schema'
import { jsonRows, jsonValues, type JsonCell } from '../../db/sqlite-sql'
import { TERM_TABLES, termTableOf } from '../clients/search-fields'

export type ImportRecord = Selectable<ClientImportsTable>
export type ImportRowRecord = Selectable<ClientImportRowsTable>

/** A new import, uploading its first chunk. */
export async function insertImport(db: Kysely<DB>, r: { kind: ImportKind; fileName: string; createdBy: number; at: string }): Promise<number> {
  const row = await db
    .insertInto('client_imports')
    .values({ kind: r.kind, file_name: r.fileName, created_by: r.createdBy, created_at: r.at, updated_at: r.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function findImport(db: Kysely<DB>, id: number): Promise<ImportRecord | undefined> {
  return db.selectFrom('client_imports').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function updateImport(db: Kysely<DB>, id: number, cols: Partial<Omit<ImportRecord, 'id'>>): Promise<void> {
  await db.updateTable('client_imports').set(cols).where('id', '=', id).execute()
}

/** Appends a chunk of the file; returns the size so far. */
export async function appendChunk(db: Kysely<DB>, importId: number, data: Buffer): Promise<number> {
  const next = await db
    .selectFrom('client_import_chunks')
    .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), sql<number>`-1`).as('seq'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow()
  await db.insertInto('client_import_chunks').values({ import_id: importId, seq: Number(next.seq) + 1, data }).execute()
  await db
    .updateTable('client_imports')
    .set((eb) => ({ size: eb('size', '+', data.length) }))
    .where('id', '=', importId)
    .execute()
  return (await db.selectFrom('client_imports').select('size').where('id', '=', importId).executeTakeFirstOrThrow()).size
}

/** The uploaded file, its chunks joined. */
export async function fileOf(db: Kysely<DB>, importId: number): Promise<Buffer> {
  const chunks = await db.selectFrom('client_import_chunks').select('data').where('import_id', '=', importId).orderBy('seq').execute()
  return Buffer.concat(chunks.map((c) => c.data))
}

export async function rememberedMapping(db: Kysely<DB>, signature: string): Promise<string | undefined> {
  return (await db.selectFrom('client_import_mappings').select('mapping').where('signature', '=', signature).executeTakeFirst())?.mapping
}

export async function rememberMapping(db: Kysely<DB>, signature: string, mapping: string, at: string): Promise<void> {
  await db
    .insertInto('client_import_mappings')
    .values({ signature, mapping, updated_at: at })
    .onConflict((oc) => oc.column('signature').doUpdateSet({ mapping, updated_at: at }))
    .execute()
}

/** Active staff who can own clients, by name and by sign-in name (the 经纪人 column names one or the other). */
export async function ownerCandidates(db: Kysely<DB>) {
  return db.selectFrom('staff').select(['id', 'name', 'username']).where('active', '=', 1).where('role', 'in', ['agent', 'senior_agent', 'manager']).execute()
}

/** Live clients holding these phones: who they are and who owns them. */
export async function holdersOfPhones(db: Kysely<DB>, e164s: readonly string[]) {
  if (e164s.length === 0) return []
  return db
    .selectFrom('client_phones as p')
    .innerJoin('clients as c', 'c.id', 'p.client_id')
    .select(['p.e164', 'c.id'])
    .where('p.e164', 'in', jsonValues(e164s))
    .where('c.merged_into', 'is', null)
    .execute()
}

/**
 * Row numbers of this file (by its hash) that an import already wrote: by any import (a resumed
 * job skips its own earlier slices), or by any but `exceptImportId` (a dry run of a file imported
 * before); only among `rowNos` when given (a slice's rows).
 */
export async function importedRows(db: Kysely<DB>, fileHash: string, opts: { exceptImportId?: number; rowNos?: readonly number[] } = {}): Promise<Set<number>> {
  if (opts.rowNos?.length === 0) return new Set()
  let q = db.selectFrom('client_origins as o').innerJoin('client_imports as i', 'i.id', 'o.import_id').select('o.row_no').where('i.file_hash', '=', fileHash)
  if (opts.exceptImportId !== undefined) q = q.where('i.id', '!=', opts.exceptImportId)
  if (opts.rowNos) q = q.where('o.row_no', 'in', jsonValues(opts.rowNos))
  return new Set((await q.execute()).map((r) => r.row_no))
}

/** Stores a batch of a dry run's verdicts (one statement; a few MB of JSON at most: each row carries the row as read). */
export async function insertImportRows(db: Kysely<DB>, rows: ReadonlyArray<Insertable<ClientImportRowsTable>>): Promise<void> {
  await insertAll(db, 'client_import_rows', rows)
}

/**
 * Removes up to `limit` of an import's verdicts, first rows first (a check clears those of the
 * last one a slice at a time); returns how many went.
 */
export async function deleteImportRows(db: Kysely<DB>, importId: number, limit: number): Promise<number> {
  const r = await db
    .deleteFrom('client_import_rows')
    .where('import_id', '=', importId)
    .where('row_no', 'in', (eb) => eb.selectFrom('client_import_rows').select('row_no').where('import_id', '=', importId).orderBy('row_no').limit(limit))
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

/** Dry run rows of one verdict, in file order, with the client a merge names. */
export async function importRowsPage(db: Kysely<DB>, importId: number, verdict: ClientImportRowsTable['verdict'], offset: number, limit: number) {
  const rows = await db
    .selectFrom('client_import_rows as r')
    .leftJoin('clients as c', 'c.id', 'r.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select(['r.row_no', 'r.verdict', 'r.field', 'r.reason', 'r.params', 'r.raw', 'r.value', 'r.done', 'c.id as client_id', 'c.code as client_code', 'c.name as client_name', 'o.name as owner_name'])
    .where('r.import_id', '=', importId)
    .where('r.verdict', '=', verdict)
    .orderBy('r.row_no')
    .offset(offset)
    .limit(limit)
    .execute()
  const total = await db
    .selectFrom('client_import_rows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', importId)
    .where('verdict', '=', verdict)
    .executeTakeFirstOrThrow()
  return { rows, total: total.n }
}

/** The refused rows, in file order (for the error workbook). */
export async function refusedRows(db: Kysely<DB>, importId: number) {
  return db.selectFrom('client_import_rows').select(['row_no', 'field', 'reason', 'params', 'raw']).where('import_id', '=', importId).where('verdict', '=', 'refuse').orderBy('row_no').execute()
}

/** The next rows to write after `afterRow`: those to create or merge, not yet done. */
export async function pendingRows(db: Kysely<DB>, importId: number, afterRow: number, limit: number) {
  return db
    .selectFrom('client_import_rows')
    .select(['row_no', 'verdict', 'value', 'raw', 'e164'])
    .where('import_id', '=', importId)
    .where('row_no', '>', afterRow)
    .where('verdict', 'in', ['create', 'merge'])
    .where('done', '=', 0)
    .orderBy('row_no')
    .limit(limit)
    .execute()
}

/** The fields of a client a merge may fill where they are blank. */
export async function clientForMerge(db: Kysely<DB>, id: number) {
  return db
    .selectFrom('clients')
    .select(['id', 'gender', 'age', 'birth_date', 'region', 'community', 'address', 'email', 'native_place', 'industry', 'employer', 'job_title', 'demand_type', 'wealth_tier'])
    .where('id', '=', id)
    .where('merged_into', 'is', null)
    .executeTakeFirst()
}

export async function phoneCount(db: Kysely<DB>, clientId: number): Promise<number> {
  return (await db.selectFrom('client_phones').select((eb) => eb.fn.countAll<number>().as('n')).where('client_id', '=', clientId).executeTakeFirstOrThrow()).n
}

export async function addPhone(db: Kysely<DB>, clientId: number, p: { e164: string; digits: string; display: string; kind: string }, position: number): Promise<void> {
  await db.insertInto('client_phones').values({ client_id: clientId, ...p, label: null, position }).execute()
}

/** Reserves `n` client codes at once (the same counter and form as clients.repository's nextClientCode). */
export async function reserveClientCodes(db: Kysely<DB>, n: number): Promise<string[]> {
  const r = await db
    .insertInto('counters')
    .values({ name: 'client_code', value: n })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', n) })))
    .returning('value')
    .executeTakeFirstOrThrow()
  return Array.from({ length: n }, (_, i) => `KY${String(r.value - n + 1 + i).padStart(6, '0')}`)
}

/** The tables the import writes in batches. */
type BatchTable = 'clients' | 'client_phones' | 'search_terms' | 'search_inner' | 'client_origins' | 'client_import_rows' | 'follow_ups'

/**
 * The columns of a batch (every column any row names) and each row's values in that order, a
 * column a row leaves out being NULL (as a multi-row VALUES has it on SQLite).
 */
function batchOf<T extends BatchTable>(rows: ReadonlyArray<Insertable<DB[T]>>): { columns: string[]; values: JsonCell[][] } {
  const columns: string[] = []
  const seen = new Set<string>()
  for (const r of rows) {
    for (const c in r) {
      if (seen.has(c)) continue
      seen.add(c)
      columns.push(c)
    }
  }
  const values = rows.map((r) => columns.map((c) => (r as Record<string, JsonCell | undefined>)[c] ?? null))
  return { columns, values }
}

/** The insert of a batch of rows in one statement, the rows as one JSON value (jsonRows). */
function batchInsert<T extends BatchTable>(db: Kysely<DB>, table: T, rows: ReadonlyArray<Insertable<DB[T]>>) {
  const { columns, values } = batchOf(rows)
  return db
    .insertInto(table)
    .columns(columns as never)
    .expression(jsonRows(columns, values) as never)
}

async function insertAll<T extends BatchTable>(db: Kysely<DB>, table: T, rows: ReadonlyArray<Insertable<DB[T]>>): Promise<void> {
  if (rows.length > 0) await batchInsert(db, table, rows).execute()
}

/** Inserts new clients (one statement); returns their ids by code. */
export async function insertClients(db: Kysely<DB>, rows: ReadonlyArray<Insertable<ClientsTable>>): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map()
  const back = await batchInsert(db, 'clients', rows).returning(['id', 'code']).execute()
  return new Map(back.map((b) => [b.code, b.id]))
}

export async function insertPhones(db: Kysely<DB>, rows: ReadonlyArray<Insertable<DB['client_phones']>>): Promise<void> {
  await insertAll(db, 'client_phones', rows)
}

/** Search terms, each into its table (termTableOf: the whole fields' or the inner parts'). */
export async function insertSearchTerms(db: Kysely<DB>, rows: ReadonlyArray<Insertable<DB['search_terms']>>): Promise<void> {
  for (const table of TERM_TABLES) await insertAll(db, table, rows.filter((r) => termTableOf(r.pos) === table))
}

export async function insertOrigins(db: Kysely<DB>, rows: ReadonlyArray<Insertable<DB['client_origins']>>): Promise<void> {
  await insertAll(db, 'client_origins', rows)
}

/** Marks rows done with the client each wrote (read from its origin, written in the same slice). */
export async function markRowsDone(db: Kysely<DB>, importId: number, rowNos: readonly number[]): Promise<void> {
  if (rowNos.length === 0) return
  await db
    .updateTable('client_import_rows as r')
    .set((eb) => ({
      done: 1,
      client_id: eb.selectFrom('client_origins as o').select('o.client_id').whereRef('o.import_id', '=', 'r.import_id').whereRef('o.row_no', '=', 'r.row_no'),
    }))
    .where('r.import_id', '=', importId)
    .where('r.row_no', 'in', jsonValues(rowNos))
    .execute()
}

/** Drops the uploaded file once its import is over (its rows as read stay, with their verdicts and origins). */
export async function deleteChunks(db: Kysely<DB>, importId: number): Promise<void> {
  await db.deleteFrom('client_import_chunks').where('import_id', '=', importId).execute()
}

/** Everyone who ever worked at the branch, departed too (a follow-up sheet's 跟进人 may have left since). */
export async function staffCandidates(db: Kysely<DB>) {
  return db.selectFrom('staff').select(['id', 'name', 'username', 'active']).execute()
}

/**
 * A list of values as a table `k` of one column `value` (one JSON value bound), to read first: a
 * CROSS JOIN keeps it the outer loop, so each value is one index seek of the table joined. Joined
 * plainly, the planner (without statistics, as on a new book) walked every live client by
 * clients_live for each batch of values: a dry run of 100,000 follow-ups went through the book
 * 200 times (docs/performance.md, "The dry run in the background").
 */
function valuesTable(values: readonly string[]) {
  return sql<{ value: string }>`(${jsonRows(['value'], values.map((v) => [v]))})`.as('k')
}

/** Live clients by 客户编号 (the code's unique index, a seek a code). */
export async function clientsByCodes(db: Kysely<DB>, codes: readonly string[]) {
  if (codes.length === 0) return []
  return db.selectFrom(valuesTable(codes)).crossJoin('clients as c').select(['c.id', 'c.code', 'c.name']).whereRef('c.code', '=', 'k.value').where('c.merged_into', 'is', null).execute()
}

/** Live clients holding these phones, with their code and name (client_phones' e164 index, a seek a phone). */
export async function clientsByPhones(db: Kysely<DB>, e164s: readonly string[]) {
  if (e164s.length === 0) return []
  return db
    .selectFrom(valuesTable(e164s))
    .crossJoin('client_phones as p')
    .innerJoin('clients as c', 'c.id', 'p.client_id')
    .select(['p.e164', 'c.id', 'c.code', 'c.name'])
    .whereRef('p.e164', '=', 'k.value')
    .where('c.merged_into', 'is', null)
    .execute()
}

/** Live clients of these exact names (clients_name index, a seek a name): a name may belong to several. */
export async function clientsByNames(db: Kysely<DB>, names: readonly string[]) {
  if (names.length === 0) return []
  return db.selectFrom(valuesTable(names)).crossJoin('clients as c').select(['c.id', 'c.code', 'c.name']).whereRef('c.name', '=', 'k.value').where('c.merged_into', 'is', null).execute()
}

/** The key a follow-up is told apart by: the same client, time and words are the same contact. */
export function followUpKey(clientId: number, at: string, content: string): string {
  return `${clientId}|${at}|${content}`
}

/**
 * Keys (followUpKey) of the follow-ups already in the book at these clients and times: one
 * statement, the pairs as one JSON value read first (CROSS JOIN keeps that order), each looked up
 * in follow_ups_client.
 */
export async function recordedFollowUps(db: Kysely<DB>, pairs: ReadonlyArray<{ clientId: number; at: string }>): Promise<Set<string>> {
  if (pairs.length === 0) return new Set()
  const rows = await db
    .selectFrom(sql<{ client_id: number; at: string }>`(${jsonRows(['client_id', 'at'], pairs.map((p) => [p.clientId, p.at]))})`.as('k'))
    .crossJoin('follow_ups as f')
    .select(['f.client_id', 'f.created_at', 'f.content'])
    .whereRef('f.client_id', '=', 'k.client_id')
    .whereRef('f.created_at', '=', 'k.at')
    .execute()
  return new Set(rows.map((r) => followUpKey(r.client_id, r.created_at, r.content)))
}

/** Writes imported follow-ups (each names its import and row). */
export async function insertImportedFollowUps(db: Kysely<DB>, rows: ReadonlyArray<Insertable<DB['follow_ups']>>): Promise<void> {
  await insertAll(db, 'follow_ups', rows)
}

/**
 * Moves each client's last contact forward to its `at` when that is newer; never backwards (history
 * older than the last contact in the book changes nothing). One statement for the lot; a client
 * appears once.
 */
export async function moveLastContactsForward(db: Kysely<DB>, contacts: ReadonlyMap<number, string>, updatedAt: string): Promise<void> {
  if (contacts.size === 0) return
  await db
    .updateTable('clients')
    .from(sql<{ id: number; at: string }>`(${jsonRows(['id', 'at'], [...contacts])})`.as('n'))
    .set((eb) => ({
      last_follow_up_at: eb.ref('n.at'),
      last_activity_at: eb.fn<string>('max', [eb.fn.coalesce('clients.last_activity_at', eb.val('')), eb.ref('n.at')]),
      updated_at: updatedAt,
    }))
    .whereRef('clients.id', '=', 'n.id')
    .where((eb) => eb.or([eb('clients.last_follow_up_at', 'is', null), eb('clients.last_follow_up_at', '<', eb.ref('n.at'))]))
    .execute()
}

/** Marks follow-up rows done (the follow-up names its row; the row keeps the client it was found to be). */
export async function markFollowUpRowsDone(db: Kysely<DB>, importId: number, rowNos: readonly number[]): Promise<void> {
  if (rowNos.length === 0) return
  await db.updateTable('client_import_rows').set({ done: 1 }).where('import_id', '=', importId).where('row_no', 'in', jsonValues(rowNos)).execute()
}
