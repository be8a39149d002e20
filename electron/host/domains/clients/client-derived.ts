import type { Kysely } from 'kysely'
import { completeness } from '@shared/domain/completeness'
import type { DB } from '../../db/schema'
import { completenessValues } from './client-shape'
import { activeNeedCount } from '../needs/needs.repository'
import { liveCardUids } from '../cards/cards.repository'
import { findClient, phonesOf, replaceSearchTerms, setDerivedColumns } from './clients.repository'
import { buildSearchTerms } from './search-terms'

/**
 * Recomputes what is derived from a client's stored data, in the same transaction as the
 * change: completeness, primary phone and search terms (name, phones, code, live card). Returns the fresh record.
 */
export async function refreshDerived(db: Kysely<DB>, clientId: number) {
  const rec = await findClient(db, clientId)
  if (!rec) throw new Error(`client ${clientId} vanished`)
  const phones = await phonesOf(db, clientId)
  const needCount = await activeNeedCount(db, clientId)
  const { score } = completeness({ kind: rec.kind as 'person' | 'org', tier: rec.tier as 'vip', values: completenessValues(rec, phones.length, needCount) })
  const primary = phones[0]?.display ?? null
  if (score !== rec.completeness || primary !== rec.primary_phone) {
    await setDerivedColumns(db, clientId, score, primary)
  }
  const cards = await liveCardUids(db, clientId)
  await replaceSearchTerms(
    db,
    clientId,
    buildSearchTerms({ name: rec.name, code: rec.code, phoneDigits: phones.map((p) => p.digits), cards }),
  )
  return { ...rec, completeness: score, primary_phone: primary, phones, needCount }
}
