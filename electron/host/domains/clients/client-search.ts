import type { Kysely } from 'kysely'
import type { SearchHit } from '@shared/contract/clients'
import { clientAccess, fullAccessScope, type ClientOwnership, type FullAccessScope, type Viewer } from '@shared/domain/client-access'
import { normalizeClientPhone, phoneQueryDigits, type NormalizedPhone } from '@shared/domain/client-phone'
import type { DB } from '../../db/schema'
import { callProcedure, type LoopProcedures } from '../../db/procedures'
import { ownerRef, shownPhone } from './client-shape'
import type { PhoneTermScope, SearchMatch } from './clients.repository'
import type { PhoneLookup } from './phone-lookups'
import { searchProcedure, type SearchAnswer, type SearchArgs } from './search-procedure'
import { phoneScopeOf, type PhoneReach } from './search-sql'
import { holderOf, teamMemberIds } from './search-statements'
import { FIELD_NAMES, foldSearchText, prefixEnd, TermField } from './search-terms'

const RANKS = ['exact', 'prefix', 'contains'] as const
/** Search counts its matches up to here; beyond, the total says "more than" (a longer query narrows it). */
export const SEARCH_COUNT_CAP = 1000

/**
 * What a query is searched as: digits with nothing but punctuation between them are a number
 * (13912345678, 139.1234-5678), read the way phones are stored (phoneQueryDigits: +86, 0086,
 * (+86), full width), and a whole phone with an extension is its dialled digits; anything else
 * is folded text. `whole`: the whole number the query is, read once here (null: it is none).
 */
export function searchKey(q: string): { key: string; digits: boolean; whole: NormalizedPhone | null } {
  const folded = foldSearchText(q)
  // a query with a Latin letter (folded to lower case) or without an ASCII digit is no number:
  // two plain tests answer most queries without the Unicode pass below
  if (/[a-z]/.test(folded) || !/[0-9]/.test(folded)) return { key: folded, digits: false, whole: null }
  const digits = folded.replace(/[^\p{L}\p{N}]/gu, '')
  if (!/^\d+$/.test(digits)) return { key: folded, digits: false, whole: null }
  // only a country code or an extension around the dialled digits is dropped: other digits
  // (a card number that happens to read as a landline) are searched as typed
  const phone = normalizeClientPhone(q)
  if (!phone.ok) return { key: phoneQueryDigits(q) ?? digits, digits: true, whole: null }
  const dialled = phone.phone.digits
  const around = digits.length > dialled.length && (digits.endsWith(dialled.replace(/^0/, '')) || digits.startsWith(dialled))
  return { key: around ? dialled : digits, digits: true, whole: phone.phone }
}

/** The hits, and the phone lookups in them that the service charges and audits. */
export interface SearchOutcome {
  /** what the query was searched as (searchKey). */
  key: string
  hits: SearchHit[]
  /** every client the query matches (counted up to SEARCH_COUNT_CAP), and whether that is all of them. */
  total: number
  totalExact: boolean
  /** the whole number the query is, and who holds it (null: the query is no whole number). */
  wholeNumber: PhoneLookup | null
  /** the hits that matched on a phone. */
  phoneMatches: Array<ClientOwnership & { id: number }>
}

/** Whose phone terms a query may match (see PhoneReach): the viewer's full access, for 3 digits or more. */
function phoneReach(key: string, digits: boolean, viewer: Viewer): PhoneReach {
  if (!digits) return 'all'
  if (key.length < 3) return 'none'
  const full: FullAccessScope = fullAccessScope(viewer)
  if (full === 'all' || full === 'none') return full
  return { ownerId: full.ownerId, team: full.team }
}

/** The phone scope of a query with a senior's team read on `db` (the search itself reads it in its thread). */
async function phoneScope(db: Kysely<DB>, key: string, digits: boolean, viewer: Viewer): Promise<PhoneTermScope> {
  const reach = phoneReach(key, digits, viewer)
  return phoneScopeOf(reach, typeof reach === 'object' && reach.team !== null ? await teamMemberIds(db, reach.team) : [])
}

/** 1-2 digits match whole fields only; 3 digits also their start; 4+ digits and any text every part. */
function reachOf(key: string, digits: boolean): SearchMatch['reach'] {
  return !digits || key.length >= 4 ? 'contains' : key.length === 3 ? 'prefix' : 'exact'
}

/** A resolved query: which terms it matches, and the whole number it is (with its holder). */
export interface ResolvedSearch {
  match: SearchMatch
  wholeNumber: PhoneLookup | null
}

/**
 * Reads a query once for search and for the grid filtered by it: 1-2 digits match a 客户编号 or
 * card exactly; 3 digits also the start of numbers (and codes); 4+ digits and any text every
 * part of a field; phone terms only of clients the viewer sees in full. A whole number also
 * finds its holder by the unique phone index, whoever owns them.
 */
export async function resolveSearch(db: Kysely<DB>, q: string, viewer: Viewer): Promise<ResolvedSearch> {
  const { key, digits, whole } = searchKey(q)
  // nothing to look for (only punctuation): no term is empty, so this matches no client
  if (key === '') return { match: { key, end: key, reach: 'exact', phones: 'none', holderId: null }, wholeNumber: null }
  const match: SearchMatch = { key, end: prefixEnd(key), reach: reachOf(key, digits), phones: await phoneScope(db, key, digits, viewer), holderId: null }
  let wholeNumber: PhoneLookup | null = null
  if (whole) {
    const holder = await holderOf(db, whole.e164)
    wholeNumber = { e164: whole.e164, display: whole.display, client: holder ? { id: holder.id, ownerId: holder.owner_id, ownerTeam: holder.owner_team } : null }
    match.holderId = holder?.id ?? null
  }
  return { match, wholeNumber }
}

/**
 * One box finds a client by name part, pinyin, initials, 3+ phone digits, 客户编号 or card:
 * exact matches first, then prefixes, then substrings; each step is one index range. Phone
 * digits find only clients the viewer has full access to; anyone else's client is found by
 * its whole number alone, and then shows who holds it without any digit of it. A page of hits
 * from `offset`, and how many there are in all (counted up to SEARCH_COUNT_CAP).
 * The query is read here; the terms, ranking, count and rows are one procedure
 * (search-procedure.ts), run on the event loop's read connection (`loop`) unless that declines
 * (LoopReader: closed, or this search measured slow), else one message to a reader's thread and
 * one back; the masking is done here, as for every row. With `loop`, `db` holds no transaction
 * (the dispatcher opens none for clients.search: ONE_PROCEDURE), so both read a snapshot of their own.
 * Answered on the loop, the outcome is given at once, not as a promise (Dispatcher.answerAtOnce).
 */
export function searchClients(db: Kysely<DB>, q: string, limit: number, viewer: Viewer, offset = 0, loop: LoopProcedures | null = null): SearchOutcome | Promise<SearchOutcome> {
  const { key, digits, whole } = searchKey(q)
  if (key === '') return { key, hits: [], total: 0, totalExact: true, wholeNumber: null, phoneMatches: [] }
  const args: SearchArgs = {
    key,
    end: prefixEnd(key),
    reach: reachOf(key, digits),
    phones: phoneReach(key, digits, viewer),
    e164: whole?.e164 ?? null,
    offset,
    limit,
    cap: SEARCH_COUNT_CAP + 1,
  }
  const now = loop?.run(searchProcedure, args)
  if (now) return outcomeOf(now.answer, key, whole, viewer)
  return callProcedure(db, searchProcedure, args).then((found) => outcomeOf(found, key, whole, viewer))
}

/** The procedure's answer as the viewer may see it: the hits masked, the whole number's holder, the phone matches to audit. */
function outcomeOf(found: SearchAnswer, key: string, whole: NormalizedPhone | null, viewer: Viewer): SearchOutcome {
  const holder = found.holder
  const wholeNumber: PhoneLookup | null = whole
    ? { e164: whole.e164, display: whole.display, client: holder ? { id: holder[0], ownerId: holder[1], ownerTeam: holder[2] } : null }
    : null
  const hits: SearchHit[] = []
  const phoneMatches: SearchOutcome['phoneMatches'] = []
  // by index, not by destructuring or for-of: unoptimised code walks an iterator for those, value by value
  for (let i = 0; i < found.hits.length; i++) {
    const hit = found.hits[i]!
    const rank = hit[0]
    const field = hit[1]
    const r = hit[2]
    const ownership = { ownerId: r[6], ownerTeam: r[9] }
    const byPhone = field === TermField.phone
    if (byPhone) phoneMatches.push({ id: r[0], ...ownership })
    hits.push({
      id: r[0],
      code: r[1],
      kind: r[2] as SearchHit['kind'],
      name: r[3],
      // found by its whole number without full access: that it exists and whose it is, no digits
      phone: byPhone && clientAccess(viewer, ownership) !== 'full' ? null : shownPhone(r[4], viewer, ownership),
      tier: r[5] as SearchHit['tier'],
      owner: ownerRef(r[6], r[7], r[8]),
      blacklisted: r[10] === 1,
      blacklistReason: r[11],
      protectedUntil: r[12],
      matchedOn: FIELD_NAMES[field] ?? 'name',
      rank: RANKS[rank] ?? 'contains',
    })
  }
  return { key, hits, total: Math.min(found.counted, SEARCH_COUNT_CAP), totalExact: found.counted <= SEARCH_COUNT_CAP, wholeNumber, phoneMatches }
}
