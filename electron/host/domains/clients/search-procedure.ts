import type { ProcedureContext, ReaderProcedure } from '../../db/procedures'
import type { SearchMatch } from './clients.repository'
import { TermField } from './search-fields'
import { countStatement, HIT_ROWS_SQL, HOLDER_SQL, phoneScopeOf, stepStatement, STEPS, TEAM_SQL, type HitRowValues, type PhoneReach } from './search-sql'

/** What the event loop sends: the query as read (client-search.ts searchKey), whose phones it may meet, the page. */
export interface SearchArgs {
  key: string
  /** the end of the key's prefix range (search-terms.ts prefixEnd). */
  end: string
  reach: SearchMatch['reach']
  phones: PhoneReach
  /** the whole number the query is, or null. */
  e164: string | null
  offset: number
  limit: number
  /** count the matches up to here. */
  cap: number
}

/** A hit of the page: its rank (0 exact, 1 prefix, 2 contains), the field it matched on, its row. */
export type SearchHitValues = [rank: number, field: number, row: HitRowValues]

/** What the thread answers: a whole number's holder (id, owner_id, owner_team), the count, the page's hits in order. */
export interface SearchAnswer {
  holder: [id: number, ownerId: number | null, ownerTeam: string | null] | null
  /** the clients the query matches: exact when no step was cut short, else counted up to `cap`. */
  counted: number
  hits: SearchHitValues[]
}

/**
 * The steps in rank order (exact, prefix, substring), each run only while the page is not full,
 * merged by best rank then field; every match seen when no step was cut short by its limit (then
 * the total is what was seen), else the count. All in one snapshot on one connection, in its
 * thread: a statement per step run, the count when a step was cut short, the page's rows. (The
 * steps were one statement while each statement was a message to a thread; in the procedure a
 * statement costs no message, and the steps a full page makes needless cost nothing.)
 */
function search(ctx: ProcedureContext, a: SearchArgs): SearchAnswer {
  const team = typeof a.phones === 'object' && a.phones.team !== null ? (ctx.prepare(TEAM_SQL).pluck().all(a.phones.team) as number[]) : []
  const holder = a.e164 === null ? null : ((ctx.prepare(HOLDER_SQL).raw().get(a.e164) as SearchAnswer['holder'] | undefined) ?? null)
  const match: SearchMatch = { key: a.key, end: a.end, reach: a.reach, phones: phoneScopeOf(a.phones, team), holderId: holder?.[0] ?? null }
  const want = a.offset + a.limit
  // rank * 8 + field orders like (rank, field); a Map keeps the order of first sight
  const best = new Map<number, number>()
  const note = (id: number, v: number) => {
    const prev = best.get(id)
    if (prev === undefined || v < prev) best.set(id, v)
  }
  if (holder) note(holder[0], TermField.phone)
  let cut = false
  const steps = STEPS[a.reach]
  for (let rank = 0; rank < steps.length; rank++) {
    // a full page: the later steps rank lower, and the count says how many there are
    if (best.size >= want) {
      cut = true
      break
    }
    const step = stepStatement(match, steps[rank]!, steps[rank] === 'exact' ? want * 3 : want * 4)
    const found = ctx.prepare(step.sql).raw().all(step.parameters) as Array<[number, number]>
    if (found.length >= want * 3) cut = true
    for (const [id, field] of found) note(id, rank * 8 + field)
  }
  const count = cut ? countStatement(match, a.cap) : null
  const counted = count ? (ctx.prepare(count.sql).pluck().get(count.parameters) as number) : best.size
  const ordered = [...best.entries()].sort((x, y) => x[1] - y[1]).slice(a.offset, want)
  const rows = new Map<number, HitRowValues>()
  if (ordered.length > 0) {
    for (const r of ctx.prepare(HIT_ROWS_SQL).raw().all(JSON.stringify(ordered.map(([id]) => id))) as HitRowValues[]) rows.set(r[0], r)
  }
  const hits: SearchHitValues[] = []
  for (const [id, v] of ordered) {
    const row = rows.get(id)
    if (row) hits.push([Math.floor(v / 8), v % 8, row])
  }
  return { holder, counted, hits }
}

/**
 * The hits a search answering on the event loop may page to (offset + limit): its steps read at
 * most 4x this many index entries each. A first page of 50 costs 0.3-3 ms at 100,000 clients on
 * the usual queries (a single letter, two characters, three digits); pages further on up to
 * 11 ms, on a reader (docs/performance.md).
 */
export const SEARCH_LOOP_MAX_HITS = 50

/** clients.search whole in one procedure: on the event loop's read connection, or one message to a reader's thread and one back (see ReaderProcedure). */
export const searchProcedure: ReaderProcedure<SearchArgs, SearchAnswer> = {
  name: 'clients.search',
  run: (ctx, args) => ctx.snapshot(() => search(ctx, args)),
  fitsLoop: (args) => args.offset + args.limit <= SEARCH_LOOP_MAX_HITS,
}
