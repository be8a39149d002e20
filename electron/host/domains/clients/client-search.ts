import type { Kysely } from 'kysely'
import type { SearchHit } from '@shared/contract/clients'
import { clientAccess, fullAccessScope, type ClientOwnership, type FullAccessScope, type Viewer } from '@shared/domain/client-access'
import { normalizeClientPhone } from '@shared/domain/client-phone'
import type { DB } from '../../db/schema'
import { toClientRow } from './client-shape'
import { clientsByPhones, exactTerms, findClientRowsByIds, prefixTerms, teamMemberIds, type PhoneTermScope } from './clients.repository'
import type { PhoneLookup } from './phone-lookups'
import { FIELD_NAMES, foldSearchText, TermField } from './search-terms'

const RANKS = ['exact', 'prefix', 'contains'] as const

/**
 * What a query is searched as: digits with nothing but punctuation between them are a number
 * (13912345678, 139.1234-5678), and a whole phone with a country code or an extension
 * ((+86)139…, 0086…, 021-61234567-808) is its dialled digits; anything else is folded text.
 */
export function searchKey(q: string): { key: string; digits: boolean } {
  const folded = foldSearchText(q)
  const digits = folded.replace(/[^\p{L}\p{N}]/gu, '')
  if (!/^\d+$/.test(digits)) return { key: folded, digits: false }
  // only a country code or an extension around the dialled digits is dropped: other digits
  // (a card number that happens to read as a landline) are searched as typed
  const phone = normalizeClientPhone(q)
  const dialled = phone.ok ? phone.phone.digits : digits
  const around = digits.length > dialled.length && (digits.endsWith(dialled.replace(/^0/, '')) || digits.startsWith(dialled))
  return { key: around ? dialled : digits, digits: true }
}

/** The hits, and the phone lookups in them that the service charges and audits. */
export interface SearchOutcome {
  hits: SearchHit[]
  /** the whole number the query is, and who holds it (null: the query is no whole number). */
  wholeNumber: PhoneLookup | null
  /** the hits that matched on a phone. */
  phoneMatches: Array<ClientOwnership & { id: number }>
}

/**
 * Whose phone terms a query may match: phone terms are digits only, so only digits meet them;
 * fewer than 4 digits would match every phone; otherwise the clients the viewer sees in full.
 * A senior's team is resolved to its members first: SQLite scans every client for
 * `owner_id IN (SELECT … FROM staff WHERE team = ?)` but reads an index for a list of ids.
 */
async function phoneScope(db: Kysely<DB>, key: string, digits: boolean, viewer: Viewer): Promise<PhoneTermScope> {
  if (!digits) return 'all'
  if (key.length < 4) return 'none'
  const full: FullAccessScope = fullAccessScope(viewer)
  if (full === 'all' || full === 'none') return full
  return { ownerIds: full.team === null ? [full.ownerId] : [...new Set([full.ownerId, ...(await teamMemberIds(db, full.team))])] }
}

/**
 * One box finds a client by name part, pinyin, initials, 4+ phone digits, 客户编号 or card:
 * exact matches first, then prefixes, then substrings; each step is one index range. Phone
 * digits find only clients the viewer has full access to; anyone else's client is found by
 * its whole number alone, and then shows who holds it without any digit of it.
 */
export async function searchClients(db: Kysely<DB>, q: string, limit: number, viewer: Viewer): Promise<SearchOutcome> {
  const { key, digits } = searchKey(q)
  if (key === '') return { hits: [], wholeNumber: null, phoneMatches: [] }
  const phones = await phoneScope(db, key, digits, viewer)
  const best = new Map<number, { rank: number; field: number }>()
  const note = (id: number, rank: number, field: number) => {
    const prev = best.get(id)
    if (!prev || rank < prev.rank || (rank === prev.rank && field < prev.field)) best.set(id, { rank, field })
  }
  // a whole number: its holder by the unique phone index, whoever owns them
  let wholeNumber: PhoneLookup | null = null
  const whole = digits ? normalizeClientPhone(q) : null
  if (whole?.ok) {
    const [holder] = await clientsByPhones(db, [whole.phone.e164])
    wholeNumber = {
      e164: whole.phone.e164,
      display: whole.phone.display,
      client: holder ? { id: holder.id, ownerId: holder.owner_id, ownerTeam: holder.owner_team } : null,
    }
    if (holder) note(holder.id, 0, TermField.phone)
  }
  const steps = [() => exactTerms(db, key, limit * 3, phones)]
  // prefixes and substrings of 1-3 digits are in nearly every phone: those queries look for an exact code or card
  if (!digits || key.length >= 4) steps.push(() => prefixTerms(db, key, false, limit * 4, phones), () => prefixTerms(db, key, true, limit * 4, phones))
  for (const [rank, step] of steps.entries()) {
    if (best.size >= limit) break
    for (const h of await step()) note(h.client_id, rank, h.field)
  }
  const ordered = [...best.entries()].sort((a, b) => a[1].rank - b[1].rank || a[1].field - b[1].field).slice(0, limit)
  const records = new Map((await findClientRowsByIds(db, ordered.map(([id]) => id))).map((r) => [r.id, r]))
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
  return { hits, wholeNumber, phoneMatches }
}
