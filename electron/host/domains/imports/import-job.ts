import type { Kysely, Updateable } from 'kysely'
import { z } from 'zod'
import { completeness } from '@shared/domain/completeness'
import type { ImportedClient } from '@shared/domain/import-row'
import type { ClientsTable, DB } from '../../db/schema'
import { IMPORT_IDLE_SLICE_MS, type JobKind } from '../../jobs/job-kind'
import { refreshDerived } from '../clients/client-derived'
import { updateClient } from '../clients/clients.repository'
import { buildSearchTerms } from '../clients/search-terms'
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
} from './imports.repository'
import { auditImportRows, importSlice } from './import-slices'

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
 * New clients from rows, a few statements for the lot: codes reserved at once, the clients, their
 * phones, search terms (name, pinyin, phones, code) and derived columns written in batches.
 */
async function createClients(db: Kysely<DB>, rows: ReadonlyArray<{ rowNo: number; v: ImportedClient }>, p: ImportParams, at: string): Promise<Map<number, number>> {
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

/**
 * A checked import written in slices, in row order. Each slice is one transaction of whole rows:
 * a create or merge, the client's phones and search terms, its origin (the row as read) and the
 * row marked done all commit together, so a cancel or a crash leaves whole rows only. A row an
 * import of the same file (same hash) already wrote is skipped, and a phone that reached the book
 * after the dry run merges instead of creating. A cancelled import ends at the next slice.
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
    return importSlice(db, { importId: p.importId, at, cursor: c, size, tally, heldUp: env.heldUp }, async (rows, part) => {
      let { lastRow, created, merged, skipped } = part
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
      const touched = [...clientOf.values()]
      if (touched.length > 0) await auditImportRows(db, env, p, at, { clientIds: touched, toRow: lastRow })
      return { lastRow, created, merged, skipped }
    })
  },
}
