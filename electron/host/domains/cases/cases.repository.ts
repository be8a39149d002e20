import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { z } from 'zod'
import type { CaseSearchInput } from '@shared/contract/cases'
import { addDays } from '@shared/domain/holidays'
import { branchDayStart } from '@shared/domain/rules'
import type { DB } from '../../db/schema'

/** A closed deal as the case library reads it: no buyer, agent or room number is selected at all. */
export interface DealCaseRecord {
  id: number
  project: string
  district: string | null
  building: string
  floor: number
  layout: string | null
  area: number
  orientation: string | null
  list_price: number
  price: number
  status: 'sign' | 'sold'
  member_discount: number
  signed_at: string
  instalments: number
}

const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** The filters of a search as SQL conditions on the deals (d) below; all must hold. */
function conditions(f: z.output<typeof CaseSearchInput>): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = []
  if (f.project) where.push(sql`(d.project LIKE ${contains(f.project)} ESCAPE '\\' OR d.district LIKE ${contains(f.project)} ESCAPE '\\')`)
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
 * The live 签约 and 已售 deals with the moment each was first signed (or sold). A branch closes
 * thousands of deals at most, so the filters run over this small set rather than an index.
 */
const DEALS = sql`
  SELECT t.id, p.name AS project, p.district, b.name AS building, u.floor, u.layout, u.area, u.orientation,
    coalesce(t.priced_list_price, u.list_price) AS list_price, t.price, t.status, t.member_discount,
    (SELECT min(s.at) FROM transaction_steps s WHERE s.tx_id = t.id AND s.status IN ('sign','sold')) AS signed_at,
    (SELECT count(*) FROM payment_schedule ps WHERE ps.tx_id = t.id) AS instalments
  FROM unit_transactions t
  JOIN units u ON u.id = t.unit_id
  JOIN buildings b ON b.id = u.building_id
  JOIN projects p ON p.id = b.project_id
  WHERE t.live = 1 AND t.status IN ('sign','sold')`

/** One page of the cases matching the filters, newest signing first, and how many match. */
export async function searchCases(db: Kysely<DB>, f: z.output<typeof CaseSearchInput>): Promise<{ rows: DealCaseRecord[]; total: number }> {
  const where = sql.join([sql`d.signed_at IS NOT NULL`, ...conditions(f)], sql` AND `)
  const rows = await sql<DealCaseRecord>`SELECT * FROM (${DEALS}) d WHERE ${where} ORDER BY d.signed_at DESC, d.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db)
  const total = await sql<{ n: number }>`SELECT count(*) AS n FROM (${DEALS}) d WHERE ${where}`.execute(db)
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 }
}
