import type { Insertable, Kysely, Selectable } from 'kysely'
import type { DB, SubscriptionEventsTable, VipCardsTable } from '../../db/schema'

export type VipCardRecord = Selectable<VipCardsTable> & { client_name: string }
export type EventRecord = Selectable<SubscriptionEventsTable>

/** Cards with their holder's name: the client's, or a rehearsal card's fake holder. */
function selectAnyCards(db: Kysely<DB>) {
  return db
    .selectFrom('vip_cards as v')
    .leftJoin('clients as c', 'c.id', 'v.client_id')
    .selectAll('v')
    .select((eb) => eb.fn.coalesce('c.name', 'v.holder_name', eb.val('')).as('client_name'))
}

/** Live cards only: a rehearsal's generated cards are seen through their rehearsal event alone. */
function selectCards(db: Kysely<DB>) {
  return selectAnyCards(db).where('v.rehearsal_event_id', 'is', null)
}

/** A project's VIP cards by card number. */
export async function cardsOfProject(db: Kysely<DB>, projectId: number): Promise<VipCardRecord[]> {
  return selectCards(db).where('v.project_id', '=', projectId).orderBy('v.card_no').execute()
}

/** The cards an event deals with: the project's live cards, or a rehearsal's own generated ones. */
export async function cardsInPlay(db: Kysely<DB>, e: EventRecord): Promise<VipCardRecord[]> {
  if (e.rehearsal === 0) return cardsOfProject(db, e.project_id)
  return selectAnyCards(db).where('v.rehearsal_event_id', '=', e.id).orderBy('v.card_no').execute()
}

export async function cardById(db: Kysely<DB>, id: number): Promise<VipCardRecord | undefined> {
  return selectAnyCards(db).where('v.id', '=', id).executeTakeFirst()
}

export async function cardByNo(db: Kysely<DB>, projectId: number, cardNo: number): Promise<VipCardRecord | undefined> {
  return selectCards(db).where('v.project_id', '=', projectId).where('v.card_no', '=', cardNo).executeTakeFirst()
}

/** The VIP cards a client holds in a project (a swipe of their member card finds them). */
export async function cardsOfClient(db: Kysely<DB>, projectId: number, clientId: number): Promise<VipCardRecord[]> {
  return selectCards(db).where('v.project_id', '=', projectId).where('v.client_id', '=', clientId).orderBy('v.card_no').execute()
}

/** The next free card number of a project. */
export async function nextCardNo(db: Kysely<DB>, projectId: number): Promise<number> {
  const r = await db.selectFrom('vip_cards').select((eb) => eb.fn.max<number | null>('card_no').as('m')).where('project_id', '=', projectId).where('rehearsal_event_id', 'is', null).executeTakeFirst()
  return (r?.m ?? 0) + 1
}

export async function insertVipCard(db: Kysely<DB>, c: Insertable<VipCardsTable>): Promise<number> {
  return (await db.insertInto('vip_cards').values(c).returning('id').executeTakeFirstOrThrow()).id
}

/** Wish lists of cards: card id -> unit ids, first wish first. */
export async function wishesOf(db: Kysely<DB>, cardIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(cardIds.map((id) => [id, []]))
  if (cardIds.length === 0) return out
  const rows = await db.selectFrom('vip_wishes').select(['card_id', 'unit_id']).where('card_id', 'in', cardIds).orderBy('card_id').orderBy('rank').execute()
  for (const r of rows) out.get(r.card_id)?.push(r.unit_id)
  return out
}

export async function setWishes(db: Kysely<DB>, cardId: number, unitIds: readonly number[]): Promise<void> {
  await db.deleteFrom('vip_wishes').where('card_id', '=', cardId).execute()
  if (unitIds.length > 0) await db.insertInto('vip_wishes').values(unitIds.map((unit_id, i) => ({ card_id: cardId, rank: i + 1, unit_id }))).execute()
}

export async function updateCard(db: Kysely<DB>, id: number, set: { status?: VipCardRecord['status']; carry_over?: number; refund_todo_id?: number }, at: string): Promise<void> {
  await db.updateTable('vip_cards').set({ ...set, updated_at: at }).where('id', '=', id).execute()
}

/** A forfeited card whose 意向金 refund to-do finance has just closed is refunded (已退). */
export async function markCardRefunded(db: Kysely<DB>, refundTodoId: number, at: string): Promise<void> {
  await db.updateTable('vip_cards').set({ status: 'refunded', updated_at: at }).where('refund_todo_id', '=', refundTodoId).where('status', '=', 'forfeited').execute()
}

/** Of these unit ids, those in the project. */
export async function unitsInProject(db: Kysely<DB>, projectId: number, unitIds: readonly number[]): Promise<Set<number>> {
  if (unitIds.length === 0) return new Set()
  const rows = await db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select('u.id').where('b.project_id', '=', projectId).where('u.id', 'in', unitIds).execute()
  return new Set(rows.map((r) => r.id))
}

/** Every unit of a project (a rehearsal's units in play when none are named). */
export async function allUnitsOfProject(db: Kysely<DB>, projectId: number): Promise<number[]> {
  const rows = await db.selectFrom('units as u').innerJoin('buildings as b', 'b.id', 'u.building_id').select('u.id').where('b.project_id', '=', projectId).orderBy('u.id').limit(5000).execute()
  return rows.map((r) => r.id)
}

/** Every event, newest first (a branch runs a few a year). */
export async function allEvents(db: Kysely<DB>): Promise<EventRecord[]> {
  return db.selectFrom('subscription_events').selectAll().orderBy('id', 'desc').limit(200).execute()
}

export async function findEvent(db: Kysely<DB>, id: number): Promise<EventRecord | undefined> {
  return db.selectFrom('subscription_events').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A project's live event that is not closed, if any (one runs at a time: a card is in one queue; a rehearsal has its own cards). */
export async function openEventOf(db: Kysely<DB>, projectId: number): Promise<EventRecord | undefined> {
  return db.selectFrom('subscription_events').selectAll().where('project_id', '=', projectId).where('status', '!=', 'closed').where('rehearsal', '=', 0).executeTakeFirst()
}

export async function insertEvent(db: Kysely<DB>, e: Insertable<SubscriptionEventsTable>, unitIds: readonly number[]): Promise<number> {
  const id = (await db.insertInto('subscription_events').values(e).returning('id').executeTakeFirstOrThrow()).id
  for (let i = 0; i < unitIds.length; i += 500) await db.insertInto('subscription_units').values(unitIds.slice(i, i + 500).map((unit_id) => ({ event_id: id, unit_id }))).execute()
  return id
}

export async function updateEvent(db: Kysely<DB>, id: number, set: { status?: EventRecord['status']; day?: number; grp?: number; deadline?: string | null }): Promise<void> {
  await db.updateTable('subscription_events').set(set).where('id', '=', id).execute()
}

export async function eventUnitIds(db: Kysely<DB>, eventId: number): Promise<number[]> {
  return (await db.selectFrom('subscription_units').select('unit_id').where('event_id', '=', eventId).orderBy('unit_id').execute()).map((r) => r.unit_id)
}

export async function isEventUnit(db: Kysely<DB>, eventId: number, unitId: number): Promise<boolean> {
  return (await db.selectFrom('subscription_units').select('unit_id').where('event_id', '=', eventId).where('unit_id', '=', unitId).executeTakeFirst()) !== undefined
}

/** The queue of an event with card number and holder, in queue order (optionally one day, one group, one card). */
export async function queueOf(db: Kysely<DB>, eventId: number, where: { day?: number; group?: number; cardNo?: number } = {}) {
  let q = db
    .selectFrom('subscription_queue as q')
    .innerJoin('vip_cards as v', 'v.id', 'q.card_id')
    .leftJoin('clients as c', 'c.id', 'v.client_id')
    .select(['q.card_id', 'q.position', 'q.day', 'q.grp', 'q.state', 'q.unit_id', 'q.tx_id', 'q.checked_in_at', 'q.decided_at', 'v.card_no', 'v.client_id', 'v.deposit'])
    .select((eb) => eb.fn.coalesce('c.name', 'v.holder_name', eb.val('')).as('client_name'))
    .where('q.event_id', '=', eventId)
  if (where.day !== undefined) q = q.where('q.day', '=', where.day)
  if (where.group !== undefined) q = q.where('q.grp', '=', where.group)
  if (where.cardNo !== undefined) q = q.where('v.card_no', '=', where.cardNo)
  return q.orderBy('q.position').execute()
}
export type QueueRow = Awaited<ReturnType<typeof queueOf>>[number]

/** How many cards a day of the event holds. */
export async function cardsOnDay(db: Kysely<DB>, eventId: number, day: number): Promise<number> {
  const r = await db.selectFrom('subscription_queue').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', '=', eventId).where('day', '=', day).executeTakeFirst()
  return Number(r?.n ?? 0)
}

export async function insertQueue(db: Kysely<DB>, eventId: number, places: ReadonlyArray<{ cardId: number; position: number; day: number; group: number }>): Promise<void> {
  for (let i = 0; i < places.length; i += 200) {
    await db
      .insertInto('subscription_queue')
      .values(places.slice(i, i + 200).map((p) => ({ event_id: eventId, card_id: p.cardId, position: p.position, day: p.day, grp: p.group })))
      .execute()
  }
}

export async function clearQueue(db: Kysely<DB>, eventId: number): Promise<void> {
  await db.deleteFrom('subscription_queue').where('event_id', '=', eventId).execute()
}

export async function setQueueState(
  db: Kysely<DB>,
  eventId: number,
  cardId: number,
  set: { state: 'present' | 'picked' | 'passed' | 'absent'; unit_id?: number; tx_id?: number; checked_in_at?: string; decided_at?: string },
): Promise<void> {
  await db.updateTable('subscription_queue').set(set).where('event_id', '=', eventId).where('card_id', '=', cardId).execute()
}

/**
 * Cards of a live event whose pick's 认购 no longer stands (released later, e.g. by an approved
 * 退房). By card, not unit: a released unit can be picked again by another card of the event.
 */
export async function releasedPicks(db: Kysely<DB>, eventId: number, nowIso: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('subscription_queue as q')
    .innerJoin('unit_transactions as t', 't.id', 'q.tx_id')
    .select('q.card_id')
    .where('q.event_id', '=', eventId)
    .where((eb) => eb.or([eb('t.live', '=', 0), eb('t.expires_at', '<=', nowIso)]))
    .execute()
  return new Set(rows.map((r) => r.card_id))
}

/** Units of the event picked so far. */
export async function pickedUnits(db: Kysely<DB>, eventId: number): Promise<number[]> {
  return (await db.selectFrom('subscription_queue').select('unit_id').where('event_id', '=', eventId).where('unit_id', 'is not', null).execute()).map((r) => r.unit_id!)
}

/** A group is called at `at` (a second call of the same group, as after a restart, keeps the first time). */
export async function startCall(db: Kysely<DB>, eventId: number, day: number, grp: number, at: string): Promise<void> {
  await db.insertInto('subscription_calls').values({ event_id: eventId, day, grp, called_at: at }).onConflict((oc) => oc.doNothing()).execute()
}

/** A called group's time ended at `at` (its next call, or its deadline); a group ended stays ended. */
export async function endCall(db: Kysely<DB>, eventId: number, day: number, grp: number, at: string): Promise<void> {
  await db.updateTable('subscription_calls').set({ ended_at: at }).where('event_id', '=', eventId).where('day', '=', day).where('grp', '=', grp).where('ended_at', 'is', null).execute()
}

/** When each group of an event was called and ended, by day and group. */
export async function callsOf(db: Kysely<DB>, eventId: number) {
  return db.selectFrom('subscription_calls').select(['day', 'grp', 'called_at', 'ended_at']).where('event_id', '=', eventId).orderBy('day').orderBy('grp').execute()
}

export async function drawsOf(db: Kysely<DB>, eventId: number) {
  return db.selectFrom('subscription_draws').selectAll().where('event_id', '=', eventId).orderBy('attempt').execute()
}

export async function insertDraw(db: Kysely<DB>, d: { event_id: number; attempt: number; seed: string; commitment: string; list: string; list_hash: string; public_value: string; reason: string | null; committed_at: string }): Promise<void> {
  await db.insertInto('subscription_draws').values(d).execute()
}

export async function markDraw(db: Kysely<DB>, eventId: number, attempt: number, set: { revealed_at?: string; void?: number }): Promise<void> {
  await db.updateTable('subscription_draws').set(set).where('event_id', '=', eventId).where('attempt', '=', attempt).execute()
}

export async function noticesOf(db: Kysely<DB>, eventId: number) {
  return db.selectFrom('subscription_notices').select(['kind', 'text', 'at']).where('event_id', '=', eventId).orderBy('id').execute()
}

export async function insertNotice(db: Kysely<DB>, eventId: number, kind: string, text: string, at: string): Promise<void> {
  await db.insertInto('subscription_notices').values({ event_id: eventId, kind, text, at }).execute()
}

/** Generates a rehearsal's cards (fake holders, no client, no payment taken) with their wish lists. */
export async function insertRehearsalCards(
  db: Kysely<DB>,
  e: { id: number; project_id: number },
  cards: ReadonlyArray<{ cardNo: number; holderName: string; deposit: number; wishes: readonly number[] }>,
  by: number,
  at: string,
): Promise<void> {
  for (const c of cards) {
    const id = await insertVipCard(db, {
      project_id: e.project_id,
      card_no: c.cardNo,
      client_id: null,
      holder_name: c.holderName,
      rehearsal_event_id: e.id,
      deposit: c.deposit,
      receipt_no: `演练-${e.id}-${c.cardNo}`,
      method: 'cash',
      paid_at: at,
      issued_by: by,
      updated_at: at,
    })
    await setWishes(db, id, c.wishes)
  }
}

/** Removes a rehearsal and every row it made (its cards, wishes, queue, units in play, draws, notices, call times). */
export async function deleteRehearsalRows(db: Kysely<DB>, eventId: number): Promise<void> {
  const cards = db.selectFrom('vip_cards').select('id').where('rehearsal_event_id', '=', eventId)
  await db.deleteFrom('subscription_queue').where('event_id', '=', eventId).execute()
  await db.deleteFrom('vip_wishes').where('card_id', 'in', cards).execute()
  await db.deleteFrom('vip_cards').where('rehearsal_event_id', '=', eventId).execute()
  await db.deleteFrom('subscription_units').where('event_id', '=', eventId).execute()
  await db.deleteFrom('subscription_draws').where('event_id', '=', eventId).execute()
  await db.deleteFrom('subscription_notices').where('event_id', '=', eventId).execute()
  await db.deleteFrom('subscription_calls').where('event_id', '=', eventId).execute()
  await db.deleteFrom('subscription_events').where('id', '=', eventId).where('rehearsal', '=', 1).execute()
}
