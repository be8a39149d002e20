import type Database from 'better-sqlite3-multiple-ciphers'
import type { Statement } from 'better-sqlite3-multiple-ciphers'
import type { OutputOf } from '@shared/contract'
import { maskPhone } from '@shared/domain/client-phone'
import { SEARCH_COUNT_CAP, searchKey } from '../../../electron/host/domains/clients/client-search'
import type { PhoneTermScope, SearchMatch } from '../../../electron/host/domains/clients/clients.repository'
import { countStatement, HIT_ROWS_SQL, HOLDER_SQL, stepStatement, STEPS, type BoundStatement, type HitRowValues } from '../../../electron/host/domains/clients/search-sql'
import { FIELD_NAMES, prefixEnd, TermField } from '../../../electron/host/domains/clients/search-terms'

/** The hand-written baseline of clients.search (clients.bench.ts), on one connection. */

type Sqlite = InstanceType<typeof Database>
type Hit = OutputOf<'clients.search'>['hits'][number]
const RANKS = ['exact', 'prefix', 'contains'] as const

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

/**
 * The same search as clients.search, written the plainest way over the product's own statements:
 * the SQL texts of search-sql.ts (each step one index range selecting (client_id, field), the
 * same per-step limits written into the text, the count when a step was cut short, the hits'
 * rows in rank order in one statement, a whole number's holder by the unique phone index), each
 * prepared once, run in one read transaction as the product's procedure runs them (its count and
 * page agree: one snapshot), the same merge; masking for the two viewers the bench uses (a
 * manager sees all; an agent's digits meet only their own clients' phones). What it leaves out
 * is what the API adds: the session, the input's parse, the procedure's bookkeeping, the
 * dispatcher. On the start-up connection on the event loop (the goal's baseline), or a reader's
 * in a thread of its own (raw-search-worker.ts: the architecture issue #15 asked for).
 */
export class RawSearch {
  private readonly sqlite: Sqlite
  private readonly statements = new Map<string, Statement>()
  private readonly begin: Statement
  private readonly commit: Statement
  private readonly holder: Statement
  private readonly rows: Statement

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite
    this.begin = sqlite.prepare('BEGIN')
    this.commit = sqlite.prepare('COMMIT')
    this.holder = sqlite.prepare(HOLDER_SQL).raw()
    this.rows = sqlite.prepare(HIT_ROWS_SQL).raw()
  }

  private statement(b: BoundStatement): Statement {
    let st = this.statements.get(b.sql)
    if (!st) this.statements.set(b.sql, (st = this.sqlite.prepare(b.sql)))
    return st
  }

  /** `agent`: the viewer is an agent (digits meet only their clients), else a manager (sees all). */
  search(q: string, limit: number, viewerId: number, agent = false, offset = 0): RawSearchAnswer {
    const { key, digits, whole } = searchKey(q)
    if (key === '') return { hits: [], total: 0, totalExact: true }
    this.begin.run()
    try {
      return this.read(key, digits, whole?.e164 ?? null, limit, viewerId, agent, offset)
    } finally {
      this.commit.run()
    }
  }

  private read(key: string, digits: boolean, e164: string | null, limit: number, viewerId: number, agent: boolean, offset: number): RawSearchAnswer {
    const reach: SearchMatch['reach'] = !digits || key.length >= 4 ? 'contains' : key.length === 3 ? 'prefix' : 'exact'
    const phones: PhoneTermScope = !digits ? 'all' : key.length < 3 ? 'none' : agent ? { ownerIds: [viewerId] } : 'all'
    const want = offset + limit
    // rank * 8 + field orders like (rank, field); Map order is the order of first sight
    const best = new Map<number, number>()
    const holder = e164 === null ? undefined : (this.holder.get(e164) as [number, number | null, string | null] | undefined)
    if (holder) best.set(holder[0], TermField.phone)
    const match: SearchMatch = { key, end: prefixEnd(key), reach, phones, holderId: holder?.[0] ?? null }
    const steps = STEPS[reach]
    let cut = false
    for (let rank = 0; rank < steps.length; rank++) {
      if (best.size >= want) {
        cut = true
        break
      }
      const step = stepStatement(match, steps[rank]!, steps[rank] === 'exact' ? want * 3 : want * 4)
      const found = this.statement(step).raw().all(step.parameters) as Array<[number, number]>
      if (found.length >= want * 3) cut = true
      for (const [id, field] of found) {
        const v = rank * 8 + field
        const prev = best.get(id)
        if (prev === undefined || v < prev) best.set(id, v)
      }
    }
    const count = cut ? countStatement(match, SEARCH_COUNT_CAP + 1) : null
    const counted = count ? (this.statement(count).pluck().get(count.parameters) as number) : best.size
    const ordered = [...best.entries()].sort((a, b) => a[1] - b[1]).slice(offset, want)
    const matched = new Map(ordered)
    const hits: Hit[] = []
    for (const r of this.rows.all(JSON.stringify(ordered.map(([id]) => id))) as HitRowValues[]) {
      const v = matched.get(r[0])!
      hits.push({
        id: r[0],
        code: r[1],
        kind: r[2] as Hit['kind'],
        name: r[3],
        // a whole number of someone else's client: whose it is, no digits
        phone: agent && v % 8 === TermField.phone && r[6] !== viewerId ? null : phoneFor(r[4], r[6], viewerId),
        tier: r[5] as Hit['tier'],
        owner: ownerOf(r[6], r[7], r[8]),
        blacklisted: r[10] === 1,
        blacklistReason: r[11],
        protectedUntil: r[12],
        matchedOn: FIELD_NAMES[v % 8] ?? 'name',
        rank: RANKS[Math.floor(v / 8)] ?? 'contains',
      })
    }
    return { hits, total: Math.min(counted, SEARCH_COUNT_CAP), totalExact: counted <= SEARCH_COUNT_CAP }
  }
}
