import type { Kysely } from 'kysely'
import type { SearchHit } from '../../../../shared/contract/clients'
import type { Viewer } from '../../../../shared/domain/client-access'
import { normalizeClientPhone } from '../../../../shared/domain/client-phone'
import type { DB } from '../../db/schema'
import { toClientRow } from './client-shape'
import { exactTerms, findClientRowsByIds, prefixTerms, type TermHit } from './clients.repository'
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

/**
 * One box finds a client by name part, pinyin, initials, 4+ phone digits, 客户编号 or card:
 * exact matches first, then prefixes, then substrings; each step is one index range.
 */
export async function searchClients(db: Kysely<DB>, q: string, limit: number, viewer: Viewer): Promise<SearchHit[]> {
  const { key, digits } = searchKey(q)
  if (key === '') return []
  // fewer than 4 digits would match every phone: then only codes and cards count
  const usable = (h: TermHit) => !(digits && key.length < 4 && h.field === TermField.phone)
  const best = new Map<number, { rank: number; field: number }>()
  const steps = [
    () => exactTerms(db, key, limit * 3),
    () => prefixTerms(db, key, false, limit * 4),
    () => prefixTerms(db, key, true, limit * 4),
  ]
  for (const [rank, step] of steps.entries()) {
    if (best.size >= limit) break
    for (const h of await step()) {
      if (!usable(h)) continue
      const prev = best.get(h.client_id)
      if (!prev || rank < prev.rank || (rank === prev.rank && h.field < prev.field)) best.set(h.client_id, { rank, field: h.field })
    }
  }
  const ordered = [...best.entries()].sort((a, b) => a[1].rank - b[1].rank || a[1].field - b[1].field).slice(0, limit)
  const records = new Map((await findClientRowsByIds(db, ordered.map(([id]) => id))).map((r) => [r.id, r]))
  const hits: SearchHit[] = []
  for (const [id, m] of ordered) {
    const r = records.get(id)
    if (!r) continue
    const row = toClientRow(r, viewer)
    hits.push({
      id: r.id,
      code: r.code,
      kind: row.kind,
      name: r.name,
      phone: row.phone,
      tier: row.tier,
      owner: row.owner,
      blacklisted: row.blacklisted,
      blacklistReason: row.blacklistReason,
      protectedUntil: row.protectedUntil,
      matchedOn: FIELD_NAMES[m.field] ?? 'name',
      rank: RANKS[m.rank] ?? 'contains',
    })
  }
  return hits
}
