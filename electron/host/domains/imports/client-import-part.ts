import type { Kysely, Updateable } from 'kysely'
import { completeness } from '@shared/domain/completeness'
import type { ImportedClient } from '@shared/domain/import-row'
import type { WriterProcedure } from '../../db/procedures'
import type { ClientsTable, DB } from '../../db/schema'
import { refreshDerived } from '../clients/client-derived'
import { updateClient } from '../clients/clients.repository'
import { buildSearchTerms } from '../clients/search-terms'
import {
  addPhone,
  clientForMerge,
  holdersOfPhones,
  importedRows,
  insertClients,
  insertOrigins,
  insertPhones,
  insertSearchTerms,
  markRowsDone,
  phoneCount,
  reserveClientCodes,
} from './imports.repository'
import type { PendingRow } from './import-slices'

/** A client holds at most this many phones (the client contract's limit). */
const MAX_PHONES = 5

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
 * New clients from rows, a few statements for the lot: codes reserved at once, the clients, their
 * phones, search terms (name, pinyin, phones, code) and derived columns written in batches.
 */
async function createClients(db: Kysely<DB>, rows: ReadonlyArray<{ rowNo: number; v: ImportedClient }>, p: ClientImportWho, at: string): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map()
  const codes = await reserveClientCodes(db, rows.length)
  const ids = await insertClients(
    db,
    rows.map(({ v }, i) => ({
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
      completeness: completenessOf(v),
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
    rows.flatMap(({ rowNo, v }) => v.phones.map((ph, position) => ({ client_id: byRow.get(rowNo)!, e164: ph.e164, digits: ph.digits, display: ph.display, kind: ph.kind, label: null, position }))),
  )
  await insertSearchTerms(
    db,
    rows.flatMap(({ rowNo, v }, i) =>
      buildSearchTerms({ name: v.name, code: codes[i]!, phoneDigits: v.phones.map((ph) => ph.digits) }).map((t) => ({ term: t.term, client_id: byRow.get(rowNo)!, field: t.field, pos: t.pos })),
    ),
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

/** Who imports what, as a part's write needs it (the import job's params). */
export interface ClientImportWho {
  importId: number
  staffId: number
  fileHash: string
}

/** Where an import stands: the last row handled and the counts so far (the import job's cursor). */
export interface ClientImportCursor {
  lastRow: number
  created: number
  merged: number
  skipped: number
}

/** One part of a slice to write: its rows (in row order, as the dry run stored them) and where the import stood before them. */
export interface ClientImportPart {
  rows: PendingRow[]
  cursor: ClientImportCursor
  who: ClientImportWho
  at: string
}

/** What a part did: where the import stands after it, and the clients it created or merged into (for the slice's audit row). */
export interface ClientImportPartDone {
  cursor: ClientImportCursor
  touched: number[]
}

/**
 * A part's rows written, in the caller's transaction: a row an import of the same file already
 * wrote is skipped, a row whose phone reached the book after the dry run merges instead of creating,
 * the others are created (client, phones, search terms); each row's origin (the row as read) is kept
 * and the row marked done, all in the same transaction, so a cancel or a crash leaves whole rows only.
 */
export async function writeClientImportPart(db: Kysely<DB>, { rows, cursor, who: p, at }: ClientImportPart): Promise<ClientImportPartDone> {
  let { lastRow, created, merged, skipped } = cursor
  const before = await importedRows(db, p.fileHash, { rowNos: rows.map((r) => r.row_no) })
  const values = new Map(rows.map((r) => [r.row_no, JSON.parse(r.value) as ImportedClient]))
  // a phone that reached the book after the dry run merges instead of creating
  const holders = new Map((await holdersOfPhones(db, [...values.values()].flatMap((v) => v.phones.map((ph) => ph.e164)))).map((h) => [h.e164, h.id]))
  const toCreate: Array<{ rowNo: number; v: ImportedClient }> = []
  const clientOf = new Map<number, number>()
  for (const r of rows) {
    lastRow = r.row_no
    if (before.has(r.row_no)) {
      skipped++
      continue
    }
    const v = values.get(r.row_no)!
    const holder = v.phones.map((ph) => holders.get(ph.e164)).find((id) => id !== undefined)
    if (holder !== undefined && (await mergeInto(db, holder, v, at))) {
      await refreshDerived(db, holder)
      clientOf.set(r.row_no, holder)
      merged++
    } else toCreate.push({ rowNo: r.row_no, v })
  }
  for (const [rowNo, id] of await createClients(db, toCreate, p, at)) clientOf.set(rowNo, id)
  created += toCreate.length
  const raw = new Map(rows.map((r) => [r.row_no, r.raw]))
  await insertOrigins(db, [...clientOf].map(([rowNo, clientId]) => ({ client_id: clientId, import_id: p.importId, row_no: rowNo, raw: raw.get(rowNo)!, at })))
  await markRowsDone(db, p.importId, [...clientOf.keys()])
  return { cursor: { lastRow, created, merged, skipped }, touched: [...clientOf.values()] }
}

/**
 * writeClientImportPart whole in the writer's thread (see WriterProcedure): one message a part
 * instead of a round trip for each of its statements, and the search terms (pinyin) built there,
 * beside the event loop. At 100,000 rows the statements' messages and the loop's turns between them
 * left the writer idle for much of the job (docs/performance.md).
 */
export const clientImportPartProcedure: WriterProcedure<ClientImportPart, ClientImportPartDone> = {
  name: 'imports.clientPart',
  writes: true,
  run: (ctx, part) => writeClientImportPart(ctx.db, part),
}
