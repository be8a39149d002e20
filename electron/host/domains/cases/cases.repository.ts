import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { z } from 'zod'
import type { CaseSearchInput } from '@shared/contract/cases'
import { addDays } from '@shared/domain/holidays'
import { branchDayStart } from '@shared/domain/rules'
import type { DB, EnteredCasesTable } from '../../db/schema'

/**
 * A case as the library reads it, from a closed deal or typed in: no buyer, agent or room number
 * is selected at all. A deal's signed_at is the moment it was signed; an entered case's the
 * branch day's start (so both order and filter alike).
 */
export interface DealCaseRecord {
  source: 'deal' | 'entered'
  id: number
  project: string
  community: string | null
  district: string | null
  building: string | null
  floor: number | null
  layout: string | null
  area: number
  orientation: string | null
  list_price: number | null
  price: number
  status: 'sign' | 'sold' | null
  member_discount: number | null
  signed_at: string
  signed_on: string | null
  instalments: number | null
  terms: string | null
  note: string | null
  version: number | null
}

/** An entered case's signing moment: the start of its branch day (UTC+8), as the day filters count. */
const ENTERED_SIGNED_AT = sql`strftime('%Y-%m-%dT%H:%M:%fZ', e.signed_on || 'T00:00:00', '-8 hours')`

const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The filters of a search as SQL conditions on the deals (d) below; all must hold. */
function conditions(f: z.output<typeof CaseSearchInput>): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = []
  if (f.project) where.push(sql`(d.project LIKE ${contains(f.project)} ESCAPE '\\' OR d.community LIKE ${contains(f.project)} ESCAPE '\\' OR d.district LIKE ${contains(f.project)} ESCAPE '\\')`)
  if (f.community) where.push(sql`coalesce(d.community, d.project) LIKE ${contains(f.community)} ESCAPE '\\'`)
  if (f.layout) where.push(sql`d.layout LIKE ${contains(f.layout)} ESCAPE '\\'`)
  if (f.areaMin !== undefined) where.push(sql`d.area >= ${f.areaMin}`)
  if (f.areaMax !== undefined) where.push(sql`d.area <= ${f.areaMax}`)
  if (f.priceMin !== undefined) where.push(sql`d.price >= ${f.priceMin}`)
  if (f.priceMax !== undefined) where.push(sql`d.price <= ${f.priceMax}`)
  if (f.from) where.push(sql`d.signed_at >= ${branchDayStart(f.from)}`)
  if (f.to) where.push(sql`d.signed_at < ${branchDayStart(addDays(f.to, 1))}`)
  return where
}

/**
 * The live 签约 and 已售 deals with the moment each was first signed (or sold), and the entered
 * cases not withdrawn. A branch closes thousands of deals at most, so the filters run over this
 * small set rather than an index.
 */
const DEALS = sql`
  SELECT 'deal' AS source, t.id, p.name AS project, NULL AS community, p.district, b.name AS building, u.floor, u.layout, u.area, u.orientation,
    coalesce(t.priced_list_price, u.list_price) AS list_price, t.price, t.status, t.member_discount,
    (SELECT min(s.at) FROM transaction_steps s WHERE s.tx_id = t.id AND s.status IN ('sign','sold')) AS signed_at, NULL AS signed_on,
    (SELECT count(*) FROM payment_schedule ps WHERE ps.tx_id = t.id) AS instalments,
    NULL AS terms, NULL AS note, NULL AS version
  FROM unit_transactions t
  JOIN units u ON u.id = t.unit_id
  JOIN buildings b ON b.id = u.building_id
  JOIN projects p ON p.id = b.project_id
  WHERE t.live = 1 AND t.status IN ('sign','sold')
  UNION ALL
  SELECT 'entered', e.id, e.project, e.community, e.district, NULL, e.floor, e.layout, e.area, NULL,
    NULL, e.price, NULL, NULL, ${ENTERED_SIGNED_AT}, e.signed_on, NULL, e.terms, e.note, e.version
  FROM entered_cases e
  WHERE e.withdrawn_at IS NULL`

/** One page of the cases matching the filters, newest signing first, and how many match. */
export async function searchCases(db: Kysely<DB>, f: z.output<typeof CaseSearchInput>): Promise<{ rows: DealCaseRecord[]; total: number }> {
  const where = sql.join([sql`d.signed_at IS NOT NULL`, ...conditions(f)], sql` AND `)
  const rows = await sql<DealCaseRecord>`SELECT * FROM (${DEALS}) d WHERE ${where} ORDER BY d.signed_at DESC, d.source, d.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db)
  const total = await sql<{ n: number }>`SELECT count(*) AS n FROM (${DEALS}) d WHERE ${where}`.execute(db)
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 }
}

/** An entered case as stored, withdrawn or not. */
export async function findEnteredCase(db: Kysely<DB>, id: number) {
  return db.selectFrom('entered_cases').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The fields a typed case holds, as stored (nulls for what was left empty). */
export type EnteredCaseValues = Omit<EnteredCasesTable, 'id' | 'entered_by' | 'entered_at' | 'withdrawn_at' | 'version'>

/** Stores a typed case; returns its id. */
export async function insertEnteredCase(db: Kysely<DB>, v: EnteredCaseValues, by: number, at: string): Promise<number> {
  const r = await db.insertInto('entered_cases').values({ ...v, entered_by: by, entered_at: at }).returning('id').executeTakeFirstOrThrow()
  return r.id
}

/** Rewrites a live typed case if still at `version`; whether it did. */
export async function updateEnteredCase(db: Kysely<DB>, id: number, version: number, v: EnteredCaseValues): Promise<boolean> {
  const r = await db
    .updateTable('entered_cases')
    .set({ ...v, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return r.numUpdatedRows > 0n
}

/** Withdraws a live typed case if still at `version`; whether it did. */
export async function withdrawEnteredCase(db: Kysely<DB>, id: number, version: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('entered_cases')
    .set({ withdrawn_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst()
  return r.numUpdatedRows > 0n
}

/** One typed case as the library shows it (live or not). */
export async function enteredCaseRecord(db: Kysely<DB>, id: number): Promise<DealCaseRecord | undefined> {
  const r = await sql<DealCaseRecord>`
    SELECT 'entered' AS source, e.id, e.project, e.community, e.district, NULL AS building, e.floor, e.layout, e.area, NULL AS orientation,
      NULL AS list_price, e.price, NULL AS status, NULL AS member_discount, ${ENTERED_SIGNED_AT} AS signed_at, e.signed_on,
      NULL AS instalments, e.terms, e.note, e.version
    FROM entered_cases e WHERE e.id = ${id}`.execute(db)
  return r.rows[0]
}
