import { CompiledQuery, type Kysely } from 'kysely'
import type { DB } from '../../db/schema'
import type { ClientRowRecord, PhoneTermScope, SearchMatch, TermHit } from './clients.repository'
import { TermField } from './search-terms'

/**
 * The statements of one search, written once as SQL text per shape (which steps, whose phone
 * terms, whether a whole number's holder joins): a search builds no query and compiles nothing,
 * it only binds parameters; each worker connection prepares each text once (StatementCache).
 * The ranges and the count are those the Kysely repository ran one by one before, now in one
 * statement (matchTerms), with one change: the owner check of a phone term reads
 * clients_grid_owner (owner_id, id) instead of the client's table row. A search makes two round
 * trips to its reader (terms and count, then the page's rows), three for a whole number.
 */

/** Phone terms only of clients these staff own: the index entry (owner_id, id) answers, never the row. */
function scopeSql(scope: PhoneTermScope): string {
  if (scope === 'all') return ''
  if (scope === 'none' || scope.ownerIds.length === 0) return ` AND field != ${TermField.phone}`
  // INDEXED BY: the planner would rather read the row by its primary key (a page of the table,
  // decrypted again after every write) than seek the narrow index entry on (owner_id, id)
  const owners = scope.ownerIds.map(() => '?').join(', ')
  return ` AND (field != ${TermField.phone} OR EXISTS (SELECT 1 FROM clients AS oc INDEXED BY clients_grid_owner WHERE oc.owner_id IN (${owners}) AND oc.id = search_terms.client_id AND oc.merged_into IS NULL))`
}

function scopeParams(scope: PhoneTermScope): readonly number[] {
  return scope === 'all' || scope === 'none' ? [] : scope.ownerIds
}

/** One SQL text per shape key, made the first time the shape is met. */
const texts = new Map<string, string>()
function textOf(shape: string, make: () => string): string {
  let sql = texts.get(shape)
  if (sql === undefined) texts.set(shape, (sql = make()))
  return sql
}

function scopeShape(scope: PhoneTermScope): string {
  return typeof scope === 'string' ? scope : `owners${scope.ownerIds.length}`
}

async function run<R>(db: Kysely<DB>, sql: string, parameters: readonly unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(sql, [...parameters]))).rows
}

/** Which part of a term a search step matches: the whole field, its start, or any inner part. */
export type TermStep = 'exact' | 'prefix' | 'inner'

/**
 * A 客户编号's digit forms (000301, 301: search-terms.ts codeForms) match only whole: as the start
 * of a longer number they would put a dozen codes (8460 → 84600–84609…) above the phones a clerk
 * types four digits of. The count below and the grid's filter (searchMatchIds) keep the same rule.
 */
const NOT_SHORT_CODE = `NOT (field = ${TermField.code} AND term GLOB '[0-9]*')`

const STEP_RANGE: Record<TermStep, string> = {
  exact: 'term = ? AND pos = 0',
  // prefixes exclude the exact term (already found); substrings include it (伟 in 张伟)
  prefix: `term > ? AND term < ? AND pos = 0 AND ${NOT_SHORT_CODE}`,
  inner: 'term >= ? AND term < ? AND pos > 0',
}

/** The term steps each reach takes, in rank order: the whole field, its start, any inner part. */
const STEPS: Record<SearchMatch['reach'], readonly TermStep[]> = { exact: ['exact'], prefix: ['exact', 'prefix'], contains: ['exact', 'prefix', 'inner'] }

/** What one search's terms gave: each step's hits (index order, rank order of steps), and the count. */
export interface TermMatches {
  byStep: TermHit[][]
  /** the clients the query matches (its terms, and a whole number's holder), counted no further than the cap. */
  count: number
}

/**
 * The terms of each step of `m` (one index range each, in index order), each step up to its
 * own limit (`limitOf`), and how many clients match in all, up to `cap`; phone terms only of
 * clients in `m.phones`. All in one statement: a step costs at most its limit in index entries,
 * and the count at most `cap` (and little when the steps were not cut short: then few terms
 * match), both less than another round trip to the reader's thread; the search uses the count
 * only when a step was cut short, and a step only while the page is not full.
 */
export async function matchTerms(db: Kysely<DB>, m: SearchMatch, limitOf: (step: TermStep) => number, cap: number): Promise<TermMatches> {
  const steps = STEPS[m.reach]
  const holder = m.holderId !== null
  const sql = textOf(`match ${m.reach} ${scopeShape(m.phones)} ${holder}`, () => {
    const stepSql = steps.map((step, i) => `SELECT * FROM (SELECT ${i} AS step, client_id, field FROM search_terms WHERE ${STEP_RANGE[step]}${scopeSql(m.phones)} LIMIT ?)`)
    // past the exact term, a code's digit forms do not match (NOT_SHORT_CODE)
    const range =
      m.reach === 'exact' ? 'term = ? AND pos = 0' : `term >= ? AND term < ?${m.reach === 'prefix' ? ' AND pos = 0' : ''} AND (term = ? OR ${NOT_SHORT_CODE})`
    const union = holder ? ' UNION SELECT id AS client_id FROM clients WHERE id = ?' : ''
    const countSql = `SELECT -1 AS step, count(*) AS client_id, 0 AS field FROM (SELECT DISTINCT client_id FROM (SELECT client_id FROM search_terms WHERE ${range}${scopeSql(m.phones)}${union}) LIMIT ?)`
    return [...stepSql, countSql].join(' UNION ALL ')
  })
  const owners = scopeParams(m.phones)
  const params = [
    ...steps.flatMap((step) => [m.key, ...(step === 'exact' ? [] : [m.end]), ...owners, limitOf(step)]),
    ...[m.key, ...(m.reach === 'exact' ? [] : [m.end, m.key]), ...owners, ...(holder ? [m.holderId] : []), cap],
  ]
  const byStep = steps.map((): TermHit[] => [])
  let count = 0
  for (const r of await run<TermHit & { step: number }>(db, sql, params)) {
    if (r.step < 0) count = r.client_id
    else byStep[r.step]?.push({ client_id: r.client_id, field: r.field })
  }
  return { byStep, count }
}

const ROWS_SQL = `SELECT c.id, c.code, c.kind, c.name, c.primary_phone, c.tier, c.stage, c.owner_id, c.region, c.community,
  c.source_channel, c.demand_type, c.last_follow_up_at, c.protected_until, c.completeness, c.blacklisted, c.blacklist_reason,
  c.created_at, o.name AS owner_name, o.phone AS owner_phone, o.team AS owner_team
  FROM json_each(?) AS j JOIN clients AS c ON c.id = j.value LEFT JOIN staff AS o ON o.id = c.owner_id
  WHERE c.merged_into IS NULL ORDER BY j.key`

/** Live clients by id as grid rows, in the order of `ids` (one statement whatever their number). */
export function clientRowsInOrder(db: Kysely<DB>, ids: readonly number[]): Promise<ClientRowRecord[]> {
  if (ids.length === 0) return Promise.resolve([])
  return run<ClientRowRecord>(db, ROWS_SQL, [JSON.stringify(ids)])
}

const HOLDER_SQL = `SELECT c.id, c.owner_id, o.team AS owner_team FROM client_phones AS p JOIN clients AS c ON c.id = p.client_id
  LEFT JOIN staff AS o ON o.id = c.owner_id WHERE p.e164 = ? AND c.merged_into IS NULL`

/** The live client holding a whole number (the unique phone index), with what access rules need. */
export async function holderOf(db: Kysely<DB>, e164: string): Promise<{ id: number; owner_id: number | null; owner_team: string | null } | undefined> {
  const [row] = await run<{ id: number; owner_id: number | null; owner_team: string | null }>(db, HOLDER_SQL, [e164])
  return row
}

/** The staff of a team (whose clients a senior of that team sees in full). */
export async function teamMemberIds(db: Kysely<DB>, team: string): Promise<number[]> {
  return (await run<{ id: number }>(db, 'SELECT id FROM staff WHERE team = ?', [team])).map((r) => r.id)
}
