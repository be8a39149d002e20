import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { DB, ClientsTable } from '../../db/schema'
import type { HostText } from '@shared/contract/host-text'
import { textJson } from '../../db/stored-text'
import { TERM_TABLES, TermField, termTableOf, type SearchTerm, type TermTable } from './search-terms'

export type ClientRecord = Selectable<ClientsTable> & {
  owner_name: string | null
  owner_phone: string | null
  owner_team: string | null
  /** ids of the client's collaborators (申请协作 accepted), comma-separated; null for none */
  collaborator_ids: string | null
}

/** Clients with their owner's name, phone and team, and their collaborators (for access rules and display). */
export function selectClients(db: Kysely<DB>) {
  return db
    .selectFrom('clients as c')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .selectAll('c')
    .select(['o.name as owner_name', 'o.phone as owner_phone', 'o.team as owner_team'])
    .select(
      sql<string | null>`(SELECT group_concat(r.requester_id) FROM collaboration_requests r WHERE r.client_id = c.id AND r.status = 'accepted')`.as(
        'collaborator_ids',
      ),
    )
}

/** What a grid or search row shows (toClientRow): a third of the columns, so pages decode less. */
export type ClientRowRecord = Pick<
  ClientRecord,
  | 'id'
  | 'code'
  | 'kind'
  | 'name'
  | 'primary_phone'
  | 'tier'
  | 'stage'
  | 'owner_id'
  | 'region'
  | 'community'
  | 'source_channel'
  | 'demand_type'
  | 'last_follow_up_at'
  | 'protected_until'
  | 'completeness'
  | 'blacklisted'
  | 'blacklist_reason'
  | 'created_at'
  | 'owner_name'
  | 'owner_phone'
  | 'owner_team'
>

/** Clients with only the row columns, and their owner's name, phone and team. */
export function selectClientRows(db: Kysely<DB>) {
  return db
    .selectFrom('clients as c')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select([
      'c.id',
      'c.code',
      'c.kind',
      'c.name',
      'c.primary_phone',
      'c.tier',
      'c.stage',
      'c.owner_id',
      'c.region',
      'c.community',
      'c.source_channel',
      'c.demand_type',
      'c.last_follow_up_at',
      'c.protected_until',
      'c.completeness',
      'c.blacklisted',
      'c.blacklist_reason',
      'c.created_at',
      'o.name as owner_name',
      'o.phone as owner_phone',
      'o.team as owner_team',
    ])
}

export async function findClient(db: Kysely<DB>, id: number): Promise<ClientRecord | undefined> {
  return selectClients(db).where('c.id', '=', id).executeTakeFirst()
}

/** The next 客户编号: KY000001, KY000002, … never reused. */
export async function nextClientCode(db: Kysely<DB>): Promise<string> {
  const r = await db
    .insertInto('counters')
    .values({ name: 'client_code', value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow()
  return `KY${String(r.value).padStart(6, '0')}`
}

export async function countOwnedClients(db: Kysely<DB>, ownerId: number): Promise<number> {
  const r = await db
    .selectFrom('clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow()
  return r.n
}

export async function phonesOf(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('client_phones').selectAll().where('client_id', '=', clientId).orderBy('position').execute()
}

/** Live clients that already hold any of these phones, with what access rules need (owner and team). */
export async function clientsByPhones(db: Kysely<DB>, e164s: readonly string[]) {
  if (e164s.length === 0) return []
  return db
    .selectFrom('client_phones as p')
    .innerJoin('clients as c', 'c.id', 'p.client_id')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select(['p.e164', 'c.id', 'c.owner_id', 'o.team as owner_team'])
    .where('p.e164', 'in', e164s)
    .where('c.merged_into', 'is', null)
    .execute()
}

export async function clientByOrgKey(db: Kysely<DB>, key: string) {
  return db
    .selectFrom('clients')
    .select('id')
    .where('org_name_key', '=', key)
    .where('merged_into', 'is', null)
    .executeTakeFirst()
}

export interface PhoneRow {
  e164: string
  digits: string
  display: string
  kind: string
  label: string | null
}

/** Replaces a client's phones in order; the first is the primary shown in lists. */
export async function replacePhones(db: Kysely<DB>, clientId: number, phones: readonly PhoneRow[]): Promise<void> {
  await db.deleteFrom('client_phones').where('client_id', '=', clientId).execute()
  if (phones.length === 0) return
  await db
    .insertInto('client_phones')
    .values(phones.map((p, position) => ({ client_id: clientId, ...p, position })))
    .execute()
}

/**
 * Makes a client's search terms these. Most changes to a client (a follow-up, a stage) leave its
 * name, phones, code and cards as they were: then the stored terms are read and nothing is
 * written (each term is an entry at its own place in the term index: ~15 pages a commit writes).
 */
export async function replaceSearchTerms(db: Kysely<DB>, clientId: number, terms: readonly SearchTerm[]): Promise<void> {
  const stored = await db
    .selectFrom('search_terms')
    .select(['term', 'field', 'pos'])
    .where('client_id', '=', clientId)
    .unionAll(db.selectFrom('search_inner').select(['term', 'field', 'pos']).where('client_id', '=', clientId))
    .execute()
  const key = (t: { term: string; field: number; pos: number }) => `${t.field}\u0000${t.pos}\u0000${t.term}`
  const want = terms.map(key).sort()
  const have = stored.map(key).sort()
  if (want.length === have.length && want.every((k, i) => k === have[i])) return
  await deleteSearchTerms(db, clientId)
  // each term in its table (termTableOf); SQLite allows 32766 bound variables, 4 per row, so chunk
  for (const table of TERM_TABLES) {
    const part = terms.filter((t) => termTableOf(t.pos) === table)
    for (let i = 0; i < part.length; i += 500) {
      await db
        .insertInto(table)
        .values(part.slice(i, i + 500).map((t) => ({ term: t.term, client_id: clientId, field: t.field, pos: t.pos })))
        .execute()
    }
  }
}

/** Takes a client out of search: its terms, whole-field and inner (a merged record, or before its terms are written again). */
export async function deleteSearchTerms(db: Kysely<DB>, clientId: number): Promise<void> {
  for (const table of TERM_TABLES) await db.deleteFrom(table).where('client_id', '=', clientId).execute()
}

/** A matching term: which client, and from which field (the rank step tells exact/prefix/contains). */
export interface TermHit {
  client_id: number
  field: number
}

/**
 * Which phone terms a search may match: all, none, or those of clients these staff own (the
 * caller's full access). Part of the query, so that the limit counts only hits the caller may
 * have: a colleague's numbers neither answer digits nor use up the page.
 */
export type PhoneTermScope = 'all' | 'none' | { ownerIds: readonly number[] }

function phoneTermsIn(scope: Exclude<PhoneTermScope, 'all'>, table: TermTable) {
  return (eb: ExpressionBuilder<DB, TermTable>) => {
    const notPhone = eb('field', '!=', TermField.phone)
    if (scope === 'none' || scope.ownerIds.length === 0) return notPhone
    // the owner of each candidate phone term, on the index entry (owner_id, id): the term range
    // stays the index the search walks, and the cost follows the range (hundreds of rows), not the
    // owners' book (a senior's team holds a quarter of the branch: an id list of it costs more than
    // the search); INDEXED BY, as the planner would rather read the table row by primary key
    const owned = sql<boolean>`exists (select 1 from clients as oc indexed by clients_grid_owner where oc.owner_id in (${sql.join(scope.ownerIds)}) and oc.id = ${sql.ref(`${table}.client_id`)} and oc.merged_into is null)`
    return eb.or([notPhone, owned])
  }
}

/**
 * The terms a search query matches (client-search.ts resolveSearch): `exact` the whole field,
 * `prefix` the start of a field, `contains` any part; phone terms only of clients in `phones`.
 * A whole number's holder is found by the phone index and joins the terms' clients.
 */
export interface SearchMatch {
  key: string
  end: string
  reach: 'exact' | 'prefix' | 'contains'
  phones: PhoneTermScope
  holderId: number | null
}

/** The clients a search matches, as a statement of client ids (for counting, or as a grid filter). */
export function searchMatchIds(db: Kysely<DB>, m: SearchMatch) {
  let q = db.selectFrom('search_terms').select('client_id')
  q = m.reach === 'exact' ? q.where('term', '=', m.key) : q.where('term', '>=', m.key).where('term', '<', m.end)
  // a 客户编号's digit forms match only whole (search-statements.ts NOT_SHORT_CODE)
  if (m.reach !== 'exact') q = q.where((eb) => eb.or([eb('term', '=', m.key), sql<boolean>`NOT (field = ${TermField.code} AND term GLOB '[0-9]*')`]))
  if (m.phones !== 'all') q = q.where(phoneTermsIn(m.phones, 'search_terms'))
  if (m.reach === 'contains') {
    // any inner part too: its own table (migration 045), which holds no code
    let inner = db.selectFrom('search_inner').select('client_id').where('term', '>=', m.key).where('term', '<', m.end)
    if (m.phones !== 'all') inner = inner.where(phoneTermsIn(m.phones, 'search_inner'))
    q = q.unionAll(inner)
  }
  return m.holderId === null ? q : q.union(db.selectFrom('clients').select('id as client_id').where('id', '=', m.holderId))
}

export async function saveClientVersion(db: Kysely<DB>, clientId: number, version: number, data: unknown, by: number | null, at: string) {
  await db
    .insertInto('client_versions')
    .values({ client_id: clientId, version, data: JSON.stringify(data), changed_by: by, changed_at: at })
    .execute()
}

export async function clientVersion(db: Kysely<DB>, clientId: number, version: number) {
  return db
    .selectFrom('client_versions as v')
    .leftJoin('staff as s', 's.id', 'v.changed_by')
    .select(['v.data', 's.name as by_name'])
    .where('v.client_id', '=', clientId)
    .where('v.version', '=', version)
    .executeTakeFirst()
}

export async function regionTree(db: Kysely<DB>) {
  return db
    .selectFrom('clients')
    .select(['region', 'community', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merged_into', 'is', null)
    .where('region', 'is not', null)
    .groupBy(['region', 'community'])
    .orderBy('region')
    .orderBy('community')
    .execute()
}

/** Stores a new client; returns its id. */
export async function insertClient(db: Kysely<DB>, row: Insertable<ClientsTable>): Promise<number> {
  return (await db.insertInto('clients').values(row).returning('id').executeTakeFirstOrThrow()).id
}

/**
 * Writes columns of one client and moves it to the next version: with `expectVersion`, only
 * if it is still at that version (an edit checked against what its editor read).
 */
export async function updateClient(db: Kysely<DB>, id: number, cols: Updateable<ClientsTable>, expectVersion?: number): Promise<void> {
  let q = db
    .updateTable('clients')
    .set((eb) => ({ ...cols, version: eb('version', '+', 1) }))
    .where('id', '=', id)
  if (expectVersion !== undefined) q = q.where('version', '=', expectVersion)
  await q.execute()
}

/**
 * Back to the public pool (公客池): no owner, no claim, no protection, pooled now. `touch`
 * also stamps updated_at (a person's act; the rules' own returns leave it).
 */
export async function moveToPool(db: Kysely<DB>, ids: readonly number[], at: string, touch: boolean): Promise<void> {
  await db
    .updateTable('clients')
    .set((eb) => ({ owner_id: null, pooled_at: at, claimed_at: null, protected_until: null, ...(touch ? { updated_at: at } : {}), version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .execute()
}

/** Hands clients to another owner as they are (protection kept; a claim or pooling ends). */
export async function handOver(db: Kysely<DB>, ids: readonly number[], ownerId: number, at: string): Promise<void> {
  await db
    .updateTable('clients')
    .set((eb) => ({ owner_id: ownerId, claimed_at: null, pooled_at: null, updated_at: at, version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .execute()
}

/** One line of a client's ownership history: who took them, when, and why. */
export interface AssignmentRow {
  clientId: number
  staffId: number
  reason: HostText
  at: string
}

/** Appends to the ownership history. */
export async function insertAssignments(db: Kysely<DB>, rows: readonly AssignmentRow[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('assignments')
    .values(rows.map((r) => ({ client_id: r.clientId, staff_id: r.staffId, reason: textJson(r.reason), assigned_at: r.at })))
    .execute()
}

/** Whether this staff member already has an open collaboration request on the client. */
export async function hasOpenCollaboration(db: Kysely<DB>, clientId: number, requesterId: number): Promise<boolean> {
  const r = await db
    .selectFrom('collaboration_requests')
    .select('id')
    .where('client_id', '=', clientId)
    .where('requester_id', '=', requesterId)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return r !== undefined
}

/** Asks the owner to share a client; returns the request's id. */
export async function insertCollaboration(db: Kysely<DB>, r: { clientId: number; requesterId: number; ownerId: number | null; note: string; at: string }): Promise<number> {
  const row = await db
    .insertInto('collaboration_requests')
    .values({ client_id: r.clientId, requester_id: r.requesterId, owner_id: r.ownerId, note: r.note, status: 'open', created_at: r.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Lost clients by reason in a period, most first; merged records left out (a range of the covering clients_lost). */
export async function lostReasonCounts(db: Kysely<DB>, from: string, to: string) {
  return db
    .selectFrom('clients')
    .select(['lost_reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('stage', '=', 'lost')
    .where('merged_into', 'is', null)
    .where('lost_at', '>=', from)
    .where('lost_at', '<', to)
    .groupBy('lost_reason')
    .orderBy('n', 'desc')
    .execute()
}

/** What assignment reads of a client: its name, how it came, and what the rota matches on. */
export async function clientBasics(db: Kysely<DB>, id: number) {
  return db.selectFrom('clients').select(['name', 'source_channel', 'region', 'kind']).where('id', '=', id).executeTakeFirstOrThrow()
}

/** Stores what is derived from a client's data (completeness, the primary phone shown in lists). */
export async function setDerivedColumns(db: Kysely<DB>, id: number, completeness: number, primaryPhone: string | null): Promise<void> {
  await db.updateTable('clients').set({ completeness, primary_phone: primaryPhone }).where('id', '=', id).execute()
}

/** Records the org name key a client's name folds to. */
export async function setOrgNameKey(db: Kysely<DB>, id: number, key: string): Promise<void> {
  await db.updateTable('clients').set({ org_name_key: key }).where('id', '=', id).execute()
}

/** Every live client's name and org key, by id (a once-per-version pass over the book). */
export async function liveClientNames(db: Kysely<DB>) {
  return db.selectFrom('clients').select(['id', 'kind', 'name', 'org_name_key']).where('merged_into', 'is', null).orderBy('id').execute()
}

/** Something happened with the client (a viewing done): the no-interaction clock restarts. Not an edit: the version stays. */
export async function touchActivity(db: Kysely<DB>, id: number, at: string): Promise<void> {
  await db.updateTable('clients').set({ last_activity_at: at }).where('id', '=', id).execute()
}

/** The client signed (签约 or 已售): their stage becomes closed, unless it already is. Not an edit: the version stays. */
export async function markClosed(db: Kysely<DB>, id: number, at: string): Promise<void> {
  await db.updateTable('clients').set({ stage: 'closed', stage_changed_at: at, last_activity_at: at, updated_at: at }).where('id', '=', id).where('stage', '!=', 'closed').execute()
}

/** An agent's clients claimed from the pool since a time, latest first (their follow-up obligation runs). */
export async function recentlyClaimed(db: Kysely<DB>, ownerId: number, since: string, limit: number): Promise<ClientRowRecord[]> {
  return selectClientRows(db)
    .where('c.owner_id', '=', ownerId)
    .where('c.claimed_at', '>=', since)
    .where('c.merged_into', 'is', null)
    .orderBy('c.claimed_at', 'desc')
    .limit(limit)
    .execute()
}
