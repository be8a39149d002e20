import type { Kysely } from 'kysely'
import type { SearchHit } from '@shared/contract/clients'
import { clientAccess, fullAccessScope, type ClientOwnership, type FullAccessScope, type Viewer } from '@shared/domain/client-access'
import { normalizeClientPhone, phoneQueryDigits } from '@shared/domain/client-phone'
import type { DB } from '../../db/schema'
import { toClientRow } from './client-shape'
import type { PhoneTermScope, SearchMatch } from './clients.repository'
import type { PhoneLookup } from './phone-lookups'
import { clientRowsInOrder, holderOf, matchTerms, teamMemberIds } from './search-statements'
import { FIELD_NAMES, foldSearchText, prefixEnd, TermField } from './search-terms'

const RANKS = ['exact', 'prefix', 'contains'] as const
/** Search counts its matches up to here; beyond, the total says "more than" (a longer query narrows it). */
export const SEARCH_COUNT_CAP = 1000

/**
 * What a query is searched as: digits with nothing but punctuation between them are a number
 * (13912345678, 139.1234-5678), read the way phones are stored (phoneQueryDigits: +86, 0086,
 * (+86), full width), and a whole phone with an extension is its dialled digits; anything else
 * is folded text.
 */
export function searchKey(q: string): { key: string; digits: boolean } {
  const folded = foldSearchText(q)
  const digits = folded.replace(/[^\p{L}\p{N}]/gu, '')
  if (!/^\d+$/.test(digits)) return { key: folded, digits: false }
  // only a country code or an extension around the dialled digits is dropped: other digits
  // (a card number that happens to read as a landline) are searched as typed
  const phone = normalizeClientPhone(q)
  if (!phone.ok) return { key: phoneQueryDigits(q) ?? digits, digits: true }
  const dialled = phone.phone.digits
  const around = digits.length > dialled.length && (digits.endsWith(dialled.replace(/^0/, '')) || digits.startsWith(dialled))
  return { key: around ? dialled : digits, digits: true }
}

/** The hits, and the phone lookups in them that the service charges and audits. */
export interface SearchOutcome {
  hits: SearchHit[]
  /** every client the query matches (counted up to SEARCH_COUNT_CAP), and whether that is all of them. */
  total: number
  totalExact: boolean
  /** the whole number the query is, and who holds it (null: the query is no whole number). */
  wholeNumber: PhoneLookup | null
  /** the hits that matched on a phone. */
  phoneMatches: Array<ClientOwnership & { id: number }>
}

/**
 * Whose phone terms a query may match: phone terms are digits only, so only digits meet them;
 * fewer than 3 digits would match every phone; otherwise the clients the viewer sees in full
 * (so nobody learns by prefix which numbers other agents' clients have).
 * A senior's team is resolved to its members first: SQLite scans every client for
 * `owner_id IN (SELECT … FROM staff WHERE team = ?)` but reads an index for a list of ids.
 */
async function phoneScope(db: Kysely<DB>, key: string, digits: boolean, viewer: Viewer): Promise<PhoneTermScope> {
  if (!digits) return 'all'
  if (key.length < 3) return 'none'
  const full: FullAccessScope = fullAccessScope(viewer)
  if (full === 'all' || full === 'none') return full
  return { ownerIds: full.team === null ? [full.ownerId] : [...new Set([full.ownerId, ...(await teamMemberIds(db, full.team))])] }
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
  const { key, digits } = searchKey(q)
  // nothing to look for (only punctuation): no term is empty, so this matches no client
  if (key === '') return { match: { key, end: key, reach: 'exact', phones: 'none', holderId: null }, wholeNumber: null }
  const reach = !digits || key.length >= 4 ? 'contains' : key.length === 3 ? 'prefix' : 'exact'
  const match: SearchMatch = { key, end: prefixEnd(key), reach, phones: await phoneScope(db, key, digits, viewer), holderId: null }
  let wholeNumber: PhoneLookup | null = null
  const whole = digits ? normalizeClientPhone(q) : null
  if (whole?.ok) {
    const holder = await holderOf(db, whole.phone.e164)
    wholeNumber = {
      e164: whole.phone.e164,
      display: whole.phone.display,
      client: holder ? { id: holder.id, ownerId: holder.owner_id, ownerTeam: holder.owner_team } : null,
    }
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
 */
export async function searchClients(db: Kysely<DB>, q: string, limit: number, viewer: Viewer, offset = 0): Promise<SearchOutcome> {
  const { match, wholeNumber } = await resolveSearch(db, q, viewer)
  if (match.key === '') return { hits: [], total: 0, totalExact: true, wholeNumber: null, phoneMatches: [] }
  const want = offset + limit
  const best = new Map<number, { rank: number; field: number }>()
  const note = (id: number, rank: number, field: number) => {
    const prev = best.get(id)
    if (!prev || rank < prev.rank || (rank === prev.rank && field < prev.field)) best.set(id, { rank, field })
  }
  if (match.holderId !== null) note(match.holderId, 0, TermField.phone)
  const { byStep, count } = await matchTerms(db, match, (step) => (step === 'exact' ? want * 3 : want * 4), SEARCH_COUNT_CAP + 1)
  // the steps in rank order, each taken only while the page is not full (as if run one by one);
  // every match seen when no step was cut short by its limit: then the total is what was seen
  let cut = false
  for (const [rank, found] of byStep.entries()) {
    if (best.size >= want) {
      cut = true
      break
    }
    if (found.length >= want * 3) cut = true
    for (const h of found) note(h.client_id, rank, h.field)
  }
  const counted = cut ? count : best.size
  const ordered = [...best.entries()].sort((a, b) => a[1].rank - b[1].rank || a[1].field - b[1].field).slice(offset, want)
  const records = new Map((await clientRowsInOrder(db, ordered.map(([id]) => id))).map((r) => [r.id, r]))
  const hits: SearchHit[] = []
  const phoneMatches: SearchOutcome['phoneMatches'] = []
  for (const [id, m] of ordered) {
    const r = records.get(id)
    if (!r) continue
    const row = toClientRow(r, viewer)
    const ownership = { ownerId: r.owner_id, ownerTeam: r.owner_team }
    const byPhone = m.field === TermField.phone
    if (byPhone) phoneMatches.push({ id, ...ownership })
    hits.push({
      id: r.id,
      code: r.code,
      kind: row.kind,
      name: r.name,
      // found by its whole number without full access: that it exists and whose it is, no digits
      phone: byPhone && clientAccess(viewer, ownership) !== 'full' ? null : row.phone,
      tier: row.tier,
      owner: row.owner,
      blacklisted: row.blacklisted,
      blacklistReason: row.blacklistReason,
      protectedUntil: row.protectedUntil,
      matchedOn: FIELD_NAMES[m.field] ?? 'name',
      rank: RANKS[m.rank] ?? 'contains',
    })
  }
  return { hits, total: Math.min(counted, SEARCH_COUNT_CAP), totalExact: counted <= SEARCH_COUNT_CAP, wholeNumber, phoneMatches }
}
