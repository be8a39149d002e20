import type { z } from 'zod'
import type { Kysely } from 'kysely'
import type { SubscriptionEvent, VipCard } from '@shared/contract/subscription'
import { formatBranchDate } from '@shared/domain/branch-time'
import { hostTextOf } from '@shared/domain/host-text-keys'
import { callAt, groupsOfDay } from '@shared/domain/subscription-queue'
import { ApiFailure } from '../../api/api-failure'
import type { HandlerContext } from '../../api/handler'
import type { DB } from '../../db/schema'
import { insertFinanceTodo } from '../finance/finance.repository'
import { publishedDraw } from './subscription-draw'
import {
  cardsInPlay,
  cardsOnDay,
  endCall,
  drawsOf,
  eventUnitIds,
  findEvent,
  noticesOf,
  queueOf,
  setQueueState,
  startCall,
  updateCard,
  updateEvent,
  wishesOf,
  type EventRecord,
  type VipCardRecord,
} from './subscription.repository'

const MINUTE_MS = 60_000

/** What running the day needs: the database and the host clock (a call's context, or the scheduler's pass). */
export type DayContext = Pick<HandlerContext, 'db' | 'clock'>
const DAY_MS = 24 * 60 * MINUTE_MS
/** the seed's rule: a forfeited card's 意向金 is handed back within 3 days of the notice */
export const REFUND_DAYS = 3

/** An event by id; NOT_FOUND on `eventId` otherwise. */
export async function mustFindEvent(db: Kysely<DB>, eventId: number): Promise<EventRecord> {
  const e = await findEvent(db, eventId)
  if (!e) throw new ApiFailure('NOT_FOUND', `no subscription event ${eventId}`, 'eventId')
  return e
}

/** A card as the API shows it (its wish list read here unless the caller has it). */
export async function toVipCard(db: Kysely<DB>, c: VipCardRecord, wishes?: number[]): Promise<z.infer<typeof VipCard>> {
  // a rehearsal's generated cards are shown only in their rehearsal's queue, never as a live card
  if (c.client_id === null) throw new ApiFailure('NOT_FOUND', `no VIP card ${c.id}`, 'cardId')
  wishes ??= (await wishesOf(db, [c.id])).get(c.id) ?? []
  return {
    id: c.id,
    projectId: c.project_id,
    cardNo: c.card_no,
    clientId: c.client_id,
    clientName: c.client_name,
    deposit: c.deposit,
    receiptNo: c.receipt_no,
    paidAt: c.paid_at,
    status: c.status,
    carryOver: c.carry_over === 1,
    wishes,
  }
}

async function groupsToday(db: Kysely<DB>, e: EventRecord): Promise<number> {
  return e.day > 0 ? groupsOfDay(await cardsOnDay(db, e.id, e.day), e.group_size) : 0
}

/** Where the calling stands at `now` (the host clock), without writing: reads show the group whose time it is. */
export async function callNow(db: Kysely<DB>, e: EventRecord, now: Date) {
  const lastGroup = await groupsToday(db, e)
  if (e.status !== 'running' || e.deadline === null) return { group: e.grp, deadline: e.deadline, dayOver: false, passed: [] as number[], ended: [] as Array<{ group: number; at: string }>, lastGroup }
  return { ...callAt({ group: e.grp, deadline: e.deadline }, now, { groupMs: e.minutes_per_group * MINUTE_MS, lastGroup }), lastGroup }
}

/** A queue line as far as its state goes: its day, group, state and when it was decided. */
interface QueueLine {
  day: number
  grp: number
  state: 'waiting' | 'present' | 'picked' | 'passed' | 'absent'
  decided_at: string | null
}

/**
 * The queue as it stands at `now` on the host clock, for reads (which do not write): a holder of a
 * group whose time ran out who never came shows absent at once, and when the day is over a holder
 * present without a pick shows passed, as the next write (or the scheduler's pass) will store it.
 */
export function queueAt<R extends QueueLine>(rows: readonly R[], e: EventRecord, call: { dayOver: boolean; ended: ReadonlyArray<{ group: number; at: string }> }): R[] {
  if (call.ended.length === 0) return [...rows]
  const endOf = new Map(call.ended.map((x) => [x.group, x.at]))
  const dayEnd = call.ended.at(-1)!.at
  return rows.map((r) => {
    if (r.day !== e.day) return r
    const end = endOf.get(r.grp)
    if (r.state === 'waiting' && (end !== undefined || call.dayOver)) return { ...r, state: 'absent' as const, decided_at: end ?? dayEnd }
    if (r.state === 'present' && call.dayOver) return { ...r, state: 'passed' as const, decided_at: dayEnd }
    return r
  })
}

/** The event's status at `now` on the host clock: a day whose last group's time ran out is over. */
export async function statusAt(db: Kysely<DB>, e: EventRecord, now: Date): Promise<EventRecord['status']> {
  return statusOf(e, await callNow(db, e, now))
}

function statusOf(e: EventRecord, c: { dayOver: boolean }): EventRecord['status'] {
  return c.dayOver ? (e.day >= (JSON.parse(e.days) as string[]).length ? 'closed' : 'between') : e.status
}

/** The event as the API shows it at `now`. */
export async function eventShape(db: Kysely<DB>, e: EventRecord, now: Date): Promise<z.infer<typeof SubscriptionEvent>> {
  const c = await callNow(db, e, now)
  const draws = await drawsOf(db, e.id)
  const days = JSON.parse(e.days) as string[]
  const status = statusOf(e, c)
  const running = status === 'running' && c.deadline !== null
  return {
    id: e.id,
    projectId: e.project_id,
    name: e.name,
    rehearsal: e.rehearsal === 1,
    days,
    cardsPerDay: e.cards_per_day,
    groupSize: e.group_size,
    minutesPerGroup: e.minutes_per_group,
    orderBy: e.order_by,
    rulesText: e.rules_text,
    unitIds: await eventUnitIds(db, e.id),
    status,
    day: e.day,
    group: c.group,
    groupsToday: c.lastGroup,
    deadline: running ? c.deadline : null,
    msLeft: running ? Math.max(0, Date.parse(c.deadline!) - now.getTime()) : 0,
    now: now.toISOString(),
    draws: draws.map(publishedDraw),
    notices: await noticesOf(db, e.id),
  }
}

/**
 * A card loses its priority for the event (absent when called, passed, or not picked by the end of
 * its day): its 意向金 refund to-do is made, due in REFUND_DAYS days, and the card is forfeited.
 * `decidedAt` is when it happened when that was earlier than now (a countdown that ran out before
 * this write): the stored line then reads as the screens showed it.
 */
export async function forfeit(ctx: DayContext, e: EventRecord, row: { card_id: number; card_no: number; deposit: number }, state: 'absent' | 'passed', decidedAt?: string): Promise<void> {
  const now = ctx.clock.now()
  await setQueueState(ctx.db, e.id, row.card_id, { state, decided_at: decidedAt ?? now.toISOString() })
  await refundCard(ctx, e, row, now)
}

/**
 * The refund to-do of a card's 意向金 (due in REFUND_DAYS days); the card is forfeited. A
 * rehearsal took no money: its card is forfeited and nothing reaches finance (the rehearsal's
 * summary counts the refunds it would have made).
 */
export async function refundCard(ctx: DayContext, e: EventRecord, card: { card_id: number; card_no: number; deposit: number }, now: Date): Promise<void> {
  if (e.rehearsal === 1) {
    await updateCard(ctx.db, card.card_id, { status: 'forfeited' }, now.toISOString())
    return
  }
  const due = formatBranchDate(new Date(now.getTime() + REFUND_DAYS * DAY_MS))
  const todo = await insertFinanceTodo(ctx.db, { kind: 'refund', txId: null, changeId: null, amount: card.deposit, note: hostTextOf('finance.vipRefund', { cardNo: String(card.card_no), due }), at: now.toISOString() })
  await updateCard(ctx.db, card.card_id, { status: 'forfeited', refund_todo_id: todo }, now.toISOString())
}

/**
 * Brings the stored calling up to the host clock before a write acts on it: groups whose time ran
 * out are over (their holders who never came are absent), the day ends after its last group (holders
 * present but without a pick forfeit too), the event closes after its last day (cards the days did
 * not reach carry over if their holder chose so, else are refunded). Survives a host restart: all of
 * it is in the database and the clock.
 */
export async function settle(ctx: DayContext, e: EventRecord): Promise<EventRecord> {
  const now = ctx.clock.now()
  const c = await callNow(ctx.db, e, now)
  if (c.passed.length === 0) return e
  // each group whose time ran out ended at its deadline (its absentees with it), and the next was called at that moment
  for (const x of c.ended) {
    await closeGroup(ctx, e, x.group, x.at)
    await endCall(ctx.db, e.id, e.day, x.group, x.at)
    if (x.group < c.lastGroup) await startCall(ctx.db, e.id, e.day, x.group + 1, x.at)
  }
  if (c.dayOver) return endDay(ctx, e, c.ended.at(-1)!.at)
  await updateEvent(ctx.db, e.id, { grp: c.group, deadline: c.deadline })
  return mustFindEvent(ctx.db, e.id)
}

/** A group's time is over (at `at` when its countdown ran out before now): its holders who never came are absent. */
export async function closeGroup(ctx: DayContext, e: EventRecord, group: number, at?: string): Promise<void> {
  for (const r of await queueOf(ctx.db, e.id, { day: e.day, group })) if (r.state === 'waiting') await forfeit(ctx, e, r, 'absent', at)
}

/** The day is over (at `at` when its last countdown ran out before now): whoever has not picked forfeits; after the last day the event closes. */
export async function endDay(ctx: DayContext, e: EventRecord, at?: string): Promise<EventRecord> {
  for (const r of await queueOf(ctx.db, e.id, { day: e.day })) {
    if (r.state === 'waiting') await forfeit(ctx, e, r, 'absent', at)
    else if (r.state === 'present') await forfeit(ctx, e, r, 'passed', at)
  }
  const days = (JSON.parse(e.days) as string[]).length
  if (e.day < days) {
    await updateEvent(ctx.db, e.id, { status: 'between', day: e.day, deadline: null })
    return mustFindEvent(ctx.db, e.id)
  }
  // cards the days did not reach: the holder's choice, carried over or refunded
  const queued = new Set((await queueOf(ctx.db, e.id)).map((r) => r.card_id))
  const now = ctx.clock.now()
  for (const card of await cardsInPlay(ctx.db, e)) {
    if (card.status !== 'valid' || queued.has(card.id)) continue
    if (card.carry_over === 1) await updateCard(ctx.db, card.id, { status: 'carried_over' }, now.toISOString())
    else await refundCard(ctx, e, { card_id: card.id, card_no: card.card_no, deposit: card.deposit }, now)
  }
  await updateEvent(ctx.db, e.id, { status: 'closed', day: e.day, deadline: null })
  return mustFindEvent(ctx.db, e.id)
}

/** Calls the next group, or the first group of the next day; the countdown runs on the host clock. */
export async function callNext(ctx: DayContext, e: EventRecord): Promise<EventRecord> {
  const now = ctx.clock.now()
  const full = new Date(now.getTime() + e.minutes_per_group * MINUTE_MS).toISOString()
  if (e.status === 'running') {
    await closeGroup(ctx, e, e.grp)
    await endCall(ctx.db, e.id, e.day, e.grp, now.toISOString())
    if (e.grp >= (await groupsToday(ctx.db, e))) return endDay(ctx, e)
    await startCall(ctx.db, e.id, e.day, e.grp + 1, now.toISOString())
    await updateEvent(ctx.db, e.id, { grp: e.grp + 1, deadline: full })
    return mustFindEvent(ctx.db, e.id)
  }
  if (e.status !== 'ready' && e.status !== 'between') {
    throw new ApiFailure('CONFLICT', `the event is ${e.status}: nothing to call`, 'eventId', 'event_not_callable', { status: e.status })
  }
  const day = e.day + 1
  if ((await cardsOnDay(ctx.db, e.id, day)) === 0) return endDay(ctx, { ...e, day })
  await startCall(ctx.db, e.id, day, 1, now.toISOString())
  await updateEvent(ctx.db, e.id, { status: 'running', day, grp: 1, deadline: full })
  return mustFindEvent(ctx.db, e.id)
}

/**
 * Brings every running event up to the host clock: the scheduler's pass calls it, so groups whose
 * time ran out are closed (absentees refunded) even when nobody at the console acts. Returns the
 * events it moved on (their screens are told after the commit).
 */
export async function settleRunningEvents(ctx: DayContext): Promise<number[]> {
  const running = await ctx.db.selectFrom('subscription_events').selectAll().where('status', '=', 'running').execute()
  const moved: number[] = []
  for (const e of running) if ((await settle(ctx, e)) !== e) moved.push(e.id)
  return moved
}
