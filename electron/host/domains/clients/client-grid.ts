import { sql, type Kysely } from 'kysely'
import type { z } from 'zod'
import type { ClientListInput, ClientSortField } from '@shared/contract/clients'
import type { SessionInfo } from '../../api/handler'
import type { ClientsTable, DB } from '../../db/schema'
import { keysetRanges, readAfter, type KeyValue, type PageKey } from '../../db/keyset'
import { aliasIndexedBy, likely } from '../../db/sqlite-sql'
import { searchMatchIds, selectClientRows, type ClientRowRecord, type SearchMatch } from './clients.repository'

type ListInput = z.output<typeof ClientListInput>
type SortField = z.output<typeof ClientSortField>

/** One grid page, and how many rows the filter holds (exact, or a recent count: "about"). */
export interface GridPage {
  rows: ClientRowRecord[]
  total: number
  totalExact: boolean
}

/** The columns a sort orders by (then id); region sorts as the region tree reads: region, community. */
const SORT_COLUMNS: Record<Exclude<SortField, 'owner'>, readonly string[]> = {
  code: ['c.code'],
  name: ['c.name'],
  tier: ['c.tier'],
  stage: ['c.stage'],
  region: ['c.region', 'c.community'],
  sourceChannel: ['c.source_channel'],
  lastFollowUpAt: ['c.last_follow_up_at'],
  completeness: ['c.completeness'],
  createdAt: ['c.created_at'],
}

/** Each sort's index (migration 010): it holds the rows in that order and every filter column. */
const SORT_INDEX: Record<SortField, string> = {
  code: 'clients_grid_code',
  name: 'clients_name',
  tier: 'clients_grid_tier',
  stage: 'clients_stage',
  owner: 'clients_grid_owner',
  region: 'clients_region',
  sourceChannel: 'clients_source',
  lastFollowUpAt: 'clients_last_follow_up',
  completeness: 'clients_completeness',
  createdAt: 'clients_created',
}

/** Counting stops here when the total is not asked for exactly: below it the count is as cheap as a page. */
const CHEAP_COUNT = 1000
/** How long a full count stands in for the total (shown as "about") before it is counted again. */
const COUNT_TTL_MS = 60_000
/**
 * Past this offset the owner sort counts every owner in one walk of its index rather than owner
 * by owner up to the page (a walk of offset entries, plus a statement per owner passed).
 */
const DEEP_OWNER_OFFSET = 1000
/** Cached counts (a filter, a view and a viewer each), oldest dropped first. */
const COUNT_CACHE_SIZE = 500

/** Recent full counts of grid filters, one per host (the clients handlers hold it). */
export class GridTotals {
  private readonly counts = new Map<string, { n: number; at: number }>()

  /** A count of `key` taken less than COUNT_TTL_MS before `now`, if any. */
  recent(key: string, now: Date): number | null {
    const hit = this.counts.get(key)
    const age = hit ? now.getTime() - hit.at : -1
    return hit && age >= 0 && age < COUNT_TTL_MS ? hit.n : null
  }

  remember(key: string, n: number, now: Date): void {
    this.counts.delete(key)
    this.counts.set(key, { n, at: now.getTime() })
    if (this.counts.size > COUNT_CACHE_SIZE) this.counts.delete(this.counts.keys().next().value as string)
  }
}

/** The grid's sort when none is asked for: newest first. */
const DEFAULT_SORT = { field: 'createdAt', dir: 'desc' } as const

/**
 * The grid's filter, view and search as a query of live clients, read through the named index
 * (none: the planner's choice).
 */
function filteredClients(db: Kysely<DB>, input: Pick<ListInput, 'filter' | 'view'>, viewer: SessionInfo, now: Date, search: SearchMatch | null) {
  const f = input.filter
  const clients = (indexedBy?: string) => db.selectFrom(sql<ClientsTable>`clients`.as<'c'>(aliasIndexedBy('c', indexedBy)))
  // likely(): nearly every client is live. Without the hint, sampled planner statistics (PRAGMA
  // optimize) can make clients_live look selective, and SQLite then sorts the whole table
  // instead of reading a page in index order (100k clients: ~50 ms instead of ~1 ms).
  return (indexedBy?: string) => {
    let q = clients(indexedBy).where((eb) => likely(eb('c.merged_into', 'is', null)))
    if (f.tier?.length) q = q.where('c.tier', 'in', f.tier)
    if (f.stage?.length) q = q.where('c.stage', 'in', f.stage)
    if (f.ownerId?.length) q = q.where('c.owner_id', 'in', f.ownerId)
    if (f.unowned) q = q.where('c.owner_id', 'is', null)
    if (f.region) q = q.where('c.region', '=', f.region)
    if (f.community) q = q.where('c.community', '=', f.community)
    if (f.sourceChannel?.length) q = q.where('c.source_channel', 'in', f.sourceChannel)
    if (f.demandType?.length) q = q.where('c.demand_type', 'in', f.demandType)
    if (f.blacklisted !== undefined) q = q.where('c.blacklisted', '=', f.blacklisted ? 1 : 0)
    if (f.lastFollowUpBefore) q = q.where('c.last_follow_up_at', '<', f.lastFollowUpBefore)
    if (f.lastFollowUpAfter) q = q.where('c.last_follow_up_at', '>=', f.lastFollowUpAfter)
    if (f.neverFollowedUp) q = q.where('c.last_follow_up_at', 'is', null)
    if (f.completenessMin !== undefined) q = q.where('c.completeness', '>=', f.completenessMin)
    if (f.completenessMax !== undefined) q = q.where('c.completeness', '<=', f.completenessMax)
    if (search) q = q.where('c.id', 'in', searchMatchIds(db, search))
    if (input.view === 'mine') q = q.where('c.owner_id', '=', viewer.staffId)
    if (input.view === 'team') {
      const team = viewer.team
      q =
        team === null
          ? q.where('c.owner_id', '=', viewer.staffId)
          : q.where('c.owner_id', 'in', (eb) => eb.selectFrom('staff').select('id').where('team', '=', team))
    }
    if (input.view === 'vip_stale_7d') {
      const weekAgo = new Date(now.getTime() - 7 * 86_400_000).toISOString()
      q = q.where('c.tier', '=', 'vip').where((eb) => eb.or([eb('c.last_follow_up_at', 'is', null), eb('c.last_follow_up_at', '<', weekAgo)]))
    }
    return q
  }
}

/**
 * One grid page: filters, built-in views and sort all run in SQL. Every grid index (migration
 * 010) carries all filter columns, so the planner either walks a filter's index and sorts only
 * its entries, or walks the sort's index in order and checks the filters on the entries: no
 * table row is read before the page's own. Then only the page's rows are read. The owner sort
 * goes owner by owner (ownerSortedIds). The total is exact when the filter holds few rows or
 * when asked for (`exactTotal`); otherwise a count from the last minute, marked not exact.
 */
export async function listClients(
  db: Kysely<DB>,
  input: ListInput,
  viewer: SessionInfo,
  now: Date,
  totals: GridTotals,
  search: SearchMatch | null = null,
): Promise<GridPage> {
  const f = input.filter
  const sort = input.sort ?? DEFAULT_SORT
  const filtered = filteredClients(db, input, viewer, now, search)

  // counting walks the range of the narrowest filter that has a grid index of its own, checking
  // the rest on its entries; a demand type or blacklist alone, the sort's index (all of it, but
  // never the table: the planner, left alone, reads the table for them, ~50 ms at 100k); no
  // filter, the planner's choice (clients_live, the smallest index)
  const countIndex = search
    ? undefined
    : f.ownerId?.length || f.unowned || input.view === 'mine' || input.view === 'team'
      ? SORT_INDEX.owner
      : f.region || f.community
        ? SORT_INDEX.region
        : f.stage?.length
          ? SORT_INDEX.stage
          : f.sourceChannel?.length
            ? SORT_INDEX.sourceChannel
            : f.tier?.length || input.view === 'vip_stale_7d'
              ? SORT_INDEX.tier
              : f.lastFollowUpBefore || f.lastFollowUpAfter || f.neverFollowedUp
                ? SORT_INDEX.lastFollowUpAt
                : f.completenessMin !== undefined || f.completenessMax !== undefined
                  ? SORT_INDEX.completeness
                  : f.demandType?.length || f.blacklisted !== undefined
                    ? SORT_INDEX[sort.field]
                    : undefined
  const counting = () => filtered(countIndex)
  const countUpTo = async (cap?: number) => {
    const q =
      cap === undefined
        ? counting().select((eb) => eb.fn.countAll<number>().as('n'))
        : db.selectFrom(counting().select('c.id').limit(cap).as('m')).select((eb) => eb.fn.countAll<number>().as('n'))
    return (await q.executeTakeFirstOrThrow()).n
  }
  // the total does not depend on the sort: every sort of a filter shares its recent count
  const totalKey = JSON.stringify([f, input.view, viewer.staffId, search])
  let ids: number[]
  let counted: { total: number; totalExact: boolean }
  if (sort.field === 'owner') {
    const owners = ownersInOrder(await db.selectFrom('staff').select(['id', 'name', 'team']).execute(), f, input.view, viewer, sort.dir)
    // a search's matches, or a filter holding few clients: all of them (id and owner, from the
    // filter's narrowest grid index, else the owner's: every grid index holds the owner, the
    // smallest one does not), put in owner order here; read up to one more than few, that read
    // also says whether the filter holds few
    const few = await filtered(search ? undefined : (countIndex ?? SORT_INDEX.owner))
      .select(['c.id', 'c.owner_id'])
      .$if(search === null, (q) => q.limit(CHEAP_COUNT + 1))
      .execute()
    if (search !== null || few.length <= CHEAP_COUNT) {
      ids = inOwnerOrder(few, owners, sort.dir).slice(input.offset, input.offset + input.limit)
      counted = { total: few.length, totalExact: true }
    } else {
      const ofOwner = (owner: number | null) => filtered(SORT_INDEX.owner).where('c.owner_id', owner === null ? 'is' : '=', owner)
      // deep in the list, one walk of the owner index counting every owner at once costs less
      // than counting owner by owner up to the page (and gives the exact total)
      const grouped =
        input.offset > DEEP_OWNER_OFFSET
          ? new Map(
              (await filtered(SORT_INDEX.owner).select(['c.owner_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('c.owner_id').execute()).map((g) => [g.owner_id, g.n]),
            )
          : null
      ids = await ownerSortedIds(
        owners,
        async (owner, cap) =>
          grouped
            ? (grouped.get(owner) ?? 0)
            : (await db.selectFrom(ofOwner(owner).select('c.id').limit(cap).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
        async (owner, skip, take) => (await ofOwner(owner).select('c.id').orderBy('c.id', sort.dir).offset(skip).limit(take).execute()).map((r) => r.id),
        input.offset,
        input.limit,
      )
      if (grouped) {
        const n = [...grouped.values()].reduce((a, b) => a + b, 0)
        totals.remember(totalKey, n, now)
        counted = { total: n, totalExact: true }
      } else {
        // a page shorter than asked for ends the set: where it ends is the total
        counted =
          ids.length > 0 && ids.length < input.limit
            ? { total: input.offset + ids.length, totalExact: true }
            : await largeTotal(totals, () => countUpTo(), totalKey, input.exactTotal, now)
      }
    }
  } else {
    // in the sort's own order, filters checked on its entries: a page reads offset + limit
    // matching entries (a filter matching few clients at most the whole index, never a row).
    // SQLite's planner prefers a filter's range and a sort of its rows (11k rows of a region:
    // ~20 ms instead of ~0.1 ms). A search filter is a short list of ids: the planner's choice.
    let q = filtered(search ? undefined : SORT_INDEX[sort.field]).select('c.id')
    for (const col of SORT_COLUMNS[sort.field]) q = q.orderBy(sql.ref(col), sort.dir)
    // SQLite's default null order (first when ascending) keeps the sort on the index
    ids = (await q.orderBy('c.id', sort.dir).offset(input.offset).limit(input.limit).execute()).map((r) => r.id)
    // a page shorter than asked for ends the set: where it ends is the total
    const seen = ids.length > 0 && ids.length < input.limit ? input.offset + ids.length : null
    counted = seen !== null ? { total: seen, totalExact: true } : await totalOf(totals, countUpTo, totalKey, input.exactTotal, now)
  }
  if (ids.length === 0) return { rows: [], ...counted }
  const byId = new Map((await selectClientRows(db).where('c.id', 'in', ids).execute()).map((r) => [r.id, r]))
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is ClientRowRecord => r !== undefined), ...counted }
}


/** A slice of the grid read by keyset: its rows in the grid's order, how many keys were read (a row merged away meanwhile is one), and the last key (null: none). */
export interface GridSlice {
  rows: ClientRowRecord[]
  read: number
  last: PageKey | null
}

/**
 * The grid's rows after `after` (null: from the first) in the grid's own order, at most `limit`:
 * what an export reads slice by slice. The same rows in the same order as listClients' pages,
 * but each slice seeks in the sort's index to the last row's sort values and id instead of
 * walking the order from its first row (an OFFSET costs as many entries as it skips: 100,000
 * rows in slices of 2,000 walked the index 50 times over, half of it on average). The owner sort
 * keys a row by its owner's name and id, then the row's id.
 */
export async function clientsAfter(
  db: Kysely<DB>,
  input: Pick<ListInput, 'filter' | 'view' | 'sort'>,
  viewer: SessionInfo,
  now: Date,
  search: SearchMatch | null,
  after: PageKey | null,
  limit: number,
): Promise<GridSlice> {
  const sort = input.sort ?? DEFAULT_SORT
  const filtered = filteredClients(db, input, viewer, now, search)
  // as listClients: the sort's index, unless a search (a short list of ids) is the planner's to place
  let keyed: Array<{ id: number; values: KeyValue[] }>
  if (sort.field === 'owner') {
    const staff = await db.selectFrom('staff').select(['id', 'name', 'team']).execute()
    const names = new Map(staff.map((s) => [s.id, s.name]))
    const owners = ownersInOrder(staff, input.filter, input.view, viewer, sort.dir)
    const key = (owner: number | null): [string | null, number | null] => [owner === null ? null : (names.get(owner) ?? null), owner]
    // the owners from the last row's owner on (found by name and id, as ownersInOrder orders them)
    const sign = sort.dir === 'asc' ? 1 : -1
    const from = after === null ? 0 : owners.findIndex((o) => sign * compareOwner(key(o), [after.values[0] as string | null, after.values[1] as number | null]) >= 0)
    const ofOwner = (owner: number | null) =>
      filtered(search ? undefined : SORT_INDEX.owner)
        .select('c.id')
        .where('c.owner_id', owner === null ? 'is' : '=', owner)
        .orderBy('c.id', sort.dir)
    keyed = []
    for (const owner of from < 0 ? [] : owners.slice(from)) {
      if (keyed.length >= limit) break
      const sameOwner = after !== null && owner === after.values[1] && key(owner)[0] === after.values[0]
      const ids = await ofOwner(owner)
        .$if(sameOwner, (q) => q.where('c.id', sort.dir === 'asc' ? '>' : '<', after!.id))
        .limit(limit - keyed.length)
        .execute()
      keyed.push(...ids.map((r) => ({ id: r.id, values: key(owner) })))
    }
  } else {
    const columns = SORT_COLUMNS[sort.field]
    const index = search ? undefined : SORT_INDEX[sort.field]
    keyed = await readAfter(keysetRanges(columns, 'c.id', sort.dir, after), limit, async (range, n) => {
      let q = filtered(index)
        .select('c.id')
        .select(columns.map((c, i) => sql<KeyValue>`${sql.ref(c)}`.as(`k${i}`)))
        .where(range)
      for (const c of columns) q = q.orderBy(sql.ref(c), sort.dir)
      const rows = (await q.orderBy('c.id', sort.dir).limit(n).execute()) as Array<{ id: number } & Record<string, KeyValue>>
      return rows.map((r) => ({ id: r.id, values: columns.map((_, i) => r[`k${i}`] ?? null) }))
    })
  }
  const end = keyed.at(-1)
  if (!end) return { rows: [], read: 0, last: null }
  const ids = keyed.map((k) => k.id)
  const byId = new Map((await selectClientRows(db).where('c.id', 'in', ids).execute()).map((r) => [r.id, r]))
  return { rows: ids.map((id) => byId.get(id)).filter((r): r is ClientRowRecord => r !== undefined), read: keyed.length, last: { values: end.values, id: end.id } }
}

/** Two owners in the owner sort's ascending order (by name as SQL orders text, no owner first, then id). */
function compareOwner(a: [string | null, number | null], b: [string | null, number | null]): number {
  return compareText(a[0], b[0]) || (a[1] ?? 0) - (b[1] ?? 0)
}

/**
 * The total: asked for exactly, the whole count; else counted up to CHEAP_COUNT (exact below
 * it), beyond that as largeTotal.
 */
async function totalOf(
  totals: GridTotals,
  countUpTo: (cap?: number) => Promise<number>,
  key: string,
  exact: boolean,
  now: Date,
): Promise<{ total: number; totalExact: boolean }> {
  if (!exact) {
    const few = await countUpTo(CHEAP_COUNT + 1)
    if (few <= CHEAP_COUNT) return { total: few, totalExact: true }
  }
  return largeTotal(totals, () => countUpTo(), key, exact, now)
}

/**
 * The total of a filter known to hold more than CHEAP_COUNT clients: a count of the same filter
 * less than COUNT_TTL_MS old ("about": others may have added or moved clients since) unless asked
 * for exactly, or the whole count when there is none.
 */
async function largeTotal(
  totals: GridTotals,
  countAll: () => Promise<number>,
  key: string,
  exact: boolean,
  now: Date,
): Promise<{ total: number; totalExact: boolean }> {
  if (!exact) {
    const recent = totals.recent(key, now)
    if (recent !== null) return { total: recent, totalExact: false }
  }
  const n = await countAll()
  totals.remember(key, n, now)
  return { total: n, totalExact: true }
}

/** SQLite's text order (BINARY: UTF-8 bytes), for sorting owner names as SQL would. */
function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/**
 * The owners a filter can match, in the owner sort's order: by name as SQL orders text (no owner
 * first when ascending, as SQL puts NULL; the same name in owner id order), reversed descending.
 * The owner filters (owners named, no owner, the views mine and team) are applied here as well,
 * so that no owner's clients are walked only to be filtered out.
 */
function ownersInOrder(
  staff: Array<{ id: number; name: string; team: string | null }>,
  f: ListInput['filter'],
  view: ListInput['view'],
  viewer: SessionInfo,
  dir: 'asc' | 'desc',
): Array<number | null> {
  const named = f.ownerId?.length ? new Set(f.ownerId) : null
  const matches = (id: number | null, team: string | null) =>
    (id === null || !f.unowned) &&
    (named === null || (id !== null && named.has(id))) &&
    (view !== 'mine' || id === viewer.staffId) &&
    (view !== 'team' || (viewer.team === null ? id === viewer.staffId : id !== null && team === viewer.team))
  const owners = [{ id: null, name: null, team: null }, ...staff]
    .filter((s) => matches(s.id, s.team))
    .sort((a, b) => compareText(a.name, b.name) || (a.id ?? 0) - (b.id ?? 0))
    .map((s) => s.id)
  return dir === 'desc' ? owners.reverse() : owners
}

/** Clients (id and owner) in the owner sort's order: their owner's place in `owners`, then id. */
function inOwnerOrder(rows: Array<{ id: number; owner_id: number | null }>, owners: Array<number | null>, dir: 'asc' | 'desc'): number[] {
  const place = new Map(owners.map((o, i) => [o, i]))
  const sign = dir === 'asc' ? 1 : -1
  return rows
    .map((r) => ({ id: r.id, at: place.get(r.owner_id) ?? owners.length }))
    .sort((a, b) => a.at - b.at || sign * (a.id - b.id))
    .map((r) => r.id)
}

/**
 * A page sorted by owner name without sorting the clients: no index holds the owner's name, but
 * there are few owners. Owner by owner in name order, each owner's clients before the page are
 * counted (`countUpTo` need count no further than its cap: at most as many as still lie before
 * the page), and the page taken from the owners it spans, each in id order. Nothing is remembered
 * between pages: a page is the one plain SQL gives at that moment.
 */
async function ownerSortedIds(
  owners: Array<number | null>,
  countUpTo: (owner: number | null, cap: number) => Promise<number>,
  pageOf: (owner: number | null, skip: number, take: number) => Promise<number[]>,
  offset: number,
  limit: number,
): Promise<number[]> {
  const ids: number[] = []
  // the filter's clients still to pass before the page starts
  let before = offset
  for (const owner of owners) {
    if (before > 0) {
      const n = await countUpTo(owner, before + 1)
      if (n <= before) {
        before -= n
        continue
      }
    }
    ids.push(...(await pageOf(owner, before, limit - ids.length)))
    before = 0
    if (ids.length >= limit) break
  }
  return ids
}
