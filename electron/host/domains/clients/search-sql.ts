import type { PhoneTermScope, SearchMatch } from './clients.repository'
import { TermField, type TermTable } from './search-fields'

/**
 * The SQL of one search, written once as text per shape (which steps, whose phone terms, whether
 * a whole number's holder joins): a search builds no query and compiles nothing, it only binds
 * parameters, and each connection prepares each text once. Plain text and no Kysely, because a
 * reader's thread runs it (search-procedure.ts); the event loop runs the holder and team lookups
 * of the grid's search filter (search-statements.ts).
 */

/** Phone terms only of clients these staff own: the index entry (owner_id, id) answers, never the row. */
function scopeSql(scope: PhoneTermScope, table: TermTable = 'search_terms'): string {
  if (scope === 'all') return ''
  if (scope === 'none' || scope.ownerIds.length === 0) return ` AND field != ${TermField.phone}`
  // INDEXED BY: the planner would rather read the row by its primary key (a page of the table,
  // decrypted again after every write) than seek the narrow index entry on (owner_id, id)
  const owners = scope.ownerIds.map(() => '?').join(', ')
  return ` AND (field != ${TermField.phone} OR EXISTS (SELECT 1 FROM clients AS oc INDEXED BY clients_grid_owner WHERE oc.owner_id IN (${owners}) AND oc.id = ${table}.client_id AND oc.merged_into IS NULL))`
}

function scopeParams(scope: PhoneTermScope): readonly number[] {
  return scope === 'all' || scope === 'none' ? [] : scope.ownerIds
}

function scopeShape(scope: PhoneTermScope): string {
  return typeof scope === 'string' ? scope : `owners${scope.ownerIds.length}`
}

/** One SQL text per shape key, made the first time the shape is met. */
const texts = new Map<string, string>()
function textOf(shape: string, make: () => string): string {
  let sql = texts.get(shape)
  if (sql === undefined) texts.set(shape, (sql = make()))
  return sql
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
  exact: 'term = ?',
  // prefixes exclude the exact term (already found); substrings include it (伟 in 张伟)
  prefix: `term > ? AND term < ? AND ${NOT_SHORT_CODE}`,
  inner: 'term >= ? AND term < ?',
}

/** Each step's table: the whole fields' terms, or the inner parts' (a 客户编号 is never an inner part). */
const STEP_TABLE: Record<TermStep, TermTable> = { exact: 'search_terms', prefix: 'search_terms', inner: 'search_inner' }

/** Each step's SQL text per phone scope shape (scopeShape) and limit, made the first time they are met. */
const STEP_TEXTS: Record<TermStep, Map<string, Map<number, string>>> = { exact: new Map(), prefix: new Map(), inner: new Map() }

/** The term steps each reach takes, in rank order: the whole field, its start, any inner part. */
export const STEPS: Record<SearchMatch['reach'], readonly TermStep[]> = { exact: ['exact'], prefix: ['exact', 'prefix'], contains: ['exact', 'prefix', 'inner'] }

/** A statement and its parameters. */
export interface BoundStatement {
  sql: string
  parameters: unknown[]
}

/**
 * A LIMIT written into the text, never bound: a bound LIMIT cost 3.5-6 µs more a run at 100,000
 * clients, more than a 客户编号's whole step (1.3-1.8 µs with the number written in), about what
 * preparing the statement again costs (SQLite 3.53 with STAT4 seems to read a bound LIMIT while
 * planning, so a new binding expires the statement; docs/performance.md, "Search's fixed cost").
 * The limits are the search's own whole numbers (a page's size times 3 or 4, the count's cap): a
 * few texts in all.
 */
function limitOf(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a LIMIT must be a whole number, not ${n}`)
  return `LIMIT ${n}`
}

/**
 * The terms of one step of `m` (one index range, in index order) up to `limit`, phone terms only
 * of clients in `m.phones`; rows (client_id, field). A step costs at most `limit` index entries;
 * a search runs the next step only while its page is not full (search-procedure.ts).
 */
export function stepStatement(m: SearchMatch, step: TermStep, limit: number): BoundStatement {
  // a search runs up to three steps: their texts are found without building a key string (STEP_TEXTS)
  const shape = scopeShape(m.phones)
  let byLimit = STEP_TEXTS[step].get(shape)
  if (byLimit === undefined) STEP_TEXTS[step].set(shape, (byLimit = new Map()))
  let sql = byLimit.get(limit)
  if (sql === undefined) byLimit.set(limit, (sql = `SELECT client_id, field FROM ${STEP_TABLE[step]} WHERE ${STEP_RANGE[step]}${scopeSql(m.phones, STEP_TABLE[step])} ${limitOf(limit)}`))
  return { sql, parameters: [m.key, ...(step === 'exact' ? [] : [m.end]), ...scopeParams(m.phones)] }
}

/**
 * How many clients `m` matches in all (a whole number's holder included), up to `cap`: read only
 * when a step was cut short by its limit (else the steps saw every match). At most `cap` entries.
 */
export function countStatement(m: SearchMatch, cap: number): BoundStatement {
  const holder = m.holderId !== null
  const sql = textOf(`count ${m.reach} ${scopeShape(m.phones)} ${holder} ${cap}`, () => {
    // past the exact term, a code's digit forms do not match (NOT_SHORT_CODE); inner parts are
    // never a code's (their table holds none)
    const range = m.reach === 'exact' ? 'term = ?' : `term >= ? AND term < ? AND (term = ? OR ${NOT_SHORT_CODE})`
    const inner = m.reach === 'contains' ? ` UNION ALL SELECT client_id FROM search_inner WHERE term >= ? AND term < ?${scopeSql(m.phones, 'search_inner')}` : ''
    const union = holder ? ' UNION SELECT id AS client_id FROM clients WHERE id = ?' : ''
    return `SELECT count(*) FROM (SELECT DISTINCT client_id FROM (SELECT client_id FROM search_terms WHERE ${range}${scopeSql(m.phones)}${inner}${union}) ${limitOf(cap)})`
  })
  return {
    sql,
    parameters: [
      m.key,
      ...(m.reach === 'exact' ? [] : [m.end, m.key]),
      ...scopeParams(m.phones),
      ...(m.reach === 'contains' ? [m.key, m.end, ...scopeParams(m.phones)] : []),
      ...(holder ? [m.holderId] : []),
    ],
  }
}

/**
 * What a hit shows (contract SearchHit) and what its masking reads (owner, owner's team), in the
 * order a hit's row carries them: only these columns are read, and the row crosses from a reader's
 * thread as values alone (no keys to copy per row).
 */
export type HitRowValues = [
  id: number,
  code: string,
  kind: string,
  name: string,
  primaryPhone: string | null,
  tier: string,
  ownerId: number | null,
  ownerName: string | null,
  ownerPhone: string | null,
  ownerTeam: string | null,
  blacklisted: number,
  blacklistReason: string | null,
  protectedUntil: string | null,
]

/** Live clients by id (a JSON array of ids) as hit rows (HitRowValues), in the order of the ids. */
export const HIT_ROWS_SQL = `SELECT c.id, c.code, c.kind, c.name, c.primary_phone, c.tier, c.owner_id, o.name, o.phone, o.team,
  c.blacklisted, c.blacklist_reason, c.protected_until
  FROM json_each(?) AS j JOIN clients AS c ON c.id = j.value LEFT JOIN staff AS o ON o.id = c.owner_id
  WHERE c.merged_into IS NULL ORDER BY j.key`

/** The live client holding a whole number (the unique phone index): id, owner_id, owner_team. */
export const HOLDER_SQL = `SELECT c.id, c.owner_id, o.team AS owner_team FROM client_phones AS p JOIN clients AS c ON c.id = p.client_id
  LEFT JOIN staff AS o ON o.id = c.owner_id WHERE p.e164 = ? AND c.merged_into IS NULL`

/** The staff of a team (whose clients a senior of that team sees in full). */
export const TEAM_SQL = 'SELECT id FROM staff WHERE team = ?'

/**
 * Whose phone terms a query may match, before a senior's team is read: phone terms are digits
 * only, so only digits meet them; fewer than 3 digits would match every phone; otherwise the
 * clients the viewer sees in full (so nobody learns by prefix which numbers other agents' clients
 * have): all, none, or those of one owner or of a team's members.
 */
export type PhoneReach = 'all' | 'none' | { ownerId: number; team: string | null }

/**
 * The phone scope of a reach once the team is read. A senior's team is resolved to its members
 * first: SQLite scans every client for `owner_id IN (SELECT … FROM staff WHERE team = ?)` but
 * reads an index for a list of ids.
 */
export function phoneScopeOf(reach: PhoneReach, teamMembers: readonly number[]): PhoneTermScope {
  if (reach === 'all' || reach === 'none') return reach
  return { ownerIds: reach.team === null ? [reach.ownerId] : [...new Set([reach.ownerId, ...teamMembers])] }
}
