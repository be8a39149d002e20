import type { Kysely } from 'kysely'
import { completeness } from '@shared/domain/completeness'
import type { DB } from '../../db/schema'
import { completenessValues } from './client-shape'
import { findClient, phonesOf, replaceSearchTerms } from './clients.repository'
import { buildSearchTerms } from './search-terms'

/**
 * Recomputes what is derived from a client's stored data, in the same transaction as the
 * change: completeness, primary phone and search terms (name, phones, code, live card). Returns the fresh record.
 */
export async function refreshDerived(db: Kysely<DB>, clientId: number) {
  const rec = await findClient(db, clientId)
  if (!rec) throw new Error(`client ${clientId} vanished`)
  const phones = await phonesOf(db, clientId)
  const needs = await db
    .selectFrom('requirements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  const { score } = completeness({ kind: rec.kind as 'person' | 'org', tier: rec.tier as 'vip', values: completenessValues(rec, phones.length, needs.n) })
  const primary = phones[0]?.display ?? null
  if (score !== rec.completeness || primary !== rec.primary_phone) {
    await db.updateTable('clients').set({ completeness: score, primary_phone: primary }).where('id', '=', clientId).execute()
  }
  const cards = await db.selectFrom('member_cards').select('uid').where('client_id', '=', clientId).where('status', '=', 'active').execute()
  await replaceSearchTerms(
    db,
    clientId,
    buildSearchTerms({ name: rec.name, code: rec.code, phoneDigits: phones.map((p) => p.digits), cards: cards.map((c) => c.uid) }),
  )
  return { ...rec, completeness: score, primary_phone: primary, phones, needCount: needs.n }
}
