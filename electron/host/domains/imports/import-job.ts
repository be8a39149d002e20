import type { Kysely, Updateable } from 'kysely'
import { z } from 'zod'
import type { ImportedClient } from '@shared/domain/import-row'
import type { ClientsTable, DB } from '../../db/schema'
import type { JobKind } from '../../jobs/job-kind'
import { refreshDerived } from '../clients/client-derived'
import { insertClient, nextClientCode, replacePhones, updateClient } from '../clients/clients.repository'
import { addPhone, clientForMerge, findImport, holdersOfPhones, insertOrigin, markRowDone, pendingRows, phoneCount, rowAlreadyImported, updateImport } from './imports.repository'

/** Clients a slice writes at most (each is a few statements: insert, phones, search terms, origin). */
const MAX_SLICE = 2000
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

async function createClient(db: Kysely<DB>, v: ImportedClient, p: ImportParams, at: string): Promise<number> {
  const id = await insertClient(db, {
    code: await nextClientCode(db),
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
    created_by: p.staffId,
    created_at: at,
    updated_at: at,
    last_activity_at: at,
    stage_changed_at: at,
    data_origin: 'external',
  })
  await replacePhones(db, id, v.phones.map((ph) => ({ e164: ph.e164, digits: ph.digits, display: ph.display, kind: ph.kind, label: null })))
  return id
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
  async slice(db, { params: p, cursor: c }, size, env) {
    const at = env.clock.now().toISOString()
    const record = await findImport(db, p.importId)
    let { lastRow, created, merged, skipped } = c
    const saveCounts = async (status?: 'done' | 'cancelled') => {
      const counts = record?.counts ? (JSON.parse(record.counts) as Record<string, number>) : {}
      await updateImport(db, p.importId, { counts: JSON.stringify({ ...counts, created, merged }), updated_at: at, ...(status ? { status } : {}) })
    }
    const finish = async (status: 'done' | 'cancelled') => {
      await saveCounts(status)
      return { cursor: { lastRow, created, merged, skipped }, done: created + merged + skipped, finished: true, result: { created, merged, skipped, cancelled: status === 'cancelled' ? 1 : 0 } }
    }
    if (!record || record.status === 'cancelled') return finish('cancelled')
    const rows = await pendingRows(db, p.importId, lastRow, Math.min(size, MAX_SLICE))
    const touched: number[] = []
    for (const r of rows) {
      lastRow = r.row_no
      if (await rowAlreadyImported(db, p.fileHash, r.row_no)) {
        skipped++
        continue
      }
      const v = JSON.parse(r.value) as ImportedClient
      const holder = (await holdersOfPhones(db, v.phones.map((ph) => ph.e164)))[0]?.id
      let clientId: number
      if (holder !== undefined && (await mergeInto(db, holder, v, at))) {
        clientId = holder
        merged++
      } else {
        clientId = await createClient(db, v, p, at)
        created++
      }
      await refreshDerived(db, clientId)
      await insertOrigin(db, { clientId, importId: p.importId, rowNo: r.row_no, raw: r.raw, at })
      await markRowDone(db, p.importId, r.row_no, clientId)
      touched.push(clientId)
    }
    if (touched.length > 0) {
      await env.auditLog.append(db, {
        at,
        actorId: p.staffId,
        actorName: p.staffName,
        action: 'imports.rows',
        target: `import:${p.importId}`,
        detail: { clientIds: touched, toRow: lastRow },
        address: null,
      })
    }
    if (rows.length < Math.min(size, MAX_SLICE)) return finish('done')
    await saveCounts()
    return { cursor: { lastRow, created, merged, skipped }, done: created + merged + skipped, finished: false }
  },
}
