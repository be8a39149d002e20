import type Database from 'better-sqlite3-multiple-ciphers'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { OutputOf } from '@shared/contract'
import { maskPhone, normalizeClientPhone } from '@shared/domain/client-phone'
import { SEARCH_COUNT_CAP, searchKey } from '../../../electron/host/domains/clients/client-search'
import { FIELD_NAMES, prefixEnd, TermField } from '../../../electron/host/domains/clients/search-terms'

/** The hand-written baseline of clients.search (clients.bench.ts), on one connection. */

type Sqlite = InstanceType<typeof Database>
type Hit = OutputOf<'clients.search'>['hits'][number]
const RANKS = ['exact', 'prefix', 'contains'] as const
/** A 客户编号's digit forms match only whole (the product's rule since #16: search-sql.ts NOT_SHORT_CODE). */
const NOT_SHORT_CODE = `NOT (field = ${TermField.code} AND term GLOB '[0-9]*')`

/** What a search answers: the same shape as clients.search. */
export interface RawSearchAnswer {
  hits: Hit[]
  total: number
  totalExact: boolean
}

/** Only the owner sees a client's phone in full (shared/domain/client-access.ts, seesFullPhones). */
export function phoneFor(primary: string | null, ownerId: number | null, viewerId: number): string | null {
  if (primary === null) return null
  return ownerId !== null && ownerId === viewerId ? primary : maskPhone(primary)
}

/** The owner as a row shows it. */
export function ownerOf(ownerId: number | null, name: string | null, phone: string | null) {
  return ownerId === null ? null : { id: ownerId, name: name ?? '', phone }
}

type SearchRow = [number, string, string, string, string | null, string, number | null, string | null, string | null, number, string | null, string | null]

/**
 * The same ranking as clients.search with prepared statements and nothing else: one index range
 * per step (exact, prefix, substring) selecting only (client_id, field), the same per-step limits
 * and merge, the same count when a step was cut short, then the hits' rows in rank order in one
 * statement (json_each keeps the order). An agent's digits meet only their own clients' phones
 * (the owner checked on the clients_grid_owner entry per candidate term, as the product does);
 * a whole number finds its holder by the unique phone index. The same statements the product
 * runs (search-statements.ts), on one connection of the same file, in one thread: the start-up
 * connection on the event loop (today's baseline), or a reader's in a thread of its own
 * (raw-search-worker.ts: the architecture issue #15 asked for).
 */
export class RawSearch {
  private readonly exact: Statement
  private readonly prefix: Statement
  private readonly inner: Statement
  private readonly ownExact: Statement
  private readonly ownPrefix: Statement
  private readonly ownInner: Statement
  private readonly holder: Statement
  private readonly rows: Statement

  private readonly sqlite: Sqlite
  private readonly counts = new Map<string, Statement>()

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite
    this.exact = sqlite.prepare('SELECT client_id, field FROM search_terms WHERE term = ? LIMIT ?').raw()
    this.prefix = sqlite.prepare(`SELECT client_id, field FROM search_terms WHERE term > ? AND term < ? AND ${NOT_SHORT_CODE} LIMIT ?`).raw()
    // the inner parts in their own table (migration 045)
    this.inner = sqlite.prepare('SELECT client_id, field FROM search_inner WHERE term >= ? AND term < ? LIMIT ?').raw()
    const own = `AND (field != ${TermField.phone} OR EXISTS (SELECT 1 FROM clients AS oc INDEXED BY clients_grid_owner WHERE oc.owner_id IN (?) AND oc.id = search_terms.client_id AND oc.merged_into IS NULL))`
    this.ownExact = sqlite.prepare(`SELECT client_id, field FROM search_terms WHERE term = ? ${own} LIMIT ?`).raw()
    this.ownPrefix = sqlite.prepare(`SELECT client_id, field FROM search_terms WHERE term > ? AND term < ? AND ${NOT_SHORT_CODE} ${own} LIMIT ?`).raw()
    this.ownInner = sqlite.prepare(`SELECT client_id, field FROM search_inner WHERE term >= ? AND term < ? ${own.replace('search_terms.client_id', 'search_inner.client_id')} LIMIT ?`).raw()
    this.holder = sqlite.prepare('SELECT c.id FROM client_phones p JOIN clients c ON c.id = p.client_id WHERE p.e164 = ? AND c.merged_into IS NULL').pluck()
    this.rows = sqlite
      .prepare(
        `SELECT c.id, c.code, c.kind, c.name, c.primary_phone, c.tier, c.owner_id, o.name, o.phone, c.blacklisted, c.blacklist_reason, c.protected_until
         FROM json_each(?) j JOIN clients c ON c.id = j.value LEFT JOIN staff o ON o.id = c.owner_id
         WHERE c.merged_into IS NULL ORDER BY j.key`,
      )
      .raw()
  }

  /** The distinct clients the query's terms (and a whole number's holder) match, up to SEARCH_COUNT_CAP + 1. */
  private count(reach: 'exact' | 'prefix' | 'contains', scoped: boolean, noPhones: boolean, holder: number | undefined, args: unknown[]): number {
    const name = `${reach}${scoped}${noPhones}${holder !== undefined}`
    let st = this.counts.get(name)
    if (!st) {
      // past the exact term, a 客户编号's digit forms do not match (as the product: search-sql.ts)
      const range = reach === 'exact' ? 'term = ?' : `term >= ? AND term < ? AND (term = ? OR ${NOT_SHORT_CODE})`
      const scope = noPhones
        ? `AND field != ${TermField.phone}`
        : scoped
          ? `AND (field != ${TermField.phone} OR EXISTS (SELECT 1 FROM clients AS oc INDEXED BY clients_grid_owner WHERE oc.owner_id IN (?) AND oc.id = search_terms.client_id AND oc.merged_into IS NULL))`
          : ''
      const union = holder !== undefined ? ' UNION SELECT ?' : ''
      // a substring's inner parts: their own table (migration 045)
      const inner = reach === 'contains' ? ` UNION ALL SELECT client_id FROM search_inner WHERE term >= ? AND term < ? ${scope.replace('search_terms.client_id', 'search_inner.client_id')}` : ''
      st = this.sqlite.prepare(`SELECT count(*) FROM (SELECT DISTINCT client_id FROM (SELECT client_id FROM search_terms WHERE ${range} ${scope}${inner}${union}) LIMIT ${SEARCH_COUNT_CAP + 1})`).pluck()
      this.counts.set(name, st)
    }
    return st.get(...args, ...(holder !== undefined ? [holder] : [])) as number
  }

  /** `agent`: the viewer is an agent (digits meet only their clients), else a manager (sees all). */
  search(q: string, limit: number, viewerId: number, agent = false, offset = 0): RawSearchAnswer {
    const { key, digits } = searchKey(q)
    if (key === '') return { hits: [], total: 0, totalExact: true }
    const end = prefixEnd(key)
    const reach = !digits || key.length >= 4 ? 'contains' : key.length === 3 ? 'prefix' : 'exact'
    const noPhones = digits && key.length < 3
    const want = offset + limit
    // rank * 8 + field orders like (rank, field); Map order is the order of first sight
    const best = new Map<number, number>()
    const whole = digits ? normalizeClientPhone(q) : null
    const holder = whole?.ok ? (this.holder.get(whole.phone.e164) as number | undefined) : undefined
    if (holder !== undefined) best.set(holder, TermField.phone)
    const scoped = digits && agent
    const steps = reach === 'exact' ? 1 : reach === 'prefix' ? 2 : 3
    let cut = false
    for (let rank = 0; rank < steps; rank++) {
      if (best.size >= want) {
        cut = true
        break
      }
      const found = (
        scoped
          ? rank === 0
            ? this.ownExact.all(key, viewerId, want * 3)
            : rank === 1
              ? this.ownPrefix.all(key, end, viewerId, want * 4)
              : this.ownInner.all(key, end, viewerId, want * 4)
          : rank === 0
            ? this.exact.all(key, want * 3)
            : rank === 1
              ? this.prefix.all(key, end, want * 4)
              : this.inner.all(key, end, want * 4)
      ) as Array<[number, number]>
      if (found.length >= want * 3) cut = true
      for (const [id, field] of found) {
        if (noPhones && field === TermField.phone) continue
        const v = rank * 8 + field
        const prev = best.get(id)
        if (prev === undefined || v < prev) best.set(id, v)
      }
    }
    const scopeArgs = scoped && !noPhones ? [viewerId] : []
    const counted = cut ? this.count(reach, scoped, noPhones, holder, [key, ...(reach === 'exact' ? [] : [end, key]), ...scopeArgs, ...(reach === 'contains' ? [key, end, ...scopeArgs] : [])]) : best.size
    const ordered = [...best.entries()].sort((a, b) => a[1] - b[1]).slice(offset, want)
    const match = new Map(ordered)
    const hits: Hit[] = []
    for (const r of this.rows.all(JSON.stringify(ordered.map(([id]) => id))) as SearchRow[]) {
      const v = match.get(r[0])!
      hits.push({
        id: r[0],
        code: r[1],
        kind: r[2] as Hit['kind'],
        name: r[3],
        // a whole number of someone else's client: whose it is, no digits
        phone: agent && v % 8 === TermField.phone && r[6] !== viewerId ? null : phoneFor(r[4], r[6], viewerId),
        tier: r[5] as Hit['tier'],
        owner: ownerOf(r[6], r[7], r[8]),
        blacklisted: r[9] === 1,
        blacklistReason: r[10],
        protectedUntil: r[11],
        matchedOn: FIELD_NAMES[v % 8] ?? 'name',
        rank: RANKS[Math.floor(v / 8)] ?? 'contains',
      })
    }
    return { hits, total: Math.min(counted, SEARCH_COUNT_CAP), totalExact: counted <= SEARCH_COUNT_CAP }
  }
}
