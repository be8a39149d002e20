import type { Kysely, Updateable } from 'kysely'
import { z } from 'zod'
import { completeness } from '@shared/domain/completeness'
import type { ImportedClient } from '@shared/domain/import-row'
import type { ClientsTable, DB } from '../../db/schema'
import { BULK_IDLE_SLICE_MS, type JobKind } from '../../jobs/job-kind'
import { refreshDerived } from '../clients/client-derived'
import { updateClient } from '../clients/clients.repository'
import { codeTerms, termsBesideCode, type SearchTerm } from '../clients/search-terms'
import {
  addPhone,
  clientForMerge,
  holdersOfPhones,
  insertClients,
  insertOrigins,
  insertPhones,
  insertSearchTerms,
  markRowsDone,
  phoneCount,
  reserveClientCodes,
  importedRows,
  pendingValuesAhead,
} from './imports.repository'
import { auditImportRows, importSlice, MAX_SLICE } from './import-slices'

/** A client holds at most this many phones (the client contract's limit). */
const MAX_PHONES = 5

const ImportParams = z.object({ importId: z.number().int(), staffId: z.number().int(), staffName: z.string(), fileHash: z.string() })
const ImportCursor = z.object({ lastRow: z.number().int(), created: z.number().int(), merged: z.number().int(), skipped: z.number().int() })
type ImportParams = z.infer<typeof ImportParams>
type ImportCursor = z.infer<typeof ImportCursor>

/** The profile columns a merge fills where the client in the book has nothing. */
const MERGE_FILLS: ReadonlyArray<[keyof ImportedClient, keyof ClientsTable]> = [
  ['gender', 'gender'],
  ['age', 'age'],
  ['birthDate', 'birth_date'],
  ['region', 'region'],
  ['community', 'community'],
  ['address', 'address'],
  ['email', 'email'],
  ['nativePlace', 'native_place'],
  ['industry', 'industry'],
  ['employer', 'employer'],
  ['jobTitle', 'job_title'],
  ['demandType', 'demand_type'],
  ['wealthTier', 'wealth_tier'],
]

/** The values completeness looks at, for a client made from a row (as completenessValues reads a stored one). */
function completenessOf(v: ImportedClient): number {
  return completeness({
    kind: 'person',
    tier: v.tier,
    values: {
      name: v.name,
      phones: 1,
      sourceChannel: v.sourceChannel,
      region: v.region,
      demandType: v.demandType,
      gender: v.gender,
      age: v.age,
      address: v.address,
      employer: v.employer,
      industry: v.industry,
      wealthTier: v.wealthTier,
      community: v.community,
    },
  }).score
}

/**
 * What a row's value gives before any slice takes the writer: the value parsed, and for a create
 * its completeness and its search terms but the code's (the slice reserves the code). Made from
 * `value` alone, so it holds as long as the stored value is this same text.
 */
interface ReadyRow {
  value: string
  v: ImportedClient
  completeness: number
  terms: SearchTerm[]
}

function readyRow(value: string): ReadyRow {
  const v = JSON.parse(value) as ImportedClient
  return { value, v, completeness: completenessOf(v), terms: termsBesideCode({ name: v.name, phoneDigits: v.phones.map((ph) => ph.digits) }) }
}

/** Rows made ready ahead for the next slice of one import, by row number (importJob.prepare). */
export interface PreparedRows {
  importId: number
  rows: ReadonlyMap<number, ReadyRow>
}

/** Rows readied a batch at a time, the event loop free between batches (people's calls are answered meanwhile). */
const READY_BATCH = 100

/**
 * New clients from rows, a few statements for the lot: codes reserved at once, the clients, their
 * phones, search terms (name, pinyin, phones, code) and derived columns written in batches.
 */
async function createClients(db: Kysely<DB>, rows: ReadonlyArray<{ rowNo: number; r: ReadyRow }>, p: ImportParams, at: string): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map()
  const codes = await reserveClientCodes(db, rows.length)
  const ids = await insertClients(
    db,
    rows.map(({ r: { v, completeness } }, i) => ({
      code: codes[i]!,
      kind: 'person',
      name: v.name,
      gender: v.gender,
      age: v.age,
      birth_date: v.birthDate,
      birth_md: v.birthDate ? v.birthDate.slice(5) : null,
      address: v.address,
      email: v.email,
      native_place: v.nativePlace,
      industry: v.industry,
      employer: v.employer,
      job_title: v.jobTitle,
      source_channel: v.sourceChannel,
      tier: v.tier,
      stage: v.stage,
      demand_type: v.demandType,
      wealth_tier: v.wealthTier,
      region: v.region,
      community: v.community,
      owner_id: v.ownerId,
      // a client the sheet gives no agent goes to the public pool, where any agent may claim them
      pooled_at: v.ownerId === null ? at : null,
      completeness,
      primary_phone: v.phones[0]?.display ?? null,
      created_by: p.staffId,
      created_at: at,
      updated_at: at,
      last_activity_at: at,
      stage_changed_at: at,
      data_origin: 'external',
    })),
  )
  const byRow = new Map(rows.map(({ rowNo }, i) => [rowNo, ids.get(codes[i]!)!]))
  await insertPhones(
    db,
    rows.flatMap(({ rowNo, r: { v } }) => v.phones.map((ph, position) => ({ client_id: byRow.get(rowNo)!, e164: ph.e164, digits: ph.digits, display: ph.display, kind: ph.kind, label: null, position }))),
  )
  await insertSearchTerms(
    db,
    rows.flatMap(({ rowNo, r }, i) => [...r.terms, ...codeTerms(codes[i]!)].map((t) => ({ term: t.term, client_id: byRow.get(rowNo)!, field: t.field, pos: t.pos }))),
  )
  return byRow
}

/**
 * Merge rule: the client in the book keeps its owner, name, tier, stage and every field it already
 * has; the row fills only what is blank there, and adds its second phone when nobody holds it.
 */
async function mergeInto(db: Kysely<DB>, clientId: number, v: ImportedClient, at: string): Promise<boolean> {
  const current = await clientForMerge(db, clientId)
  if (!current) return false
  const fills: Updateable<ClientsTable> = {}
  for (const [field, col] of MERGE_FILLS) {
    const value = v[field]
    if (value !== null && current[col as keyof typeof current] === null) Object.assign(fills, { [col]: value })
  }
  if (fills.birth_date) fills.birth_md = fills.birth_date.slice(5)
  const held = new Set((await holdersOfPhones(db, v.phones.map((ph) => ph.e164))).map((h) => h.e164))
  let position = await phoneCount(db, clientId)
  for (const ph of v.phones) {
    if (held.has(ph.e164) || position >= MAX_PHONES) continue
    await addPhone(db, clientId, { e164: ph.e164, digits: ph.digits, display: ph.display, kind: ph.kind }, position++)
  }
  await updateClient(db, clientId, { ...fills, updated_at: at })
  return true
}

/**
 * A checked import written in slices, in row order. Each slice is one transaction of whole rows:
 * a create or merge, the client's phones and search terms, its origin (the row as read) and the
 * row marked done all commit together, so a cancel or a crash leaves whole rows only. A row an
 * import of the same file (same hash) already wrote is skipped, and a phone that reached the book
 * after the dry run merges instead of creating. A cancelled import ends at the next slice.
 */
export const importJob: JobKind<ImportParams, ImportCursor, PreparedRows> = {
  kind: 'imports.run',
  params: ImportParams,
  cursor: ImportCursor,
  firstSize: 100,
  // a bulk write: while nobody waits for the writer, slices of this long commit far fewer pages a row
  idleSliceMs: BULK_IDLE_SLICE_MS,
  // the next slice's rows parsed and their search terms built between slices: a slice then holds
  // the writer for its statements only
  async prepare(reader, { params: p, cursor: c }, size) {
    const rows = await pendingValuesAhead(reader, p.importId, c.lastRow, Math.min(size, MAX_SLICE))
    const ready = new Map<number, ReadyRow>()
    for (let i = 0; i < rows.length; i += READY_BATCH) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve))
      for (const r of rows.slice(i, i + READY_BATCH)) ready.set(r.row_no, readyRow(r.value))
    }
    return { importId: p.importId, rows: ready }
  },
  slice(db, { params: p, cursor: c }, size, env, prepared) {
    const at = env.clock.now().toISOString()
    const tally = ({ created, merged, skipped }: ImportCursor) => ({ shown: { created, merged }, done: created + merged + skipped, result: { created, merged, skipped } })
    return importSlice(db, { importId: p.importId, at, cursor: c, size, tally }, async (rows) => {
      let { lastRow, created, merged, skipped } = c
      const before = await importedRows(db, p.fileHash, { rowNos: rows.map((r) => r.row_no) })
      // what was made ahead holds only for this import's rows whose stored value is the text it was made from
      const ahead = prepared?.importId === p.importId ? prepared.rows : undefined
      const values = new Map(
        rows.map((r) => {
          const made = ahead?.get(r.row_no)
          return [r.row_no, made?.value === r.value ? made : readyRow(r.value)]
        }),
      )
      // a phone that reached the book after the dry run merges instead of creating
      const holders = new Map((await holdersOfPhones(db, [...values.values()].flatMap(({ v }) => v.phones.map((ph) => ph.e164)))).map((h) => [h.e164, h.id]))
      const toCreate: Array<{ rowNo: number; r: ReadyRow }> = []
      const clientOf = new Map<number, number>()
      for (const r of rows) {
        lastRow = r.row_no
        if (before.has(r.row_no)) {
          skipped++
          continue
        }
        const ready = values.get(r.row_no)!
        const holder = ready.v.phones.map((ph) => holders.get(ph.e164)).find((id) => id !== undefined)
        if (holder !== undefined && (await mergeInto(db, holder, ready.v, at))) {
          await refreshDerived(db, holder)
          clientOf.set(r.row_no, holder)
          merged++
        } else toCreate.push({ rowNo: r.row_no, r: ready })
      }
      for (const [rowNo, id] of await createClients(db, toCreate, p, at)) clientOf.set(rowNo, id)
      created += toCreate.length
      const raw = new Map(rows.map((r) => [r.row_no, r.raw]))
      await insertOrigins(db, [...clientOf].map(([rowNo, clientId]) => ({ client_id: clientId, import_id: p.importId, row_no: rowNo, raw: raw.get(rowNo)!, at })))
      await markRowsDone(db, p.importId, [...clientOf.keys()])
      const touched = [...clientOf.values()]
      if (touched.length > 0) await auditImportRows(db, env, p, at, { clientIds: touched, toRow: lastRow })
      return { lastRow, created, merged, skipped }
    })
  },
}
