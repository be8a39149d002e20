import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { CardRead } from '@shared/contract/cards'
import { isCanonicalUid, uidAliases, uidFromText } from '@shared/domain/card-uid'
import { mayServeClient, type Viewer } from '@shared/domain/client-access'
import { ApiFailure } from '../../api/api-failure'
import type { DB } from '../../db/schema'
import { cardHolder, cardsByAliases, findCardById, findCardByUid, insertCard, type CardRecord } from './cards.repository'

/** The canonical UID of a read, or why it could not be read. */
export function uidOfRead(read: z.infer<typeof CardRead>): { ok: true; uid: string } | { ok: false; message: string } {
  if ('uid' in read) {
    const uid = read.uid.toUpperCase()
    return isCanonicalUid(uid) ? { ok: true, uid } : { ok: false, message: `not a card number: ${read.uid}` }
  }
  const r = uidFromText(read.text, read.format, { exact: true })
  return r.ok ? { ok: true, uid: r.uid } : { ok: false, message: r.message }
}

/** Like uidOfRead, for writes: an unreadable card is a VALIDATION error on the read. */
export function mustUidOfRead(read: z.infer<typeof CardRead>, field = 'read'): string {
  const r = uidOfRead(read)
  if (!r.ok) throw new ApiFailure('VALIDATION', r.message, field, 'card_unreadable')
  return r.uid
}

/** The card a UID stands for: exact first, then a unique alias (readers that print fewer digits). */
export async function findCard(db: Kysely<DB>, uid: string): Promise<{ card: CardRecord | undefined; ambiguous: boolean }> {
  const exact = await findCardByUid(db, uid)
  if (exact) return { card: exact, ambiguous: false }
  const viaAlias = await cardsByAliases(db, uidAliases(uid))
  const distinct = [...new Map(viaAlias.map((c) => [c.id, c])).values()]
  if (distinct.length === 1) return { card: distinct[0]!, ambiguous: false }
  return { card: undefined, ambiguous: distinct.length > 1 }
}

/**
 * Gives a client a new card with its aliases; a UID already on file is DUPLICATE, naming the
 * holder to a viewer who serves them (the desk, or full access) and "another client" to anyone else.
 */
export async function issueCard(db: Kysely<DB>, uid: string, clientId: number, viewer: Viewer, at: string, note: string | null): Promise<CardRecord> {
  const taken = await findCard(db, uid)
  if (taken.card) {
    const holder = await cardHolder(db, taken.card.client_id)
    if (!holder || !mayServeClient(viewer, { ownerId: holder.owner_id, ownerTeam: holder.team })) {
      throw new ApiFailure('DUPLICATE', 'this card belongs to another client', 'read', 'card_taken_other')
    }
    throw new ApiFailure('DUPLICATE', `this card belongs to ${holder.name}`, 'read', 'card_taken', { clientId: taken.card.client_id, code: holder.code, name: holder.name })
  }
  return insertCard(db, { uid, clientId, staffId: viewer.staffId, at, note }, uidAliases(uid).filter((a) => a !== uid))
}

/** A card by id, for any domain acting on one; NOT_FOUND on `cardId` otherwise. */
export async function mustFindCard(db: Kysely<DB>, id: number): Promise<CardRecord> {
  const c = await findCardById(db, id)
  if (!c) throw new ApiFailure('NOT_FOUND', `no card ${id}`, 'cardId')
  return c
}
