import type { Kysely, Selectable } from 'kysely'
import type { DB, MemberCardsTable } from '../../db/schema'

export type CardRecord = Selectable<MemberCardsTable>

export async function findCardById(db: Kysely<DB>, id: number): Promise<CardRecord | undefined> {
  return db.selectFrom('member_cards').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findCardByUid(db: Kysely<DB>, uid: string): Promise<CardRecord | undefined> {
  return db.selectFrom('member_cards').selectAll().where('uid', '=', uid).executeTakeFirst()
}

/** Cards any of these aliases (other spellings of a UID) stand for. */
export async function cardsByAliases(db: Kysely<DB>, aliases: readonly string[]): Promise<CardRecord[]> {
  return db.selectFrom('card_aliases as a').innerJoin('member_cards as m', 'm.id', 'a.card_id').selectAll('m').where('a.alias', 'in', aliases).execute()
}

/** Who holds a card, with what access rules read (owner and team). */
export async function cardHolder(db: Kysely<DB>, clientId: number) {
  return db
    .selectFrom('clients as c')
    .leftJoin('staff as o', 'o.id', 'c.owner_id')
    .select(['c.code', 'c.name', 'c.owner_id', 'o.team'])
    .where('c.id', '=', clientId)
    .executeTakeFirst()
}

/** Stores a card and the other spellings its UID may be read as. */
export async function insertCard(db: Kysely<DB>, c: { uid: string; clientId: number; staffId: number; at: string; note: string | null }, aliases: readonly string[]): Promise<CardRecord> {
  const card = await db
    .insertInto('member_cards')
    .values({ uid: c.uid, client_id: c.clientId, issued_at: c.at, issued_by: c.staffId, note: c.note })
    .returningAll()
    .executeTakeFirstOrThrow()
  if (aliases.length) await db.insertInto('card_aliases').values(aliases.map((alias) => ({ alias, card_id: card.id }))).execute()
  return card
}

/** A client's live card, if any (one per client). */
export async function liveCardOf(db: Kysely<DB>, clientId: number) {
  return db.selectFrom('member_cards').select(['id', 'uid']).where('client_id', '=', clientId).where('status', '=', 'active').executeTakeFirst()
}

/** The UIDs of a client's live cards (search terms). */
export async function liveCardUids(db: Kysely<DB>, clientId: number): Promise<string[]> {
  return (await db.selectFrom('member_cards').select('uid').where('client_id', '=', clientId).where('status', '=', 'active').execute()).map((c) => c.uid)
}

/** Whether the client has ever had a member card (the club counts them as members). */
export async function isMember(db: Kysely<DB>, clientId: number): Promise<boolean> {
  return (await db.selectFrom('member_cards').select('id').where('client_id', '=', clientId).executeTakeFirst()) !== undefined
}

/** A client's cards, newest first. */
export async function cardsOf(db: Kysely<DB>, clientId: number): Promise<CardRecord[]> {
  return db.selectFrom('member_cards').selectAll().where('client_id', '=', clientId).orderBy('id', 'desc').execute()
}

export async function markCardLost(db: Kysely<DB>, id: number, at: string, note: string | null): Promise<CardRecord> {
  return db.updateTable('member_cards').set({ status: 'lost', lost_at: at, note }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** The card leaves the "one live card" slot as replaced (before its successor takes the slot). */
export async function markCardReplaced(db: Kysely<DB>, id: number, lostAt: string): Promise<void> {
  await db.updateTable('member_cards').set({ status: 'replaced', lost_at: lostAt }).where('id', '=', id).execute()
}

/** Points a replaced card at the one that replaced it. */
export async function setReplacedBy(db: Kysely<DB>, id: number, by: number): Promise<void> {
  await db.updateTable('member_cards').set({ replaced_by: by }).where('id', '=', id).execute()
}

/** A merge: the merged record's cards go to the kept one; its live card is replaced by the kept one's live card, if that has one. */
export async function moveCards(db: Kysely<DB>, fromId: number, toId: number, at: string): Promise<void> {
  const kept = await liveCardOf(db, toId)
  if (kept) {
    await db.updateTable('member_cards').set({ status: 'replaced', replaced_by: kept.id, lost_at: at }).where('client_id', '=', fromId).where('status', '=', 'active').execute()
  }
  await db.updateTable('member_cards').set({ client_id: toId }).where('client_id', '=', fromId).execute()
}

/** Every swipe at a desk is on record, including unreadable and unknown cards. */
export async function logSwipe(
  db: Kysely<DB>,
  s: { uid: string | null; raw: string; cardId: number | null; clientId: number | null; result: string; staffId: number; address: string | null; at: string },
): Promise<void> {
  await db
    .insertInto('swipe_log')
    .values({ uid: s.uid, raw: s.raw, card_id: s.cardId, client_id: s.clientId, result: s.result, staff_id: s.staffId, address: s.address, at: s.at })
    .execute()
}
